SELECT COUNT(*) FROM login_networks WHERE account = $1 AND network = $2 AND time >= $3
