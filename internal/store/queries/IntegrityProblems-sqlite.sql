-- One row "ok", or up to 100 rows describing what is wrong.
PRAGMA integrity_check
