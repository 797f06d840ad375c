package main

import (
	"context"
	"crypto/ed25519"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

const consentsHelp = `Work with the proof of consent.

  verify    walk a site's hash chain, from its purge anchor if records were purged,
            and name the first record that was altered, removed or reordered (exit 1),
            or confirm the whole chain holds. With --witness FILE (repeatable, or files
            after the verb): also check heads saved earlier (the JSON of
            /api/v1/sites/ID/proof/head, one a line, or a checkpoint export): the chain
            must still hold that record at that seq with that hash, and a signed head
            must verify against the installation's key, or --key (the public key you
            saved: base64, PEM, or the JSON of /api/v1/proof/key, in a file or as is).
            Exit 1 naming the witness (file:line) that fails; a witness before the
            retention anchor is reported "not checkable" and does not fail. Exit 2 when
            a witness file cannot be read or names another site.
  export    stream a site's records with their hashes, as CSV or JSON lines, so an
            auditor can verify them offline (each hash is the SHA-256 of the record's
            canonical JSON, which includes the previous hash); the purge anchor comes
            first: a "# anchor {...}" comment line in CSV, an {"anchor": {...}} line in JSON
  purge     delete the records older than --before or --older-than (retention), keeping
            the rest verifiable from an anchor; --dry-run says how many would go. Refused
            within the site's choice lifetime and on a broken chain. Made for cron:
            charte consents --site ID --older-than 5years purge
  checkpoints
            print the site's checkpoint log, the signed heads charte serve recorded
            (--checkpoint-interval), one JSON a line: a witness file as it stands`

func cmdConsents(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte consents", "charte consents verify|export|purge|checkpoints --site ID [--witness FILE]... [--key KEY] "+
		"[--format csv|json] [--since T] [--until T] [--before T | --older-than AGE] [--dry-run] [--db DSN] [FILE...]", consentsHelp, io.Stderr)
	site := fs.String("site", "", "site id (required)")
	format := fs.String("format", "csv", "export format: csv or json (one record per line)")
	since := fs.String("since", "", "export records from this time (RFC 3339 or YYYY-MM-DD)")
	until := fs.String("until", "", "export records before this time (RFC 3339 or YYYY-MM-DD)")
	pf := purgeFlags{
		before:    fs.String("before", "", "purge records older than this time (RFC 3339 or YYYY-MM-DD)"),
		olderThan: fs.String("older-than", "", "purge records older than this age: 13months, 5years, 400days, 2weeks"),
		dryRun:    fs.Bool("dry-run", false, "purge: say how many records would go, change nothing"),
	}
	var witnesses siteList
	fs.Var(&witnesses, "witness", "verify: a file of heads saved earlier, one JSON a line (repeat for several; - is standard input)")
	keyFlag := fs.String("key", "", "verify: the public key the witnesses' signatures must verify with, as a file or as is (default: the key in the database)")
	db := cli.DBFlag(fs)
	verb, rest, err := parseVerbArgs(fs, io, args)
	if err != nil {
		return err
	}
	switch {
	case verb != "verify" && verb != "export" && verb != "purge" && verb != "checkpoints":
		return cli.Usagef("charte consents: want verify, export, purge or checkpoints")
	case verb != "verify" && len(rest) > 0:
		return cli.Usagef("charte consents %s: unexpected argument %q", verb, rest[0])
	case verb != "verify" && (len(witnesses) > 0 || *keyFlag != ""):
		return cli.Usagef("charte consents %s: --witness and --key are for verify", verb)
	case *site == "":
		return cli.Usagef("charte consents %s: --site is required", verb)
	case *format != "csv" && *format != "json":
		return cli.Usagef("charte consents: --format %q: want csv or json", *format)
	}
	witnesses = append(witnesses, rest...)
	var key ed25519.PublicKey
	if *keyFlag != "" {
		if key, err = auditorKey(*keyFlag); err != nil {
			return err
		}
	}
	ws, err := readWitnesses(io, *site, witnesses)
	if err != nil {
		return err
	}
	var cutoff time.Time
	if verb == "purge" {
		var err error
		if cutoff, err = pf.cutoff(time.Now()); err != nil {
			return err
		}
	}
	from, err := parseTime("--since", *since)
	if err != nil {
		return err
	}
	to, err := parseTime("--until", *until)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "verify":
		return verifyChain(ctx, io, st, *site, ws, key)
	case "checkpoints":
		return exportCheckpoints(ctx, io, st, *site)
	case "purge":
		return purgeConsents(ctx, io, st, *site, cutoff, *pf.dryRun)
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

// verifyChain walks the chain, then checks the witnesses against it: a
// broken chain is reported and its witnesses still checked, so the auditor
// sees everything that does not hold in one run.
func verifyChain(ctx context.Context, io cli.IO, st store.Store, site string, ws []proof.Witness, key ed25519.PublicKey) error {
	if _, err := st.Site(ctx, site); err != nil {
		return err
	}
	c, err := proof.VerifyChain(ctx, st, site)
	if err != nil {
		return err
	}
	if c.Break != nil {
		fmt.Fprintf(io.Stdout, "%s: proof chain BROKEN at %v\n", site, c.Break)
	} else {
		if !c.Anchor.IsZero() {
			fmt.Fprintf(io.Stdout, "%s: %d records purged up to %s, chain verified from record %d\n",
				site, c.Anchor.Seq, c.Anchor.Time.UTC().Format(time.RFC3339), c.Anchor.Next())
		}
		fmt.Fprintf(io.Stdout, "%s: %d records, chain intact, head %s\n", site, c.Verified, c.Head.Hash)
	}
	held := true
	if len(ws) > 0 {
		if held, err = checkWitnesses(ctx, io, st, site, ws, key); err != nil {
			return err
		}
	}
	if c.Break != nil || !held {
		return errSilentFailure
	}
	return nil
}

// exportColumns are the CSV columns, in the order of the hashed form.
var exportColumns = []string{"seq", "id", "site", "consent_id", "time", "action", "decisions", "revision",
	"language", "page", "ip", "user_agent", "gpc", "prev_hash", "hash"}

func exportConsents(ctx context.Context, io cli.IO, st store.Store, site, format string, since, until time.Time) error {
	if _, err := st.Site(ctx, site); err != nil {
		return err
	}
	// The anchor first: an auditor verifies the records that follow from it
	// (their first must be anchor.seq+1 and point at anchor.hash).
	anchor, err := st.ProofAnchor(ctx, site)
	if err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(io.Stdout)
		if err := enc.Encode(struct {
			Anchor proof.Anchor `json:"anchor"`
		}{anchor}); err != nil {
			return err
		}
		return st.Consents(ctx, site, since, until, func(r proof.Record) error { return enc.Encode(r) })
	}
	// A comment line, which CSV readers skip when told that '#' starts one
	// (encoding/csv: Reader.Comment), so the columns stay one header row.
	a, err := json.Marshal(anchor)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "# anchor %s\n", a)
	w := csv.NewWriter(io.Stdout)
	w.Write(exportColumns)
	err = st.Consents(ctx, site, since, until, func(r proof.Record) error {
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
