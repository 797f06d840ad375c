-- Login reservations count then insert under this lock: two nodes cannot both
-- count the same rows and both insert (store.ReserveLogin).
LOCK TABLE login_failures IN SHARE ROW EXCLUSIVE MODE
