SELECT count(*) FROM consents WHERE site_id = $1
