-- FOR UPDATE: two nodes publishing the same site take turns.
SELECT document, published_revision FROM sites WHERE id = $1 FOR UPDATE
