SELECT seq, hash, time, format, key_id, signature, checkpointed_at
FROM proof_checkpoints WHERE site_id = $1 ORDER BY seq
