-- For each category a choice answered about: how many choices carried it
-- and how many granted it. Withdrawals are left out: they answer no
-- question the banner asked, they take a consent back. The LATERAL join
-- runs only on JSON objects ("null" is stored for a record without any).
SELECT j.key, COUNT(*), SUM(CASE WHEN j.value = 'true' THEN 1 ELSE 0 END)
FROM consents AS c
CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(CAST(c.decisions AS jsonb)) = 'object'
	THEN CAST(c.decisions AS jsonb) ELSE '{}'::jsonb END) AS j
WHERE c.site_id = $1 AND c.time >= $2 AND c.time < $3 AND c.action <> 'withdraw'
GROUP BY j.key
ORDER BY j.key
