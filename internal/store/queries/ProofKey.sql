SELECT key_id, public_key, private_key, created_at FROM proof_keys WHERE purpose = $1
