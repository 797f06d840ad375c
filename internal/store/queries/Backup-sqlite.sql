-- A transactionally consistent copy into a new file, vacuumed: SQLite's
-- own online backup, not a file copy (which could catch the database and
-- its WAL at different moments).
VACUUM INTO ?
