DELETE FROM login_failures WHERE attempt = $1
