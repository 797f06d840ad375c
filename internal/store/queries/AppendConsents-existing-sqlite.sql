-- $2 is a JSON array of record ids: one round trip for the whole batch.
SELECT site_id, seq, id, consent_id, time, action, decisions, revision, language, page, ip, user_agent, gpc, prev_hash, hash
FROM consents WHERE site_id = $1 AND id IN (SELECT value FROM json_each($2))
