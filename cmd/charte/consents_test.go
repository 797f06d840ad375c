package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
)

// purgeEngines runs test on a migrated, seeded database of each engine, on
// whose site "demo" 10 records are two years old and 3 an hour old. raw
// reaches the tables under the store, as someone tampering would.
func purgeEngines(t *testing.T, test func(t *testing.T, dsn string, st store.Store, raw *sql.DB)) {
	engines := []struct {
		name string
		dsn  func(t *testing.T) (string, string, string) // charte DSN, driver, driver DSN
	}{
		{"sqlite", func(t *testing.T) (string, string, string) {
			path := filepath.Join(t.TempDir(), "charte.db")
			return "sqlite:" + path, "sqlite", path
		}},
		{"postgres", func(t *testing.T) (string, string, string) {
			dsn := storetest.PostgresDSN(t)
			return dsn, "pgx", dsn
		}},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn, driver, rawDSN := e.dsn(t)
			if code, _, errOut := charte(t, "", nil, "db", "--db", dsn, "migrate"); code != 0 {
				t.Fatal(errOut)
			}
			ctx := context.Background()
			st, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			rev, err := st.Published(ctx, "demo")
			if err != nil {
				t.Fatal(err)
			}
			old := time.Now().AddDate(-2, 0, 0)
			var recs []proof.Record
			for i := range 13 {
				at := old.Add(time.Duration(i) * time.Minute)
				if i >= 10 {
					at = time.Now().Add(-time.Hour)
				}
				recs = append(recs, choiceAt(rev.ID, i+1, at))
			}
			if _, err := st.AppendConsents(ctx, recs); err != nil {
				t.Fatal(err)
			}
			raw, err := sql.Open(driver, rawDSN)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			test(t, dsn, st, raw)
		})
	}
}

func choiceAt(rev string, n int, at time.Time) proof.Record {
	return proof.Record{ID: fmt.Sprintf("rec-%03d", n), SiteID: "demo", ConsentID: fmt.Sprintf("visitor-%d", n), Time: at,
		Action: proof.RejectAll, Decisions: map[string]bool{"statistics": false, "marketing": false}, Revision: rev,
		Language: "fr", Page: "/", IP: "192.0.2.0/24", UserAgent: "Mozilla/5.0 (test)"}
}

func TestConsentsPurge(t *testing.T) {
	purgeEngines(t, func(t *testing.T, dsn string, st store.Store, raw *sql.DB) {
		yesterday := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
		steps := []struct {
			name string
			args []string
			code int
			want []string
		}{
			{"neither cutoff", []string{"purge"}, 2, []string{"give either --before or --older-than"}},
			{"both cutoffs", []string{"--before", "2020-01-01", "--older-than", "5years", "purge"}, 2, []string{"either --before or --older-than"}},
			{"unknown unit", []string{"--older-than", "13parsecs", "purge"}, 2, []string{`--older-than "13parsecs"`}},
			{"dry run", []string{"--older-than", "13months", "--dry-run", "purge"},
				0, []string{"demo: dry run: 10 records would be purged (records 1 to 10, up to ", "nothing changed"}},
			{"the dry run changed nothing", []string{"verify"}, 0, []string{"demo: 13 records, chain intact"}},
			{"within the choice lifetime (age)", []string{"--older-than", "3months", "purge"},
				1, []string{"refusing to purge", "may prove a visitor's current choice (the site keeps choices 6 months)", "--older-than 6months"}},
			{"within the choice lifetime (date)", []string{"--before", yesterday, "purge"}, 1, []string{"refusing to purge"}},
			{"the refusals changed nothing", []string{"verify"}, 0, []string{"demo: 13 records, chain intact"}},
			{"purge", []string{"--older-than", "13months", "purge"},
				0, []string{"demo: 10 records purged (records 1 to 10, up to ", "the chain is verified from record 11"}},
			{"verify after the purge", []string{"verify"},
				0, []string{"demo: 10 records purged up to ", "chain verified from record 11", "demo: 3 records, chain intact"}},
			{"purge again", []string{"--older-than", "13months", "purge"}, 0, []string{"demo: no record before "}},
			{"dry run after the purge", []string{"--older-than", "6months", "--dry-run", "purge"}, 0, []string{"no record before", "nothing changed"}},
		}
		for _, s := range steps {
			args := append([]string{"consents", "--db", dsn, "--site", "demo"}, s.args...)
			code, out, errOut := charte(t, "", nil, args...)
			for _, w := range s.want {
				if code != s.code || !strings.Contains(out+errOut, w) {
					t.Errorf("%s: charte %v: exit %d, %q; want exit %d with %q", s.name, s.args, code, out+errOut, s.code, w)
				}
			}
		}
		// The purge is in the audit log once: a purge with nothing to do
		// is not an event.
		entries, err := st.Audit(context.Background(), store.AuditQuery{SiteID: "demo"})
		if err != nil {
			t.Fatal(err)
		}
		var purges []auth.AuditEntry
		for _, e := range entries {
			if e.Action == "consents.purge" {
				purges = append(purges, e)
			}
		}
		if len(purges) != 1 || purges[0].Email != "cli" || purges[0].Detail["deleted"] != float64(10) || purges[0].Detail["anchor_seq"] != float64(10) {
			t.Errorf("audit of the purge: %+v, want one consents.purge by cli deleting 10", purges)
		}
		// Choices recorded after the purge continue the chain.
		rev, _ := st.Published(context.Background(), "demo")
		if _, err := st.AppendConsents(context.Background(), []proof.Record{choiceAt(rev.ID, 14, time.Now())}); err != nil {
			t.Fatal(err)
		}
		if code, out, _ := charte(t, "", nil, "consents", "--db", dsn, "--site", "demo", "verify"); code != 0 || !strings.Contains(out, "demo: 4 records, chain intact") {
			t.Errorf("verify after an append: exit %d, %s", code, out)
		}
	})
}

func TestConsentsVerifyDetectsTamperingAfterPurge(t *testing.T) {
	tests := []struct {
		name, sql string
		want      string
	}{
		{"anchor hash changed", "UPDATE proof_anchors SET hash = 'forged' WHERE site_id = 'demo'",
			"BROKEN at record 11 (rec-011): does not follow the purge anchor"},
		{"anchor moved back", "UPDATE proof_anchors SET seq = 9 WHERE site_id = 'demo'",
			"BROKEN at record 10: missing: the purge anchor is at record 9 but the chain resumes at record 11"},
		{"anchor removed", "DELETE FROM proof_anchors WHERE site_id = 'demo'",
			"BROKEN at record 1: missing: the chain jumps from record 0 to 11"},
		{"first record kept altered", "UPDATE consents SET page = '/forged' WHERE site_id = 'demo' AND seq = 11",
			"BROKEN at record 11 (rec-011): altered"},
		{"first record kept removed", "DELETE FROM consents WHERE site_id = 'demo' AND seq = 11",
			"BROKEN at record 11: missing: the purge anchor is at record 10 but the chain resumes at record 12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			purgeEngines(t, func(t *testing.T, dsn string, st store.Store, raw *sql.DB) {
				if code, out, errOut := charte(t, "", nil, "consents", "--db", dsn, "--site", "demo", "--older-than", "1year", "purge"); code != 0 {
					t.Fatalf("purge: %s %s", out, errOut)
				}
				if _, err := raw.Exec(tt.sql); err != nil {
					t.Fatal(err)
				}
				code, out, _ := charte(t, "", nil, "consents", "--db", dsn, "--site", "demo", "verify")
				if code != 1 || !strings.Contains(out, tt.want) {
					t.Errorf("verify: exit %d, %q; want exit 1 with %q", code, out, tt.want)
				}
				// A broken chain is not purged: that would erase the evidence.
				code, _, errOut := charte(t, "", nil, "consents", "--db", dsn, "--site", "demo", "--older-than", "1year", "purge")
				if code != 1 || !strings.Contains(errOut, "refusing to purge demo: its proof chain is broken") {
					t.Errorf("purge of a broken chain: exit %d, %q", code, errOut)
				}
			})
		})
	}
}

// An auditor given only an export and the published head verifies it: the
// anchor comes first, then the records, in CSV as in JSON lines.
func TestConsentsExportVerifiesOffline(t *testing.T) {
	formats := []struct {
		name  string
		parse func(t *testing.T, export string) (proof.Anchor, []proof.Record)
	}{
		{"json", parseJSONExport},
		{"csv", parseCSVExport},
	}
	purgeEngines(t, func(t *testing.T, dsn string, st store.Store, raw *sql.DB) {
		if code, out, errOut := charte(t, "", nil, "consents", "--db", dsn, "--site", "demo", "--older-than", "1year", "purge"); code != 0 {
			t.Fatalf("purge: %s %s", out, errOut)
		}
		head, err := st.ProofHead(context.Background(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range formats {
			t.Run(f.name, func(t *testing.T) {
				code, export, errOut := charte(t, "", nil, "consents", "--db", dsn, "--site", "demo", "--format", f.name, "export")
				if code != 0 {
					t.Fatal(errOut)
				}
				anchor, recs := f.parse(t, export)
				if anchor.Seq != 10 || anchor.Purged != 10 || len(recs) != 3 {
					t.Fatalf("export: anchor %+v and %d records, want anchor 10 and 3 records", anchor, len(recs))
				}
				if br := verifyOffline(anchor, recs, head); br != nil {
					t.Errorf("the export does not verify offline: %v", br)
				}
				// The same export with a forged anchor does not.
				forged := strings.Replace(export, anchor.Hash, strings.Repeat("0", 64), 1)
				a, r := f.parse(t, forged)
				if br := verifyOffline(a, r, head); br == nil || br.Seq != 11 {
					t.Errorf("an export with a forged anchor verifies: %v", br)
				}
			})
		}
	})
}

func verifyOffline(anchor proof.Anchor, recs []proof.Record, head store.Head) *proof.Break {
	v := proof.NewVerifier(anchor)
	for _, r := range recs {
		if br := v.Add(r); br != nil {
			return br
		}
	}
	return v.Finish(head.Count, head.Hash)
}

func parseJSONExport(t *testing.T, export string) (proof.Anchor, []proof.Record) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(export))
	var first struct {
		Anchor *proof.Anchor `json:"anchor"`
	}
	if !sc.Scan() || json.Unmarshal(sc.Bytes(), &first) != nil || first.Anchor == nil {
		t.Fatalf("the JSON export does not start with the anchor: %.200s", export)
	}
	var recs []proof.Record
	for sc.Scan() {
		var r proof.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	return *first.Anchor, recs
}

func parseCSVExport(t *testing.T, export string) (proof.Anchor, []proof.Record) {
	t.Helper()
	line, _, _ := strings.Cut(export, "\n")
	text, ok := strings.CutPrefix(line, "# anchor ")
	var anchor proof.Anchor
	if !ok || json.Unmarshal([]byte(text), &anchor) != nil {
		t.Fatalf("the CSV export does not start with the anchor: %q", line)
	}
	cr := csv.NewReader(strings.NewReader(export))
	cr.Comment = '#'
	rows, err := cr.ReadAll()
	if err != nil || len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(exportColumns, ",") {
		t.Fatalf("CSV export: %v, header %v", err, rows)
	}
	var recs []proof.Record
	for _, row := range rows[1:] {
		var r proof.Record
		r.Seq, _ = strconv.ParseInt(row[0], 10, 64)
		r.ID, r.SiteID, r.ConsentID = row[1], row[2], row[3]
		r.Time, _ = time.Parse(proof.TimeFormat, row[4])
		r.Action = row[5]
		json.Unmarshal([]byte(row[6]), &r.Decisions)
		r.Revision, r.Language, r.Page, r.IP, r.UserAgent = row[7], row[8], row[9], row[10], row[11]
		r.GPC, _ = strconv.ParseBool(row[12])
		r.PrevHash, r.Hash = row[13], row[14]
		recs = append(recs, r)
	}
	return anchor, recs
}
