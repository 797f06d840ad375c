-- Signed heads (docs/proof.md): the installation's Ed25519 key, and the log
-- of signed heads the server checkpoints at an interval.
-- Differs from the PostgreSQL file only in the collation of times.

-- One row per purpose; "proof-head" signs the heads of every site. The
-- first node to need the key inserts it (ON CONFLICT DO NOTHING) and every
-- node then reads back the one that won, so two nodes starting at once on one
-- database agree on one key. The private key is here because the nodes share
-- nothing else; what it proves, and against whom, is in docs/proof.md.
CREATE TABLE proof_keys (
	purpose     TEXT NOT NULL PRIMARY KEY,
	key_id      TEXT NOT NULL,
	-- base64 of the 32-byte public key, and of the 32-byte private seed
	public_key  TEXT NOT NULL,
	private_key TEXT NOT NULL,
	created_at  TEXT NOT NULL
);

-- One signed head per site and seq: a head already checkpointed (by this
-- node or another) is not written again, and the chain has to move for a new
-- row. Rows go with their site; purges leave them (they hold no visitor data).
CREATE TABLE proof_checkpoints (
	site_id         TEXT   NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	seq             BIGINT NOT NULL,
	hash            TEXT   NOT NULL,
	-- the head record's time, as signed (TimeFormat)
	time            TEXT NOT NULL,
	format          TEXT   NOT NULL,
	key_id          TEXT   NOT NULL,
	signature       TEXT   NOT NULL,
	checkpointed_at TEXT NOT NULL,
	PRIMARY KEY (site_id, seq)
);
