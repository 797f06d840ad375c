SELECT id, name, published_revision, updated_at FROM sites ORDER BY id
