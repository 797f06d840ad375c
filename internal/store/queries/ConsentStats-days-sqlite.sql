-- Choices per UTC day and action. The day is the first ten characters of
-- the stored time (proof.TimeFormat is fixed width). opt_ins counts the
-- records that granted at least one category, read from the decisions JSON
-- by SQLite's json_each, where a JSON true has type 'true'.
SELECT substr(time, 1, 10) AS day, action, COUNT(*),
	SUM(CASE WHEN EXISTS (SELECT 1 FROM json_each(c.decisions) AS j WHERE j.type = 'true') THEN 1 ELSE 0 END)
FROM consents AS c
WHERE site_id = $1 AND time >= $2 AND time < $3
GROUP BY 1, 2
ORDER BY 1, 2
