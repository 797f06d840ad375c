SELECT user_id, site_id FROM user_sites ORDER BY user_id, site_id
