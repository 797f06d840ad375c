DELETE FROM user_sites WHERE user_id = $1
