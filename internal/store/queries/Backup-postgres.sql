-- Never run: Backup answers ErrBackupPostgres (pg_dump's job). The pair
-- exists because every query comes for both engines.
SELECT 1 WHERE false
