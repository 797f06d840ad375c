-- since is inclusive, until exclusive; the caller passes '' and a sentinel
-- above every time when a bound is not wanted, so one plan serves all calls.
SELECT site_id, seq, id, consent_id, time, action, decisions, revision, language, page, ip, user_agent, gpc, prev_hash, hash
FROM consents WHERE site_id = $1 AND time >= $2 AND time < $3
ORDER BY seq
