-- No row lock in SQLite: the transaction holds the database write lock.
SELECT seq FROM proof_heads WHERE site_id = $1
