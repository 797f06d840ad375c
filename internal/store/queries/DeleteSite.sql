DELETE FROM sites WHERE id = $1
