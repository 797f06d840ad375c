-- Lets this reader connection write the backup file (it is discarded after).
PRAGMA query_only(0)
