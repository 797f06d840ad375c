-- Taken before schema_migrations may even exist, and held for the whole
-- migration: nodes started together queue here, one at a time. The key is
-- arbitrary but fixed ("charte-migrate" as a 64-bit number), and names this
-- lock only.
SELECT pg_advisory_lock(7226519318650466165)
