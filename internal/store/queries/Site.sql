SELECT document FROM sites WHERE id = $1
