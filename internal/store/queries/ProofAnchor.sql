SELECT seq, hash, time, purged_at, purged FROM proof_anchors WHERE site_id = $1
