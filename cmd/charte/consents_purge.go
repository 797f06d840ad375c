package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

// purgeFlags are the retention flags of `charte consents purge`.
type purgeFlags struct {
	before, olderThan *string
	dryRun            *bool
}

// cutoff is the time records must be older than to go: --before as given,
// or now minus --older-than.
func (p purgeFlags) cutoff(now time.Time) (time.Time, error) {
	switch {
	case (*p.before == "") == (*p.olderThan == ""):
		return time.Time{}, cli.Usagef("charte consents purge: give either --before or --older-than")
	case *p.before != "":
		return parseTime("--before", *p.before)
	}
	age, err := parseAge(*p.olderThan)
	if err != nil {
		return time.Time{}, err
	}
	return now.Add(-age), nil
}

// parseAge reads "13months", "5years", "400days", "2weeks" (a space before
// the unit is allowed). Months and years are the registry's averaged
// lengths, the ones choice lifetimes are measured in, so "--older-than
// 6months" is exactly the limit for a site keeping choices "6 months".
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i > 0 {
		n, err := strconv.Atoi(s[:i])
		unit := strings.TrimSuffix(strings.TrimSpace(s[i:]), "s")
		if err == nil && n > 0 && (unit == "day" || unit == "week" || unit == "month" || unit == "year") {
			if d, err := registry.Lifetime(fmt.Sprintf("%d %ss", n, unit)).Duration(); err == nil {
				return d, nil
			}
		}
	}
	return 0, cli.Usagef("--older-than %q: want a count and a unit, such as 13months, 5years, 400days or 2weeks", s)
}

// choiceLifetimes are the choice lifetimes the site has told visitors: its
// draft's and, once published, its revision's. proof.Purge keeps records
// for the longest, so a purge never removes the proof of a choice in force.
func choiceLifetimes(ctx context.Context, st store.Store, site string) ([]registry.Lifetime, error) {
	draft, err := st.Site(ctx, site)
	if err != nil {
		return nil, err
	}
	lives := []registry.Lifetime{draft.ChoiceDuration()}
	if pub, err := st.Published(ctx, site); err == nil {
		lives = append(lives, pub.Site.ChoiceDuration())
	}
	return lives, nil
}

func purgeConsents(ctx context.Context, io cli.IO, st store.Store, site string, before time.Time, dryRun bool) error {
	lives, err := choiceLifetimes(ctx, st, site)
	if err != nil {
		return err
	}
	res, err := proof.Purge(ctx, st, proof.PurgeRequest{Site: site, Before: before, Now: time.Now(), Lifetimes: lives, DryRun: dryRun})
	var tooRecent *proof.TooRecentError
	var broken *proof.BrokenChainError
	switch {
	case errors.As(err, &tooRecent):
		return fmt.Errorf("%w; use --before %s or earlier, or --older-than %s or more", err,
			tooRecent.Limit.UTC().Format("2006-01-02"), strings.ReplaceAll(string(tooRecent.Keep), " ", ""))
	case errors.As(err, &broken):
		return fmt.Errorf("%w (see charte consents verify)", err)
	case err != nil:
		return err
	}
	cut := before.UTC().Format(time.RFC3339)
	if dryRun {
		if res.Deleted == 0 {
			fmt.Fprintf(io.Stdout, "%s: dry run: no record before %s to purge; nothing changed\n", site, cut)
			return nil
		}
		fmt.Fprintf(io.Stdout, "%s: dry run: %d records would be purged (records %d to %d, up to %s); nothing changed\n",
			site, res.Deleted, res.Anchor.Seq-res.Deleted+1, res.Anchor.Seq, res.Anchor.Time.UTC().Format(time.RFC3339))
		return nil
	}
	if res.Deleted == 0 {
		// Not audited: a daily cron finding nothing to do is not an event.
		fmt.Fprintf(io.Stdout, "%s: no record before %s to purge\n", site, cut)
		return nil
	}
	err = st.AppendAudit(ctx, auth.AuditEntry{Email: "cli", SiteID: site, Action: "consents.purge", Detail: map[string]any{
		"before": cut, "deleted": res.Deleted, "anchor_seq": res.Anchor.Seq, "anchor_hash": res.Anchor.Hash,
		"purged_total": res.Anchor.Purged}})
	if err != nil {
		return fmt.Errorf("%d records of %s were purged, but the audit log failed: %w", res.Deleted, site, err)
	}
	fmt.Fprintf(io.Stdout, "%s: %d records purged (records %d to %d, up to %s); the chain is verified from record %d\n",
		site, res.Deleted, res.Anchor.Seq-res.Deleted+1, res.Anchor.Seq, res.Anchor.Time.UTC().Format(time.RFC3339), res.Anchor.Seq+1)
	return nil
}
