-- Back-office accounts: users, the sites they are assigned, server-side
-- sessions, login failures (throttling shared by every node) and the audit
-- log. The only difference from the PostgreSQL file is how an integer key is
-- generated; times are TEXT in proof.TimeFormat as everywhere else.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	-- lower-cased, so one person cannot hold two accounts by case
	email         TEXT NOT NULL UNIQUE,
	-- argon2id in the PHC string format: the parameters travel with the hash
	password_hash TEXT NOT NULL,
	role          TEXT NOT NULL,
	created_at    TEXT NOT NULL
);

-- Editors and viewers see only the sites listed here; owners and admins see
-- every site whatever this table says. A deleted site leaves no grant behind.
CREATE TABLE user_sites (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	site_id TEXT   NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	PRIMARY KEY (user_id, site_id)
);

-- Only a SHA-256 of the session id is stored: a leaked database or backup
-- does not let anyone sign in as the operators it lists.
CREATE TABLE sessions (
	id_hash    TEXT   NOT NULL PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT   NOT NULL,
	expires_at TEXT   NOT NULL,
	ip         TEXT   NOT NULL,
	user_agent TEXT   NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- One row per failed login, keyed "email:…" or "ip:…", pruned as it ages.
CREATE TABLE login_failures (
	key  TEXT NOT NULL,
	time TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, time);

-- The audit log names the user by email rather than by a foreign key, so
-- deleting an account does not erase what it did.
CREATE TABLE audit_log (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	time       TEXT NOT NULL,
	user_email TEXT NOT NULL,
	site_id    TEXT NOT NULL,
	action     TEXT NOT NULL,
	detail     TEXT NOT NULL,
	ip         TEXT NOT NULL
);
CREATE INDEX audit_log_site ON audit_log (site_id, id);
