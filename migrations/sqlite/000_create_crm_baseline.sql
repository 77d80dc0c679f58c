-- SQLite twin of ../000_create_crm_baseline.sql (same tables and columns; a test compares them).
-- Dates are INTEGER epoch milliseconds (UTC): SQLite has no date type, and integers keep the scoring view fast.
CREATE TABLE IF NOT EXISTS lead (
    LeadId            INTEGER PRIMARY KEY,
    FirstName         TEXT NULL,
    LastName          TEXT NULL,
    Company           TEXT NULL,
    Email             TEXT NULL,
    LeadStatus        TEXT NULL,
    LeadSource        TEXT NULL,
    EstimatedValue    REAL NULL,
    OwnerUserId       INTEGER NULL,
    CreatedDate       INTEGER NOT NULL,
    StatusChangedDate INTEGER NULL,
    LastContactDate   INTEGER NULL,
    ClosedDate        INTEGER NULL,
    ModifiedDate      INTEGER NULL
);

CREATE TABLE IF NOT EXISTS FollowUps (
    FollowUpId    INTEGER PRIMARY KEY,
    LeadId        INTEGER NOT NULL,
    DueDate       INTEGER NULL,
    Status        TEXT NOT NULL DEFAULT 'Pending',
    CompletedDate INTEGER NULL,
    Notes         TEXT NULL,
    CreatedDate   INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
);

CREATE TABLE IF NOT EXISTS Visit (
    VisitId   INTEGER PRIMARY KEY,
    LeadId    INTEGER NOT NULL,
    VisitDate INTEGER NOT NULL,
    Outcome   TEXT NULL,
    Notes     TEXT NULL
);
