package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/charte/charte/internal/auth"
)

func (d *db) AppendAudit(ctx context.Context, e auth.AuditEntry) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	detail := []byte("{}")
	if len(e.Detail) > 0 {
		var err error
		if detail, err = json.Marshal(e.Detail); err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
	}
	_, err := d.w.ExecContext(ctx, d.q("AppendAudit"), timeText(e.Time), e.Email, e.SiteID, e.Action, string(detail), e.IP)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// Audit pages by id rather than by offset, so a page stays the same while
// new entries arrive.
func (d *db) Audit(ctx context.Context, q AuditQuery) ([]auth.AuditEntry, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 100
	}
	rows, err := d.r.QueryContext(ctx, d.q("Audit"), q.SiteID, q.Before, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []auth.AuditEntry
	for rows.Next() {
		var (
			e          auth.AuditEntry
			tm, detail string
		)
		if err := rows.Scan(&e.ID, &tm, &e.Email, &e.SiteID, &e.Action, &detail, &e.IP); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		if e.Time, err = parseTime(tm); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		if err := json.Unmarshal([]byte(detail), &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log entry %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}
