INSERT INTO proof_heads (site_id, seq, hash, time) VALUES ($1, 0, '', '')
ON CONFLICT (site_id) DO NOTHING
