-- The write transaction began with BEGIN IMMEDIATE: it holds the write lock.
SELECT 1
