-- Keyset pagination on the primary key (site_id, seq): a page costs the
-- same at record 10 as at record 10 million, and stays put while choices
-- arrive. Empty filters ('') match everything so one plan serves all calls.
SELECT site_id, seq, id, consent_id, time, action, decisions, revision, language, page, ip, user_agent, gpc, prev_hash, hash
FROM consents
WHERE site_id = $1 AND seq > $2 AND time >= $3 AND time < $4
  AND ($5 = '' OR action = $5) AND ($6 = '' OR revision = $6)
ORDER BY seq
LIMIT $7
