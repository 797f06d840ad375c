-- Several charte nodes may start with --migrate at once: the first takes the
-- lock, the others wait and then see the migration as applied.
LOCK TABLE schema_migrations IN SHARE ROW EXCLUSIVE MODE
