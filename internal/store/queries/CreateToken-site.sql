-- Selecting from sites makes an unknown site insert nothing, which the Go
-- side turns into ErrNotFound, the same on both engines.
INSERT INTO api_token_sites (token_id, site_id) SELECT $1, id FROM sites WHERE id = $2
