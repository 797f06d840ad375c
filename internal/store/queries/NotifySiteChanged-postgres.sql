-- Delivered to every session listening on charte_sites (WatchSites) when the
-- statement's transaction commits; the payload is the site id.
SELECT pg_notify('charte_sites', $1)
