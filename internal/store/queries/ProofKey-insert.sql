-- DO NOTHING: when two nodes create a key at once, the first insert wins
-- and both read it back with ProofKey.
INSERT INTO proof_keys (purpose, key_id, public_key, private_key, created_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (purpose) DO NOTHING
