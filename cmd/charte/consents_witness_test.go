package main

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

// witnessKit is what a witness test works with: the 13 records of
// purgeEngines, the installation's signer, and files of heads saved "earlier".
type witnessKit struct {
	t      *testing.T
	dsn    string
	st     store.Store
	raw    *sql.DB
	signer *proof.Signer
	recs   []proof.Record // recs[i] has seq i+1
}

func newWitnessKit(t *testing.T, dsn string, st store.Store, raw *sql.DB) *witnessKit {
	ctx := context.Background()
	priv, err := st.ProofKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := proof.NewSigner(priv)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := st.ConsentPage(ctx, store.ConsentQuery{SiteID: "demo", Limit: 100})
	if err != nil || len(recs) != 13 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	return &witnessKit{t: t, dsn: dsn, st: st, raw: raw, signer: signer, recs: recs}
}

// head is the signed head the server published when its chain ended at seq.
func (k *witnessKit) head(seq int64) proof.SignedHead {
	r := k.recs[seq-1]
	h, err := k.signer.Sign("demo", seq, r.Hash, r.Time)
	if err != nil {
		k.t.Fatal(err)
	}
	return h
}

// file writes heads one a line, as `curl … >> heads.jsonl` does.
func (k *witnessKit) file(heads ...proof.SignedHead) string {
	var b strings.Builder
	for _, h := range heads {
		line, _ := json.Marshal(h)
		b.Write(line)
		b.WriteByte('\n')
	}
	path := filepath.Join(k.t.TempDir(), "heads.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		k.t.Fatal(err)
	}
	return path
}

func (k *witnessKit) exec(query string, args ...any) {
	if _, err := k.raw.Exec(query, args...); err != nil {
		k.t.Fatal(err)
	}
}

// truncateTo deletes the records after seq and rewrites the head to point
// at seq: what someone with write access does to hide the last choices.
// Plain verify then says intact.
func (k *witnessKit) truncateTo(seq int64) {
	r := k.recs[seq-1]
	k.exec("DELETE FROM consents WHERE site_id = 'demo' AND seq > $1", seq)
	k.exec("UPDATE proof_heads SET seq = $1, hash = $2, time = $3 WHERE site_id = 'demo'", seq, r.Hash, r.Time.UTC().Format(proof.TimeFormat))
}

func (k *witnessKit) verify(extra ...string) (int, string, string) {
	return charte(k.t, "", nil, append([]string{"consents", "--db", k.dsn, "--site", "demo", "verify"}, extra...)...)
}

// replaceKey puts another valid key in the database, as an operator
// covering their tracks would, and returns it.
func (k *witnessKit) replaceKey() *proof.Signer {
	pub, priv, _ := ed25519.GenerateKey(nil)
	k.exec("UPDATE proof_keys SET key_id = $1, public_key = $2, private_key = $3", proof.KeyID(pub),
		base64.StdEncoding.EncodeToString(pub), base64.StdEncoding.EncodeToString(priv.Seed()))
	s, _ := proof.NewSigner(priv)
	return s
}

// The test: tail truncation with a rewritten head passes plain
// verify and fails verify --witness, naming the witness; and the variants of
// the class: a rewritten tail, a changed hash, a forged signature, another
// key, a replaced key; and the honest database passes.
func TestConsentsVerifyWitness(t *testing.T) {
	tests := []struct {
		name string
		// run tampers and returns the verify arguments; plain is what plain
		// verify says after the tampering (it must not notice).
		run   func(k *witnessKit) []string
		plain string
		code  int
		want  []string
	}{
		{"honest database", func(k *witnessKit) []string {
			return []string{"--witness", k.file(k.head(5), k.head(12), k.head(13))}
		}, "13 records, chain intact", 0, []string{":1 (record 5, signed by key ", "): holds: record 5 holds", ":3 (record 13,", "all 3 witnesses hold",
			"signatures checked against the key in the database"}},
		{"tail cut and head rewritten", func(k *witnessKit) []string {
			f := k.file(k.head(5), k.head(12), k.head(13))
			k.truncateTo(11)
			return []string{"--witness", f}
		}, "11 records, chain intact", 1, []string{"heads.jsonl:2 (record 12, signed by key ", "FAILS: the chain ends at record 11, before the witnessed record 12: records were removed from its end",
			"heads.jsonl:3 (record 13", ":1 (record 5, signed by key " /* still holds */, "2 of 3 witnesses FAIL"}},
		{"last record cut, witness in a second file", func(k *witnessKit) []string {
			f1, f2 := k.file(k.head(3)), k.file(k.head(13))
			k.truncateTo(12)
			return []string{"--witness", f1, f2}
		}, "12 records, chain intact", 1, []string{"heads.jsonl:1 (record 13, signed by key ", "the chain ends at record 12", "1 of 2 witnesses FAIL"}},
		{"tail rewritten with other choices", func(k *witnessKit) []string {
			f := k.file(k.head(13))
			k.truncateTo(11)
			rev, _ := k.st.Published(context.Background(), "demo")
			if _, err := k.st.AppendConsents(context.Background(), []proof.Record{choiceAt(rev.ID, 91, time.Now()), choiceAt(rev.ID, 92, time.Now())}); err != nil {
				k.t.Fatal(err)
			}
			return []string{"--witness", f}
		}, "13 records, chain intact", 1, []string{"heads.jsonl:1 (record 13", "FAILS: record 13 has hash ", "the chain was rewritten"}},
		{"forged signature: the hash changed after signing", func(k *witnessKit) []string {
			h := k.head(13)
			h.Hash = k.recs[11].Hash
			return []string{"--witness", k.file(k.head(12), h)}
		}, "13 records, chain intact", 1, []string{"heads.jsonl:2 (record 13, the signature does not verify", "FAILS", "1 of 2 witnesses FAIL"}},
		{"forged signature: made up", func(k *witnessKit) []string {
			h := k.head(13)
			h.Signature = base64.StdEncoding.EncodeToString(make([]byte, 64))
			return []string{"--witness", k.file(h)}
		}, "13 records, chain intact", 1, []string{"the signature does not verify", "FAILS"}},
		{"a witness from another key", func(k *witnessKit) []string {
			_, priv, _ := ed25519.GenerateKey(nil)
			other, _ := proof.NewSigner(priv)
			r := k.recs[12]
			h, _ := other.Sign("demo", 13, r.Hash, r.Time)
			return []string{"--witness", k.file(h)}
		}, "13 records, chain intact", 1, []string{"FAILS: signed by another key: key id "}},
		{"the key replaced in the database, no --key", func(k *witnessKit) []string {
			f := k.file(k.head(13))
			k.replaceKey()
			return []string{"--witness", f}
		}, "13 records, chain intact", 1, []string{"signed by another key", "pass --key with the key you saved"}},
		{"the key replaced in the database, --key saved earlier", func(k *witnessKit) []string {
			saved := base64.StdEncoding.EncodeToString(k.signer.Public())
			f := k.file(k.head(13))
			k.replaceKey()
			return []string{"--witness", f, "--key", saved}
		}, "13 records, chain intact", 0, []string{"signatures checked against the key given (" + "", "all 1 witnesses hold"}},
		{"--key naming a PEM file", func(k *witnessKit) []string {
			path := filepath.Join(k.t.TempDir(), "key.pem")
			os.WriteFile(path, []byte(proof.PublicKeyPEM(k.signer.Public())), 0o600)
			return []string{"--key", path, "--witness", k.file(k.head(13))}
		}, "13 records, chain intact", 0, []string{"all 1 witnesses hold"}},
		{"--key of another installation", func(k *witnessKit) []string {
			pub, _, _ := ed25519.GenerateKey(nil)
			return []string{"--key", base64.StdEncoding.EncodeToString(pub), "--witness", k.file(k.head(13))}
		}, "13 records, chain intact", 1, []string{"FAILS: signed by another key"}},
		{"files after the verb, and the tail cut", func(k *witnessKit) []string {
			f := k.file(k.head(13))
			k.truncateTo(7)
			return []string{f}
		}, "7 records, chain intact", 1, []string{"the chain ends at record 7, before the witnessed record 13"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			purgeEngines(t, func(t *testing.T, dsn string, st store.Store, raw *sql.DB) {
				k := newWitnessKit(t, dsn, st, raw)
				args := tt.run(k)
				if code, out, errOut := k.verify(); code != 0 || !strings.Contains(out, tt.plain) {
					t.Fatalf("plain verify after the tampering: exit %d, %s%s; want it fooled: %q", code, out, errOut, tt.plain)
				}
				code, out, errOut := k.verify(args...)
				for _, w := range tt.want {
					if code != tt.code || !strings.Contains(out, w) {
						t.Errorf("verify %v: exit %d, %s%s\nwant exit %d with %q", args, code, out, errOut, tt.code, w)
						break
					}
				}
			})
		})
	}
}

// Purges move the anchor and never break a witness taken after it; one
// taken before it is reported, not failed; a checkpoint export is a witness
// file as it stands.
func TestConsentsVerifyWitnessAfterPurge(t *testing.T) {
	purgeEngines(t, func(t *testing.T, dsn string, st store.Store, raw *sql.DB) {
		k := newWitnessKit(t, dsn, st, raw)
		ctx := context.Background()
		if _, err := store.CheckpointHeads(ctx, st, k.signer, time.Now()); err != nil {
			t.Fatal(err)
		}
		code, export, errOut := charte(t, "", nil, "consents", "--db", dsn, "--site", "demo", "checkpoints")
		if code != 0 || strings.Count(export, "\n") != 1 || !strings.Contains(export, `"checkpointed_at"`) {
			t.Fatalf("checkpoints: exit %d, %q %s", code, export, errOut)
		}
		cp := filepath.Join(t.TempDir(), "checkpoints.jsonl")
		os.WriteFile(cp, []byte(export), 0o600)
		heads := k.file(k.head(5), k.head(10), k.head(12))
		if code, out, errOut := charte(t, "", nil, "consents", "--db", dsn, "--site", "demo", "--older-than", "1year", "purge"); code != 0 {
			t.Fatalf("purge: %s %s", out, errOut)
		}
		code, out, _ := k.verify("--witness", heads, "--witness", cp)
		for _, w := range []string{
			"heads.jsonl:1 (record 5, signed by key " + k.signer.KeyID() + "): not checkable: before the retention anchor (records up to 10 were purged)",
			"heads.jsonl:2 (record 10, signed by key " + k.signer.KeyID() + "): holds: matches the retention anchor",
			"heads.jsonl:3 (record 12, signed by key " + k.signer.KeyID() + "): holds: record 12 holds",
			"checkpoints.jsonl:1 (record 13, signed by key " + k.signer.KeyID() + "): holds",
			"3 witnesses hold, 1 before the retention anchor not checkable",
		} {
			if code != 0 || !strings.Contains(out, w) {
				t.Errorf("verify after a purge: exit %d, %s\nwant exit 0 with %q", code, out, w)
			}
		}
		// The anchor contradicting a witness exactly at it is a failure.
		k.exec("UPDATE proof_anchors SET hash = $1 WHERE site_id = 'demo'", k.recs[8].Hash)
		k.exec("UPDATE consents SET prev_hash = $1 WHERE site_id = 'demo' AND seq = 11", k.recs[8].Hash)
		if code, out, _ := k.verify("--witness", heads); code != 1 || !strings.Contains(out, "heads.jsonl:2 (record 10") ||
			!strings.Contains(out, "FAILS: record 10 is the retention anchor, whose hash is") {
			t.Errorf("a witness at a rewritten anchor: exit %d, %s", code, out)
		}
	})
}

// Witness files and keys that cannot be used are usage errors (exit 2), one
// line naming the file and line, before anything is checked.
func TestConsentsVerifyWitnessUsage(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o600)
		return p
	}
	hash := strings.Repeat("a", 64)
	good := `{"site":"demo","seq":1,"hash":"` + hash + `"}`
	db := tempDB(t)
	if code, _, errOut := charte(t, "", nil, "db", "--db", db, "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"another site", []string{"verify", "--witness", write("other.jsonl", good+"\n"+strings.Replace(good, "demo", "opendata-pau", 1))},
			`other.jsonl:2 is for site "opendata-pau", not "demo"`},
		{"not JSON", []string{"verify", "--witness", write("html.jsonl", good+"\n<html>oops</html>")}, "html.jsonl:2: not JSON"},
		{"empty file", []string{"verify", "--witness", write("empty.jsonl", "")}, "empty.jsonl: no head in the file"},
		{"missing file", []string{"verify", "--witness", filepath.Join(dir, "nope.jsonl")}, "nope.jsonl: no such file"},
		{"not a head", []string{"verify", write("anchor.jsonl", `{"anchor":{"site":"demo","seq":0,"hash":""}}`)}, "anchor.jsonl:1: no seq (or count): not a head"},
		{"a key that is not one", []string{"verify", "--witness", write("ok.jsonl", good), "--key", "c2hvcnQ="}, `--key "c2hvcnQ=" is neither a readable file`},
		{"a key file that holds no key", []string{"verify", "--witness", write("ok2.jsonl", good), "--key", write("key.txt", "hello")}, "--key file " + filepath.Join(dir, "key.txt")},
		{"a witness for export", []string{"export", "--witness", write("ok3.jsonl", good)}, "--witness and --key are for verify"},
		{"files after purge", []string{"purge", "--older-than", "5years", "stray"}, `unexpected argument "stray"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"consents", "--db", db, "--site", "demo"}, tt.args...)
			code, out, errOut := charte(t, "", nil, args...)
			if code != 2 || !strings.Contains(errOut, tt.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("exit %d, %s%s; want exit 2 with one line %q", code, out, errOut, tt.want)
			}
		})
	}
}

// charte proof key prints the key that verifies the heads, in each form.
func TestProofKeyCommand(t *testing.T) {
	db := tempDB(t)
	if code, _, errOut := charte(t, "", nil, "db", "--db", db, "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	code, b64, errOut := charte(t, "", nil, "proof", "key", "--db", db)
	if code != 0 {
		t.Fatal(errOut)
	}
	pub, err := proof.ParsePublicKey(b64)
	if err != nil || strings.Count(b64, "\n") != 1 {
		t.Fatalf("charte proof key: %q, %v", b64, err)
	}
	for _, format := range []string{"pem", "json"} {
		code, out, errOut := charte(t, "", nil, "proof", "--db", db, "--format", format, "key")
		got, err := proof.ParsePublicKey(out)
		if code != 0 || err != nil || !got.Equal(pub) {
			t.Errorf("--format %s: exit %d, %s%s, %v", format, code, out, errOut, err)
		}
	}
	_, js, _ := charte(t, "", nil, "proof", "--db", db, "--format", "json", "key")
	if !strings.Contains(js, `"key_id":"`+proof.KeyID(pub)+`"`) || !strings.Contains(js, `"algorithm":"ed25519"`) {
		t.Errorf("--format json: %s", js)
	}
	for _, args := range [][]string{{"proof"}, {"proof", "sign"}, {"proof", "key", "--format", "der"}, {"proof", "key", "stray"}} {
		if code, _, _ := charte(t, "", nil, append(args, "--db", db)...); code != 2 {
			t.Errorf("charte %v: exit %d, want 2", args, code)
		}
	}
}
