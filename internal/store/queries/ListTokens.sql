SELECT id, name, role, created_by, created_at, revoked_at FROM api_tokens ORDER BY id
