-- SQLite twin of ../006_add_snapshot_priority.rollback.sql. DROP COLUMN (SQLite ≥ 3.35) accepts a column whose only
-- CHECK is its own (https://www.sqlite.org/lang_altertable.html#altertabdropcol).
ALTER TABLE lead_velocity_snapshots DROP COLUMN AIPriority;
