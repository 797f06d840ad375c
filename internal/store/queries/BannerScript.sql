SELECT site_id, revision, language, sha256, charte_version, first_served_at, script
FROM banner_escrow WHERE site_id = $1 AND revision = $2 AND sha256 = $3
ORDER BY language
LIMIT 1
