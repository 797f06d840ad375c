SELECT r.revision, r.document, r.published_at
FROM sites s JOIN revisions r ON r.site_id = s.id AND r.revision = s.published_revision
WHERE s.id = $1
