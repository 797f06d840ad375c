INSERT INTO login_failures (key, time) VALUES ($1, $2)
