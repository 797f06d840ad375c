INSERT INTO audit_log (time, user_email, site_id, action, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)
