-- Selecting from sites makes an unknown site insert nothing, which the
-- caller reports, instead of relying on each engine's foreign-key error.
INSERT INTO user_sites (user_id, site_id) SELECT $1, id FROM sites WHERE id = $2
