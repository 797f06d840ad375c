package consent

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"testing"
	"time"
)

// vector is one entry of testdata/vectors.json, the file the banner's
// JavaScript codec is tested against too, so both agree byte for byte.
type vector struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Valid  bool   `json:"valid"`
	Choice *struct {
		ConsentID string `json:"consent_id"`
		Revision  string `json:"revision"`
		Time      int64  `json:"time"`
		Decisions []struct {
			Category string `json:"category"`
			Granted  bool   `json:"granted"`
		} `json:"decisions"`
		Services []struct {
			Service string `json:"service"`
			Granted bool   `json:"granted"`
		} `json:"services"`
	} `json:"choice"`
}

func loadVectors(t testing.TB) []vector {
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

func (v vector) choice() Choice {
	c := Choice{ConsentID: v.Choice.ConsentID, Revision: v.Choice.Revision, Time: time.Unix(v.Choice.Time, 0).UTC()}
	for _, d := range v.Choice.Decisions {
		c.Decisions = append(c.Decisions, Decision{d.Category, d.Granted})
	}
	for _, d := range v.Choice.Services {
		c.Services = append(c.Services, ServiceDecision{d.Service, d.Granted})
	}
	return c
}

// cookieOctet is RFC 6265's cookie-octet: a value made only of these is
// never quoted or escaped by a browser or by net/http.
var cookieOctets = regexp.MustCompile(`^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$`)

func TestVectors(t *testing.T) {
	vs := loadVectors(t)
	if len(vs) < 50 {
		t.Fatalf("only %d vectors", len(vs))
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			got, err := Decode(v.Value)
			if !v.Valid {
				if err == nil {
					t.Fatalf("Decode(%q) = %+v, want an error", v.Value, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode(%q): %v", v.Value, err)
			}
			want := v.choice()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Decode(%q)\n got %+v\nwant %+v", v.Value, got, want)
			}
			if enc := want.Encode(); enc != v.Value {
				t.Errorf("Encode() = %q, want %q", enc, v.Value)
			}
			if !cookieOctets.MatchString(v.Value) {
				t.Errorf("%q holds a byte that is not a cookie-octet", v.Value)
			}
		})
	}
}

func TestDecodeVersion(t *testing.T) {
	_, err := Decode("2.q7R3x_Yb-2KdF0aZ8mNwVg.3f2a9c0d1e4b5a67.1767225600.statistics=1")
	if !errors.Is(err, ErrVersion) {
		t.Errorf("another version: got %v, want ErrVersion", err)
	}
}

func TestAllowed(t *testing.T) {
	c, err := Decode("1.q7R3x_Yb-2KdF0aZ8mNwVg.3f2a9c0d1e4b5a67.1767225600.stat=1&statistics=0")
	if err != nil {
		t.Fatal(err)
	}
	for cat, want := range map[string]bool{"stat": true, "statistics": false, "marketing": false, "": false} {
		if got := c.Allowed(cat); got != want {
			t.Errorf("Allowed(%q) = %v, want %v", cat, got, want)
		}
	}
}

func TestNewConsentID(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id := NewConsentID()
		if !isConsentID(id) || seen[id] {
			t.Fatalf("NewConsentID() = %q: malformed or repeated", id)
		}
		seen[id] = true
		c := Choice{ConsentID: id, Revision: "ab", Time: time.Unix(1, 0)}
		if _, err := Decode(c.Encode()); err != nil {
			t.Fatalf("a fresh id does not round-trip: %v", err)
		}
	}
}

func TestGPC(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "0": false, "": false, "true": false} {
		r := httptest.NewRequest("GET", "/", nil)
		if v != "" {
			r.Header.Set("Sec-GPC", v)
		}
		if got := GPC(r); got != want {
			t.Errorf("Sec-GPC %q: GPC = %v, want %v", v, got, want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.Value)
	}
	f.Fuzz(func(t *testing.T, value string) {
		c, err := Decode(value)
		if err != nil {
			return
		}
		if enc := c.Encode(); enc != value {
			t.Fatalf("Decode(%q) then Encode = %q", value, enc)
		}
		if !cookieOctets.MatchString(value) {
			t.Fatalf("Decode accepted %q, which is not made of cookie-octets", value)
		}
		r, _ := parseRaw(value)
		for _, d := range c.Decisions {
			if r.granted(d.Category) != d.Granted || c.Allowed(d.Category) != d.Granted {
				t.Fatalf("%q: raw and decoded views disagree on %q", value, d.Category)
			}
		}
	})
}
