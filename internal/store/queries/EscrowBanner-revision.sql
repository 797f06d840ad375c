SELECT count(*) FROM revisions WHERE site_id = $1 AND revision = $2
