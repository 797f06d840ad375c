SELECT count(*) FROM schema_migrations WHERE name = $1
