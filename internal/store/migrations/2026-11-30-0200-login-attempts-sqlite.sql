-- Login throttling reserves before it evaluates (internal/auth/throttle.go):
-- each attempt writes its rows first, under an attempt id, then counts; a
-- refused or successful attempt deletes its rows by that id.
-- Differs from the PostgreSQL file only in the collation of times.
ALTER TABLE login_failures ADD COLUMN attempt TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_attempt ON login_failures (attempt);
-- Every reservation prunes what left the window: under a flood the table holds
-- every attempt of the last 15 minutes, which must not be scanned each time.
CREATE INDEX login_failures_time ON login_failures (time);

-- The networks (/24, /64) each account has signed in from: failures for an
-- account from elsewhere do not lock it out from a network it is known on.
CREATE TABLE login_networks (
	account TEXT NOT NULL,
	network TEXT NOT NULL,
	time    TEXT NOT NULL,
	PRIMARY KEY (account, network)
);
