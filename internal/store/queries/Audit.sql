SELECT id, time, user_email, site_id, action, detail, ip FROM audit_log
WHERE ($1 = '' OR site_id = $1) AND (CAST($2 AS BIGINT) = 0 OR id < CAST($2 AS BIGINT))
ORDER BY id DESC
LIMIT $3
