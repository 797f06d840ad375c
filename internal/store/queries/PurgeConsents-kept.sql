-- The first record that is not older than the cutoff: the purge stops just
-- before it, so it only ever removes a prefix of the chain, never a hole,
-- even if clocks made a later record older. Walks the primary key from the
-- oldest record, so it reads about as many rows as it will delete.
SELECT seq FROM consents WHERE site_id = $1 AND time >= $2 ORDER BY seq LIMIT 1
