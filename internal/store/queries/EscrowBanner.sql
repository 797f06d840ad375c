-- DO NOTHING: the first serving is the one kept, and two nodes (or two
-- requests) escrowing the same bytes at once both succeed with one row.
INSERT INTO banner_escrow (site_id, revision, language, sha256, script, charte_version, first_served_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (site_id, revision, language, sha256) DO NOTHING
