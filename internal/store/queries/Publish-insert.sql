-- DO NOTHING: a draft reverted to an earlier revision publishes that
-- revision again, and a revision is never rewritten.
INSERT INTO revisions (site_id, revision, document, published_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (site_id, revision) DO NOTHING
