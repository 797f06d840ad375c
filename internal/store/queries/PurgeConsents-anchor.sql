-- $6 is the number deleted now; the anchor keeps the running total.
INSERT INTO proof_anchors (site_id, seq, hash, time, purged_at, purged) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (site_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, time = excluded.time,
	purged_at = excluded.purged_at, purged = proof_anchors.purged + excluded.purged
