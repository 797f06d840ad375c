-- The head row first, as AppendConsents locks it: appenders and purgers of
-- one site take the same lock in the same order and cannot deadlock, and a
-- purge sees a chain no one else is changing.
SELECT seq FROM proof_heads WHERE site_id = $1 FOR UPDATE
