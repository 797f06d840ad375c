SELECT seq, hash, time FROM proof_heads WHERE site_id = $1
