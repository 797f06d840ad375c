INSERT INTO sites (id, name, document, created_at, updated_at)
VALUES ($1, $2, $3, $4, $4)
ON CONFLICT (id) DO UPDATE
SET name = excluded.name, document = excluded.document, updated_at = excluded.updated_at
