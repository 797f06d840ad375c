SELECT revision, document, published_at FROM revisions WHERE site_id = $1 AND revision = $2
