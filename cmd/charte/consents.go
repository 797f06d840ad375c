package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

const consentsHelp = `Work with the proof of consent.

  verify    walk a site's hash chain and name the first record that was altered,
            removed or reordered (exit 1), or confirm the whole chain holds
  export    stream a site's records with their hashes, as CSV or JSON lines, so an
            auditor can verify them offline (each hash is the SHA-256 of the record's
            canonical JSON, which includes the previous hash)`

func cmdConsents(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte consents", "charte consents verify|export --site ID [--format csv|json] [--since T] [--until T] [--db DSN]", consentsHelp, io.Stderr)
	site := fs.String("site", "", "site id (required)")
	format := fs.String("format", "csv", "export format: csv or json (one record per line)")
	since := fs.String("since", "", "export records from this time (RFC 3339 or YYYY-MM-DD)")
	until := fs.String("until", "", "export records before this time (RFC 3339 or YYYY-MM-DD)")
	db := cli.DBFlag(fs)
	if err := parseDBCommand(fs, io, args); err != nil {
		return err
	}
	verb := fs.Arg(0)
	switch {
	case fs.NArg() != 1 || (verb != "verify" && verb != "export"):
		return cli.Usagef("charte consents: want verify or export (flags go before it)")
	case *site == "":
		return cli.Usagef("charte consents %s: --site is required", verb)
	case *format != "csv" && *format != "json":
		return cli.Usagef("charte consents: --format %q: want csv or json", *format)
	}
	from, err := parseTime("--since", *since)
	if err != nil {
		return err
	}
	to, err := parseTime("--until", *until)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if verb == "verify" {
		return verifyChain(ctx, io, st, *site)
	}
	return exportConsents(ctx, io, st, *site, *format, from, to)
}

func parseTime(flagName, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, cli.Usagef("%s %q: want a time such as 2026-11-28 or 2026-11-28T10:00:00Z", flagName, v)
}

func verifyChain(ctx context.Context, io cli.IO, st store.Store, site string) error {
	if _, err := st.Site(ctx, site); err != nil {
		return err
	}
	// The head is read first: records appended while we walk are then
	// simply beyond it, not mistaken for tampering.
	head, err := st.ProofHead(ctx, site)
	if err != nil {
		return err
	}
	var v proof.Verifier
	err = st.Consents(ctx, site, time.Time{}, time.Time{}, func(r proof.Record) error {
		if r.Seq > head.Count {
			return errStop
		}
		if br := v.Add(r); br != nil {
			return br
		}
		return nil
	})
	var br *proof.Break
	switch {
	case errors.As(err, &br):
	case err != nil && !errors.Is(err, errStop):
		return err
	default:
		br = v.Finish(head.Count, head.Hash)
	}
	if br != nil {
		fmt.Fprintf(io.Stdout, "%s: proof chain BROKEN at %v\n", site, br)
		return errSilentFailure
	}
	fmt.Fprintf(io.Stdout, "%s: %d records, chain intact, head %s\n", site, v.Count(), head.Hash)
	return nil
}

var errStop = errors.New("stop")

// exportColumns are the CSV columns, in the order of the hashed form.
var exportColumns = []string{"seq", "id", "site", "consent_id", "time", "action", "decisions", "revision",
	"language", "page", "ip", "user_agent", "gpc", "prev_hash", "hash"}

func exportConsents(ctx context.Context, io cli.IO, st store.Store, site, format string, since, until time.Time) error {
	if _, err := st.Site(ctx, site); err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(io.Stdout)
		return st.Consents(ctx, site, since, until, func(r proof.Record) error { return enc.Encode(r) })
	}
	w := csv.NewWriter(io.Stdout)
	w.Write(exportColumns)
	err := st.Consents(ctx, site, since, until, func(r proof.Record) error {
		decisions, _ := json.Marshal(r.Decisions)
		return w.Write([]string{strconv.FormatInt(r.Seq, 10), r.ID, r.SiteID, r.ConsentID,
			r.Time.UTC().Format(proof.TimeFormat), r.Action, string(decisions), r.Revision, r.Language,
			csvSafe(r.Page), r.IP, csvSafe(r.UserAgent), strconv.FormatBool(r.GPC), r.PrevHash, r.Hash})
	})
	if err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// csvSafe defuses spreadsheet formulas in visitor-supplied text: a cell
// starting with = + - @ would run when the auditor opens the file.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
