-- $1 is a JSON array of rows (see jsonRow): one round trip inserts the
-- whole batch, however large.
INSERT INTO consents (site_id, seq, id, consent_id, time, action, decisions, revision, language, page, ip, user_agent, gpc, prev_hash, hash)
SELECT site_id, seq, id, consent_id, time, action, decisions, revision, language, page, ip, user_agent, gpc, prev_hash, hash
FROM jsonb_to_recordset(CAST($1 AS TEXT)::jsonb) AS x (
	site_id TEXT, seq BIGINT, id TEXT, consent_id TEXT, time TEXT, action TEXT, decisions TEXT, revision TEXT,
	language TEXT, page TEXT, ip TEXT, user_agent TEXT, gpc INTEGER, prev_hash TEXT, hash TEXT)
