SELECT count(*) FROM sites WHERE id = $1
