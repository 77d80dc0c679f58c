-- 000_create_crm_baseline.sql
-- The CRM tables the scoring engine reads, as the Phase 1 guide assumes them. For DEVELOPMENT AND TEST databases
-- only: a production CRM already has these tables (every statement is guarded, so running this there changes
-- nothing, but `lead-intel migrate` only runs it when asked with --with-baseline).
SET XACT_ABORT ON;
BEGIN TRANSACTION;

IF OBJECT_ID(N'dbo.lead', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.lead (
        LeadId            INT IDENTITY(1, 1) NOT NULL CONSTRAINT PK_lead PRIMARY KEY CLUSTERED,
        FirstName         NVARCHAR(100)  NULL,
        LastName          NVARCHAR(100)  NULL,
        Company           NVARCHAR(200)  NULL,
        Email             NVARCHAR(256)  NULL,
        LeadStatus        NVARCHAR(50)   NULL,
        LeadSource        NVARCHAR(50)   NULL,
        EstimatedValue    DECIMAL(18, 2) NULL,
        OwnerUserId       INT            NULL,
        CreatedDate       DATETIME2(3)   NOT NULL CONSTRAINT DF_lead_CreatedDate DEFAULT SYSUTCDATETIME(),
        StatusChangedDate DATETIME2(3)   NULL,
        LastContactDate   DATETIME2(3)   NULL,
        ClosedDate        DATETIME2(3)   NULL,
        ModifiedDate      DATETIME2(3)   NULL
    );
END;

-- No foreign key to lead: real CRMs carry orphan follow-ups and visits, and the scoring input view ignores them.
IF OBJECT_ID(N'dbo.FollowUps', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.FollowUps (
        FollowUpId    INT IDENTITY(1, 1) NOT NULL CONSTRAINT PK_FollowUps PRIMARY KEY CLUSTERED,
        LeadId        INT           NOT NULL,
        DueDate       DATETIME2(3)  NULL,
        Status        NVARCHAR(20)  NOT NULL CONSTRAINT DF_FollowUps_Status DEFAULT N'Pending',
        CompletedDate DATETIME2(3)  NULL,
        Notes         NVARCHAR(MAX) NULL,
        CreatedDate   DATETIME2(3)  NOT NULL CONSTRAINT DF_FollowUps_CreatedDate DEFAULT SYSUTCDATETIME()
    );
END;

IF OBJECT_ID(N'dbo.Visit', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.Visit (
        VisitId     INT IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Visit PRIMARY KEY CLUSTERED,
        LeadId      INT           NOT NULL,
        VisitDate   DATETIME2(3)  NOT NULL,
        Outcome     NVARCHAR(50)  NULL,
        Notes       NVARCHAR(MAX) NULL
    );
END;

COMMIT TRANSACTION;
