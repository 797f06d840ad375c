-- SQLite compares TEXT bytewise (BINARY collation) already, so text order is
-- time order: nothing to do. The file exists so both engines run the same list.
SELECT 1;
