SELECT id, email, password_hash, role, created_at FROM users ORDER BY email
