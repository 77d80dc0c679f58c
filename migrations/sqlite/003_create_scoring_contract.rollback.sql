-- SQLite twin of ../003_create_scoring_contract.rollback.sql (the run lock table is the embedded store's own).
DROP VIEW IF EXISTS v_lead_scoring_input;
DROP TABLE IF EXISTS lead_scoring_lock;
DROP TABLE IF EXISTS lead_scoring_runs;
