INSERT INTO login_failures (key, time, attempt) VALUES ($1, $2, $3)
