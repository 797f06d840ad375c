-- $1 is a JSON array of rows (see jsonRow): one round trip inserts the
-- whole batch, however large.
INSERT INTO consents (site_id, seq, id, consent_id, time, action, decisions, revision, language, page, ip, user_agent, gpc, prev_hash, hash)
SELECT value ->> 'site_id', value ->> 'seq', value ->> 'id', value ->> 'consent_id', value ->> 'time',
	value ->> 'action', value ->> 'decisions', value ->> 'revision', value ->> 'language', value ->> 'page',
	value ->> 'ip', value ->> 'user_agent', value ->> 'gpc', value ->> 'prev_hash', value ->> 'hash'
FROM json_each($1)
