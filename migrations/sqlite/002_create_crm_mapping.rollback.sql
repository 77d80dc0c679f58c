-- SQLite twin of ../002_create_crm_mapping.rollback.sql.
DROP VIEW IF EXISTS li_visits;
DROP VIEW IF EXISTS li_follow_ups;
DROP VIEW IF EXISTS li_leads;
DROP TABLE IF EXISTS lead_intel_mapping;
DROP TABLE IF EXISTS li_follow_up_states;
DROP TABLE IF EXISTS lead_status_map;
