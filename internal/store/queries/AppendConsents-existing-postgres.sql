-- $2 is a JSON array of record ids: one round trip for the whole batch.
-- = ANY (ARRAY(…)) rather than IN (SELECT …): the ids become an index
-- condition on (site_id, id), whatever the planner's statistics say, instead
-- of a join that may scan every record of the site.
SELECT site_id, seq, id, consent_id, time, action, decisions, revision, language, page, ip, user_agent, gpc, prev_hash, hash
FROM consents
WHERE site_id = $1 AND id = ANY (ARRAY(SELECT jsonb_array_elements_text(CAST($2 AS TEXT)::jsonb)))
