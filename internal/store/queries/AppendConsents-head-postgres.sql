-- The row lock serialises appenders of one site across charte nodes; the
-- head-init insert just before guarantees the row exists to be locked.
SELECT seq, hash FROM proof_heads WHERE site_id = $1 FOR UPDATE
