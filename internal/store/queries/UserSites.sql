SELECT site_id FROM user_sites WHERE user_id = $1 ORDER BY site_id
