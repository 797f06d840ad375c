-- Without the bytes, which a listing does not need (about 15 KB each).
SELECT site_id, revision, language, sha256, charte_version, first_served_at, length(script)
FROM banner_escrow WHERE site_id = $1 AND revision = $2
ORDER BY language, first_served_at, sha256
