package proof_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/charte/charte/internal/proof"
)

func headLine(t *testing.T, h proof.SignedHead) string {
	t.Helper()
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Every form a saved head comes in is read, and each witness is named by
// the line its object starts on.
func TestParseWitnessesForms(t *testing.T) {
	s := fixedSigner(t, 7)
	h1, _ := s.Sign("demo", 1, strings.Repeat("1", 64), headTime)
	h2, _ := s.Sign("demo", 2, strings.Repeat("2", 64), headTime)
	l1, l2 := headLine(t, h1), headLine(t, h2)
	pretty, _ := json.MarshalIndent(h2, "", "  ")
	tests := []struct {
		name    string
		text    string
		sources []string
	}{
		{"one head, as curl saves it", l1, []string{"f:1"}},
		{"one head and a newline", l1 + "\n", []string{"f:1"}},
		{"heads one a line", l1 + "\n" + l2 + "\n", []string{"f:1", "f:2"}},
		{"blank lines between", "\n" + l1 + "\n\n\n" + l2 + "\n\n", []string{"f:2", "f:5"}},
		{"CRLF lines", l1 + "\r\n" + l2 + "\r\n", []string{"f:1", "f:2"}},
		{"pretty printed, as jq prints it", l1 + "\n" + string(pretty) + "\n" + l1, []string{"f:1", "f:2", "f:" + itoa(3+strings.Count(string(pretty), "\n"))}},
		{"a JSON list", "[\n" + l1 + ",\n" + l2 + "\n]\n", []string{"f:2", "f:3"}},
		{"the old unsigned head (count only, RFC 3339 time, now)",
			`{"site":"demo","count":2,"hash":"` + strings.Repeat("2", 64) + `","time":"2026-11-28T09:30:00.123456789Z","now":"2026-11-28T10:00:00Z"}`, []string{"f:1"}},
		{"a checkpoint export line", strings.TrimSuffix(l1, "}") + `,"checkpointed_at":"2026-11-28T10:00:00Z"}`, []string{"f:1"}},
		{"a record of a consent export", `{"id":"r","site":"demo","seq":3,"prev_hash":"","hash":"` + strings.Repeat("3", 64) + `"}`, []string{"f:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, err := proof.ParseWitnesses("f", strings.NewReader(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range ws {
				got = append(got, w.Source)
				if w.Head.Site != "demo" || w.Head.Seq == 0 || w.Head.Seq != w.Head.Count {
					t.Errorf("%s: %+v", w.Source, w.Head)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.sources, " ") {
				t.Errorf("witnesses %v, want %v", got, tt.sources)
			}
		})
	}
	// What was signed survives the round trip through JSON.
	ws, _ := proof.ParseWitnesses("f", strings.NewReader(l1))
	if err := proof.VerifyHead(s.Public(), ws[0].Head); err != nil {
		t.Errorf("a parsed head no longer verifies: %v", err)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// A file that is not a list of heads is refused, naming the line.
func TestParseWitnessesRefuses(t *testing.T) {
	hash := strings.Repeat("a", 64)
	ok := `{"site":"demo","seq":1,"hash":"` + hash + `"}`
	tests := []struct{ name, text, want string }{
		{"empty", "", "f: no head in the file"},
		{"blank", "\n \n", "f: no head in the file"},
		{"an HTML error page", "<html>502 Bad Gateway</html>", "f:1: not JSON"},
		{"garbage on line 3", ok + "\n" + ok + "\nnot json\n", "f:3: not JSON"},
		{"cut short", ok + "\n" + ok[:20], "f:2: not JSON: the file ends inside a JSON value"},
		{"a number", "42", "f:1: want a JSON object"},
		{"a string", `"demo"`, "f:1: want a JSON object"},
		{"no site", `{"seq":1,"hash":"` + hash + `"}`, "f:1: no site"},
		{"no seq", `{"site":"demo","hash":"` + hash + `"}`, "f:1: no seq (or count)"},
		{"the anchor line of an export", `{"anchor":{"site":"demo","seq":0,"hash":""}}`, "f:1: no seq (or count): not a head"},
		{"negative seq", `{"site":"demo","seq":-1,"hash":""}`, "f:1: seq -1 is negative"},
		{"seq and count disagree", `{"site":"demo","seq":2,"count":3,"hash":"` + hash + `"}`, "f:1: seq 2 and count 3 disagree"},
		{"seq a string", `{"site":"demo","seq":"1","hash":"` + hash + `"}`, "f:1: want a head"},
		{"short hash", `{"site":"demo","seq":1,"hash":"abc"}`, `f:1: hash "abc": want 64 lower-case hex digits`},
		{"upper-case hash", `{"site":"demo","seq":1,"hash":"` + strings.ToUpper(hash) + `"}`, "want 64 lower-case hex digits"},
		{"no hash", `{"site":"demo","seq":1}`, "want 64 lower-case hex digits"},
		{"empty chain with a hash", `{"site":"demo","seq":0,"hash":"` + hash + `"}`, "f:1: seq 0 (an empty chain) with a hash"},
		{"list not closed", "[" + ok + ",\n" + ok, "the list does not end"},
		{"text after the list", "[" + ok + "]\n" + ok, "f:2: text after the list"},
		{"a list of numbers", "[1]", "f:1: want a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, err := proof.ParseWitnesses("f", strings.NewReader(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, %v; want an error with %q", ws, err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "proof.") {
				t.Errorf("the error names a Go type: %v", err)
			}
		})
	}
}

// A chain of 10 whose records 1 to 4 were purged, checked against witnesses
// of every kind; the chain is what the store would show.
func TestCheckWitness(t *testing.T) {
	recs := chain(10)
	s, other := fixedSigner(t, 7), fixedSigner(t, 8)
	view := proof.ChainView{Site: "demo", Anchor: proof.Anchor{Site: "demo", Seq: 4, Hash: recs[3].Hash},
		HeadSeq: 10, HeadHash: recs[9].Hash,
		HashAt: func(seq int64) (string, bool, error) {
			if seq == 7 { // as if record 7 were deleted
				return "", false, nil
			}
			return recs[seq-1].Hash, true, nil
		}}
	signed := func(seq int64, hash string) proof.SignedHead {
		h, err := s.Sign("demo", seq, hash, headTime)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	unsigned := func(seq int64, hash string) proof.SignedHead {
		return proof.SignedHead{Site: "demo", Seq: seq, Count: seq, Hash: hash}
	}
	forged := signed(9, recs[8].Hash)
	forged.Hash = recs[7].Hash
	fromOther, _ := other.Sign("demo", 9, recs[8].Hash, headTime)
	tests := []struct {
		name   string
		head   proof.SignedHead
		status proof.WitnessStatus
		reason string
	}{
		{"the head", signed(10, recs[9].Hash), proof.WitnessHolds, "record 10 holds"},
		{"a record in the middle", signed(6, recs[5].Hash), proof.WitnessHolds, "record 6 holds"},
		{"unsigned, holds", unsigned(5, recs[4].Hash), proof.WitnessHolds, "record 5 holds"},
		{"an empty chain", signed(0, ""), proof.WitnessHolds, "empty chain"},
		{"beyond the head: the tail was cut", signed(12, strings.Repeat("c", 64)), proof.WitnessFails,
			"the chain ends at record 10, before the witnessed record 12: records were removed from its end"},
		{"unsigned beyond the head", unsigned(11, strings.Repeat("c", 64)), proof.WitnessFails, "the chain ends at record 10"},
		{"another hash at that seq", signed(8, recs[6].Hash), proof.WitnessFails, "record 8 has hash " + recs[7].Hash[:16] + "…, the witness says " + recs[6].Hash[:16]},
		{"the record is missing", signed(7, recs[6].Hash), proof.WitnessFails, "record 7 is missing"},
		{"at the anchor", signed(4, recs[3].Hash), proof.WitnessHolds, "matches the retention anchor (record 4"},
		{"at the anchor, another hash", signed(4, recs[2].Hash), proof.WitnessFails, "record 4 is the retention anchor, whose hash is"},
		{"before the anchor", signed(2, recs[1].Hash), proof.WitnessBeforeAnchor, "before the retention anchor (records up to 4 were purged): not checkable"},
		{"before the anchor, whatever its hash", signed(1, strings.Repeat("f", 64)), proof.WitnessBeforeAnchor, "not checkable"},
		{"forged: hash changed after signing", forged, proof.WitnessFails, "the signature does not verify"},
		{"signed by another key", fromOther, proof.WitnessFails, "signed by another key: key id " + other.KeyID()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := proof.CheckWitness(proof.Witness{Source: "f:1", Head: tt.head}, s.Public(), view)
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != tt.status || !strings.Contains(v.Reason, tt.reason) {
				t.Errorf("status %d %q, want %d %q", v.Status, v.Reason, tt.status, tt.reason)
			}
		})
	}
	// A witness of another site is an error, not a verdict.
	h := signed(3, recs[2].Hash)
	h.Site = "other"
	if _, err := proof.CheckWitness(proof.Witness{Source: "f:9", Head: h}, s.Public(), view); err == nil ||
		!strings.Contains(err.Error(), `witness f:9 is for site "other", not "demo"`) {
		t.Errorf("another site: %v", err)
	}
	// A signed witness and no key to check it: it fails, it is not trusted.
	if v, _ := proof.CheckWitness(proof.Witness{Source: "f:1", Head: signed(10, recs[9].Hash)}, nil, view); v.Status != proof.WitnessFails {
		t.Errorf("signed, no key: %+v", v)
	}
	// An error reading the chain is returned as such.
	broken := view
	broken.HashAt = func(int64) (string, bool, error) { return "", false, errors.New("disk on fire") }
	if _, err := proof.CheckWitness(proof.Witness{Source: "f:1", Head: signed(6, recs[5].Hash)}, s.Public(), broken); err == nil {
		t.Error("a read error was swallowed")
	}
}

// FuzzParseWitnesses: whatever the file, no panic, and every witness
// returned says something checkable.
func FuzzParseWitnesses(f *testing.F) {
	hash := strings.Repeat("a", 64)
	for _, seed := range []string{
		`{"site":"demo","seq":1,"hash":"` + hash + `"}`,
		"[{\"site\":\"demo\",\"count\":0,\"hash\":\"\"}]\n",
		"{\"site\":\"demo\",\n\"seq\":2,\"count\":2,\"hash\":\"" + hash + "\"}\n{}",
		"[", "]", "", "\n\n", `{"site":"demo","seq":1e3,"hash":"` + hash + `"}`, "[{}]]",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ws, err := proof.ParseWitnesses("f", strings.NewReader(text))
		if err != nil {
			if len(ws) != 0 {
				t.Errorf("an error and witnesses: %v", ws)
			}
			return
		}
		if len(ws) == 0 {
			t.Error("no witness and no error")
		}
		for _, w := range ws {
			h := w.Head
			if h.Site == "" || h.Seq < 0 || h.Seq != h.Count || (h.Seq == 0) != (h.Hash == "") || !strings.HasPrefix(w.Source, "f:") {
				t.Errorf("witness %+v", w)
			}
		}
	})
}
