CREATE TABLE IF NOT EXISTS schema_migrations (
	name       TEXT NOT NULL PRIMARY KEY,
	applied_at TEXT NOT NULL
)
