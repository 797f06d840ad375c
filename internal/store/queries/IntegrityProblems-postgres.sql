-- PostgreSQL checks its pages as it reads them when data checksums are on
-- (initdb --data-checksums): a failure is counted here. No row: none seen.
SELECT 'data checksum failures in this database: ' || checksum_failures
FROM pg_stat_database
WHERE datname = current_database() AND checksum_failures > 0
