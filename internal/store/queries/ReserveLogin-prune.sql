DELETE FROM login_failures WHERE time < $1
