-- For each category a choice answered about: how many choices carried it
-- and how many granted it. Withdrawals are left out: they answer no
-- question the banner asked, they take a consent back.
SELECT j.key, COUNT(*), SUM(CASE WHEN j.type = 'true' THEN 1 ELSE 0 END)
FROM consents AS c, json_each(c.decisions) AS j
WHERE c.site_id = $1 AND c.time >= $2 AND c.time < $3 AND c.action <> 'withdraw'
  AND json_type(c.decisions) = 'object'
GROUP BY j.key
ORDER BY j.key
