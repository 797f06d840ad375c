// Package store keeps sites, their published revisions and the consent proof,
// in SQLite (embedded, the default) or PostgreSQL. It knows nothing of HTTP.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/registry"
)

// ErrNotFound is returned when a site, revision or record does not exist.
// ErrNotFound is returned when a site, revision, record, account, session
// or token does not exist. It is auth's: the consumers auth declares
// (sessions, tokens) and the store agree on one "not found".
var ErrNotFound = auth.ErrNotFound

// ErrPendingMigrations is returned by Open's callers' checks when the schema
// is behind the binary; the message names the command that fixes it.
var ErrPendingMigrations = errors.New("the database has pending migrations: run `charte db migrate` or start with --migrate")

// SiteSummary is a line of the site list.
type SiteSummary struct {
	ID        string
	Name      string
	Published string // revision visitors see, "" when never published
	UpdatedAt time.Time
}

// Revision is an immutable published snapshot of a site's registry: exactly
// what the banner and the charter showed, so a consent record can be replayed.
type Revision struct {
	SiteID      string
	ID          string // registry.Site.Revision() of Site
	Site        *registry.Site
	PublishedAt time.Time
}

// Head is the end of a site's chain (proof.Head): the store reads it,
// proof verifies against it.
type Head = proof.Head

// Store is implemented by both engines; every method is safe for concurrent use.
type Store interface {
	// Engine is "sqlite" or "postgres".
	Engine() string
	Close() error

	// Migrate applies pending migrations, each in its own transaction, and
	// returns their names. Pending lists them without applying.
	Migrate(ctx context.Context) ([]string, error)
	Pending(ctx context.Context) ([]string, error)

	ListSites(ctx context.Context) ([]SiteSummary, error)
	// Site returns the current (draft) registry of a site.
	Site(ctx context.Context, id string) (*registry.Site, error)
	// SaveSite creates or replaces the draft registry of v.Site().ID.
	SaveSite(ctx context.Context, v registry.Valid) error
	DeleteSite(ctx context.Context, id string) error

	// Publish snapshots the draft as an immutable revision that visitors see
	// from now on. Publishing an unchanged draft returns the existing revision.
	Publish(ctx context.Context, siteID string) (Revision, error)
	// Published returns the revision visitors see now.
	Published(ctx context.Context, siteID string) (Revision, error)
	// Revision returns one published revision by id.
	Revision(ctx context.Context, siteID, revision string) (Revision, error)

	// AppendConsents chains and stores records in one transaction. A record
	// whose ID is already stored is not stored again: the stored one is
	// returned in its place. The returned slice is parallel to recs.
	AppendConsents(ctx context.Context, recs []proof.Record) ([]proof.Record, error)
	// Consents streams a site's records in chain order, from since
	// (inclusive) to until (exclusive) when they are non-zero, stopping
	// early when fn returns an error, which it returns as is.
	Consents(ctx context.Context, siteID string, since, until time.Time, fn func(proof.Record) error) error
	// ConsentHistory returns the records of one consent id, oldest first.
	ConsentHistory(ctx context.Context, siteID, consentID string) ([]proof.Record, error)
	// ProofHead returns the end of a site's chain (zero Count when empty).
	ProofHead(ctx context.Context, siteID string) (Head, error)
	// ProofAnchor returns where a site's remaining chain starts: the last
	// record purged (zero Seq when none ever was). purge.go.
	ProofAnchor(ctx context.Context, siteID string) (proof.Anchor, error)
	// PurgeConsents deletes the prefix of a site's chain older than before
	// and moves its anchor there; PlanPurge says what it would delete.
	PurgeConsents(ctx context.Context, siteID string, before time.Time) (PurgeResult, error)
	PlanPurge(ctx context.Context, siteID string, before time.Time) (PurgeResult, error)

	Accounts
	Scans  // scans.go: scans started from the back office and their reports
	Escrow // escrow.go: the banner scripts as served, byte for byte
	// signedheads.go: the key that signs heads, and the checkpoint log
	SignedHeads
	Maintenance // maintenance.go: backups and integrity checks
	SiteEvents  // notify.go: publishes carried to every node (PostgreSQL)
	ScanLeases  // scanlease.go: a site's scan runs on one node at a time
	Schedules   // schedules.go: scheduled scans and the alerts they raise
}
