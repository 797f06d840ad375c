SELECT s.id_hash, s.user_id, s.created_at, s.expires_at, s.ip, s.user_agent,
       u.id, u.email, u.password_hash, u.role, u.created_at
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id_hash = $1 AND s.expires_at > $2
