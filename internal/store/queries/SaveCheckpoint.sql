-- DO NOTHING: several nodes checkpoint the same head; one row is kept.
INSERT INTO proof_checkpoints (site_id, seq, hash, time, format, key_id, signature, checkpointed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (site_id, seq) DO NOTHING
