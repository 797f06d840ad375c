INSERT INTO consents (site_id, seq, id, consent_id, time, action, decisions, revision, language, page, ip, user_agent, gpc, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
