INSERT INTO api_tokens (name, token_hash, role, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id
