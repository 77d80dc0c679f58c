-- li:rerun-on-change (every statement is guarded or replaces what it creates; applied again when the mapping changes it)
-- SQLite twin of ../002_create_crm_mapping.sql: the status map and the mapping views. SQLite views cannot be
-- updated, so the embedded store writes the score columns to the mapped table itself, by the names it finds in
-- lead_intel_mapping (data written here, from the same mapping).
CREATE TABLE IF NOT EXISTS lead_status_map (
    StatusKey TEXT NOT NULL PRIMARY KEY,
    Status    TEXT NOT NULL,
    Category  TEXT NOT NULL CHECK (Category IN ('active', 'won', 'lost', 'closed')),
    Stage     TEXT NULL CHECK (Stage IN ('New', 'Contacted', 'Qualified', 'Negotiation'))
);
DELETE FROM lead_status_map;
INSERT INTO lead_status_map (StatusKey, Status, Category, Stage)
SELECT UPPER(TRIM(column1)), TRIM(column1), column2, column3 FROM (VALUES
    $(StatusMapRows)
);

-- follow-up status → pending / completed (anything else: other), matched like the lead statuses
CREATE TABLE IF NOT EXISTS li_follow_up_states (StatusKey TEXT NOT NULL PRIMARY KEY, State TEXT NOT NULL);
DELETE FROM li_follow_up_states;
INSERT OR REPLACE INTO li_follow_up_states (StatusKey, State)
SELECT UPPER(TRIM(column1)), column2 FROM (VALUES $(FollowUpStateRows));

CREATE TABLE IF NOT EXISTS lead_intel_mapping (Name TEXT PRIMARY KEY, Value TEXT NOT NULL);
INSERT OR REPLACE INTO lead_intel_mapping (Name, Value) VALUES ('LeadTable', '$(LeadTableName)'), ('LeadKey', '$(LeadKeyName)');

DROP VIEW IF EXISTS li_leads;
CREATE VIEW li_leads AS
$(LeadViewSelect);

DROP VIEW IF EXISTS li_follow_ups;
CREATE VIEW li_follow_ups AS
$(FollowUpViewSelect);

DROP VIEW IF EXISTS li_visits;
CREATE VIEW li_visits AS
$(VisitViewSelect);
