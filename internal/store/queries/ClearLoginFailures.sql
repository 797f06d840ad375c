DELETE FROM login_failures WHERE key = $1
