-- Choices per UTC day, action and decisions. The day is the first ten
-- characters of the stored time (proof.TimeFormat is fixed width). Grouping
-- by the decisions text rather than reading its JSON in SQL works the same
-- on both engines and is fast: a site has a handful of categories, so a
-- handful of distinct decisions, and a day yields a few rows whatever the
-- traffic; Go decodes each distinct text once (see stats.go).
SELECT substr(time, 1, 10) AS day, action, decisions, COUNT(*)
FROM consents
WHERE site_id = $1 AND time >= $2 AND time < $3
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
