SELECT site_id, seq, id, consent_id, time, action, decisions, revision, language, page, ip, user_agent, gpc, prev_hash, hash
FROM consents WHERE site_id = $1 AND consent_id = $2
ORDER BY seq
