SELECT site_id FROM api_token_sites WHERE token_id = $1 ORDER BY site_id
