-- li:rerun-on-change (every statement is guarded or replaces what it creates; applied again when the mapping changes it)
-- SQLite twin of ../004_create_model_registry.sql.
CREATE TABLE IF NOT EXISTS lead_scoring_models (
    ModelId     INTEGER PRIMARY KEY,
    Version     TEXT    NOT NULL,
    TrainedAt   INTEGER NOT NULL,
    WindowFrom  INTEGER NULL,
    WindowTo    INTEGER NULL,
    Published   INTEGER NOT NULL DEFAULT 0,
    Won         INTEGER NOT NULL,
    Lost        INTEGER NOT NULL,
    HoldoutAuc  REAL    NULL,
    FeatureList TEXT    NULL,
    ModelJson   TEXT    NULL,
    Note        TEXT    NULL
);
CREATE INDEX IF NOT EXISTS IX_lead_scoring_models_TrainedAt ON lead_scoring_models (TrainedAt DESC, Published);

DROP VIEW IF EXISTS v_lead_training_input;
-- Features as of each lead's close date: the same aggregation as the scoring input's, rendered as of the close.
CREATE VIEW v_lead_training_input AS
SELECT
    l.LeadId,
    l.LeadSource,
    l.EstimatedValue,
    l.CreatedDate,
    CASE WHEN l.LastContactDate <= l.ClosedDate THEN l.LastContactDate END AS LastContactDate,
    $(FeatureColumns)$(LeadExtras),
    sm.Category AS Outcome,
    l.ClosedDate
FROM li_leads AS l
JOIN lead_status_map AS sm ON sm.StatusKey = l.StatusKey
$(FeaturesAsOfClose)
WHERE sm.Category IN ('won', 'lost') AND l.ClosedDate IS NOT NULL;
