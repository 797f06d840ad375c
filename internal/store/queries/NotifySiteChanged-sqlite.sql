-- Never run: SQLite carries no notification between processes
-- (NotifySiteChanged does nothing there). The pair exists because every
-- query comes for both engines.
SELECT ?
