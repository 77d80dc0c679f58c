-- SQLite twin of ../004_create_model_registry.rollback.sql.
DROP VIEW IF EXISTS v_lead_training_input;
DROP TABLE IF EXISTS lead_scoring_models;
