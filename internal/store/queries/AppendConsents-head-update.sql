UPDATE proof_heads SET seq = $2, hash = $3, time = $4 WHERE site_id = $1
