-- li:rerun-on-change (every statement is guarded or replaces what it creates; applied again when the mapping changes it)
-- 002_create_crm_mapping.sql
-- THE ONLY OBJECTS THAT KNOW THE CRM'S NAMES. Rendered from the mapping (LEAD_INTEL_MAPPING, docs/azure-sql.md) by
-- `lead-intel migrate`, and applied again whenever the mapping changes (its rendered text is checksummed):
--   * dbo.lead_status_map: every CRM lead status → active (with the guide's stage it stands for), won, lost or
--     closed. Matched trimmed and upper-cased on both sides, so 'WON', 'won' and ' Won ' are one status whatever
--     the database collation. Statuses not in the map count as active (scored with a neutral stage weight) and are
--     reported as unknown statuses in the run summary.
--   * dbo.li_leads, dbo.li_follow_ups, dbo.li_visits: the CRM's lead, follow-up and visit tables under the guide's
--     names. li_leads is a single-table view, so the nine score columns can be updated through it (the scoring
--     run's MERGE targets it: updatable-view rules, https://learn.microsoft.com/sql/t-sql/statements/create-view-transact-sql#updatable-views).
--     The views are owned by dbo like the tables they read, so the app's role needs rights on the views only
--     (ownership chaining; `migrate --verify` reports a broken chain).
--   * the role lead_intel_app, which migrations/grants/lead_intel_app.sql gives exactly the rights the app uses.
SET XACT_ABORT ON;
-- a Sch-M request on a view or table queued behind a running read would block every later reader: give up after 5 s
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

IF DATABASE_PRINCIPAL_ID(N'lead_intel_app') IS NULL
    CREATE ROLE lead_intel_app AUTHORIZATION dbo;

IF OBJECT_ID(N'dbo.lead_status_map', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.lead_status_map (
        StatusKey NVARCHAR(100) NOT NULL CONSTRAINT PK_lead_status_map PRIMARY KEY,
        Status    NVARCHAR(100) NOT NULL,
        Category  VARCHAR(10)   NOT NULL CONSTRAINT CK_status_map_Category CHECK (Category IN ('active', 'won', 'lost', 'closed')),
        Stage     NVARCHAR(20)  NULL CONSTRAINT CK_status_map_Stage CHECK (Stage IN (N'New', N'Contacted', N'Qualified', N'Negotiation'))
    );
END;

-- The mapping file is the source of truth: rows it no longer lists are removed.
MERGE dbo.lead_status_map WITH (HOLDLOCK) AS t
USING (
    SELECT UPPER(LTRIM(RTRIM(v.Status))) AS StatusKey, LTRIM(RTRIM(v.Status)) AS Status, v.Category, CAST(v.Stage AS NVARCHAR(20)) AS Stage
    FROM (VALUES
    $(StatusMapRows)
    ) AS v (Status, Category, Stage)
) AS s
ON t.StatusKey = s.StatusKey
WHEN MATCHED AND (t.Status <> s.Status OR t.Category <> s.Category OR ISNULL(t.Stage, N'') <> ISNULL(s.Stage, N'')) THEN
    UPDATE SET t.Status = s.Status, t.Category = s.Category, t.Stage = s.Stage
WHEN NOT MATCHED BY TARGET THEN
    INSERT (StatusKey, Status, Category, Stage) VALUES (s.StatusKey, s.Status, s.Category, s.Stage)
WHEN NOT MATCHED BY SOURCE THEN
    DELETE;
GO

IF OBJECT_ID(N'dbo.li_leads', N'V') IS NOT NULL
    DROP VIEW dbo.li_leads;
GO

CREATE VIEW dbo.li_leads
AS
$(LeadViewSelect);
GO

IF OBJECT_ID(N'dbo.li_follow_ups', N'V') IS NOT NULL
    DROP VIEW dbo.li_follow_ups;
GO

-- State: 'pending', 'completed' or 'other' (cancelled, deferred …: neither counted nor overdue).
CREATE VIEW dbo.li_follow_ups
AS
$(FollowUpViewSelect);
GO

IF OBJECT_ID(N'dbo.li_visits', N'V') IS NOT NULL
    DROP VIEW dbo.li_visits;
GO

CREATE VIEW dbo.li_visits
AS
$(VisitViewSelect);
GO

-- The modules that read these views (003's functions, 004's view) are recreated after them: `migrate` applies every
-- later rerunnable migration again whenever this one reruns (a refresh here would fail on a column the new mapping
-- dropped, and roll this migration back).

COMMIT TRANSACTION;
