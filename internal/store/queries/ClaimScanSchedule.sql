-- Compare-and-set: of the nodes that saw the schedule due, the one whose
-- update finds next_at unchanged runs the scan.
UPDATE scan_schedules SET next_at = $3 WHERE site_id = $1 AND next_at = $2
