-- SQLite twin of ../000_create_crm_baseline.rollback.sql: the runner refuses it while the tables hold rows.
DROP TABLE IF EXISTS Visit;
DROP TABLE IF EXISTS FollowUps;
DROP TABLE IF EXISTS lead;
