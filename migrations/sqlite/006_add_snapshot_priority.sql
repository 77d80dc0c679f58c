-- SQLite twin of ../006_add_snapshot_priority.sql: the day's AIPriority on each snapshot row, NULL for the rows written
-- before it. ADD COLUMN with a CHECK and no default rewrites nothing (https://www.sqlite.org/lang_altertable.html).
ALTER TABLE lead_velocity_snapshots ADD COLUMN AIPriority INTEGER NULL CHECK (AIPriority BETWEEN 0 AND 100);
