-- Choices per UTC day and action. The day is the first ten characters of
-- the stored time (proof.TimeFormat is fixed width). opt_ins counts the
-- records that granted at least one category; decisions is TEXT holding a
-- JSON object, or "null" for a record without decisions, which jsonb_each
-- would refuse: hence the jsonb_typeof guard.
SELECT substr(time, 1, 10) AS day, action, COUNT(*),
	SUM(CASE WHEN jsonb_typeof(CAST(c.decisions AS jsonb)) = 'object' AND EXISTS (
		SELECT 1 FROM jsonb_each_text(CAST(c.decisions AS jsonb)) AS j WHERE j.value = 'true') THEN 1 ELSE 0 END)
FROM consents AS c
WHERE site_id = $1 AND time >= $2 AND time < $3
GROUP BY 1, 2
ORDER BY 1, 2
