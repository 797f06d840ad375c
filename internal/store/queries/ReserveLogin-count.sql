SELECT COUNT(*), COALESCE(MIN(time), '') FROM login_failures WHERE key = $1 AND time >= $2
