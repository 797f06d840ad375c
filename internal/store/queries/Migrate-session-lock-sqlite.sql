-- SQLite needs no session lock: BEGIN IMMEDIATE in each migration is the
-- lock (see Migrate-lock-sqlite.sql).
SELECT 1
