SELECT document, published_revision FROM sites WHERE id = $1
