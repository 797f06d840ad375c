UPDATE sites SET published_revision = $2 WHERE id = $1
