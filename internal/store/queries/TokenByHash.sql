-- A revoked token is simply absent, so no caller can forget the check.
SELECT id, name, role, created_by, created_at, revoked_at FROM api_tokens WHERE token_hash = $1 AND revoked_at = ''
