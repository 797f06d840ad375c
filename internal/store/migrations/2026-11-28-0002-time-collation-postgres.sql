-- Times are compared as text (since/until filters). PostgreSQL compares TEXT
-- with the database's collation, which may not be bytewise; "C" makes text
-- order time order whatever collation the operator's database was created with.
ALTER TABLE consents ALTER COLUMN time TYPE TEXT COLLATE "C";
ALTER TABLE proof_heads ALTER COLUMN time TYPE TEXT COLLATE "C";
ALTER TABLE sites ALTER COLUMN created_at TYPE TEXT COLLATE "C";
ALTER TABLE sites ALTER COLUMN updated_at TYPE TEXT COLLATE "C";
ALTER TABLE revisions ALTER COLUMN published_at TYPE TEXT COLLATE "C";
