package web_test

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/internal/web"
)

// What an auditor's cron job saves from /proof/head is a witness that
// verifies against /proof/key, and a head published by another installation
// (another key) does not.
func TestSignedHeadsAreWitnesses(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		a := startAPIServer(t, st, web.Config{})
		var saved strings.Builder
		get := func(path string) []byte {
			resp, err := http.Get(a.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Fatalf("GET %s: %s %s", path, resp.Status, body)
			}
			return body
		}
		for i := range 3 {
			a.post(t, "demo", siteOrigin, "application/json", consentBody(fmt.Sprintf("%022d", i), a.rev, "accept_all", true, true))
			saved.Write(get("/api/v1/sites/demo/proof/head")) // curl -fsS … >> heads.jsonl
		}
		keyDoc := get("/api/v1/proof/key")
		var key struct {
			Algorithm string
			KeyID     string `json:"key_id"`
			Format    string `json:"signature_format"`
		}
		json.Unmarshal(keyDoc, &key)
		pub, err := proof.ParsePublicKey(string(keyDoc))
		if err != nil || key.KeyID != proof.KeyID(pub) || key.Format != proof.HeadFormatV1 || key.Algorithm != "ed25519" {
			t.Fatalf("/proof/key: %s (%v)", keyDoc, err)
		}
		ws, err := proof.ParseWitnesses("heads.jsonl", strings.NewReader(saved.String()))
		if err != nil || len(ws) != 3 {
			t.Fatalf("the saved heads are not witnesses: %v", err)
		}
		for i, w := range ws {
			if w.Head.Seq != int64(i+1) || w.Head.Time == "" || proof.VerifyHead(pub, w.Head) != nil {
				t.Errorf("%s: %+v does not verify", w.Source, w.Head)
			}
		}
		vs, err := store.CheckWitnesses(t.Context(), st, "demo", pub, ws)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.Status != proof.WitnessHolds {
				t.Errorf("%s: %s", v.Witness.Source, v.Reason)
			}
		}
		_, otherKey, _ := ed25519.GenerateKey(nil)
		if err := proof.VerifyHead(otherKey.Public().(ed25519.PublicKey), ws[0].Head); err == nil {
			t.Error("a head verifies against another key")
		}
		// The head of a site that does not exist is a 404 naming it.
		resp, err := http.Get(a.URL + "/api/v1/sites/nope/proof/head")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("head of an unknown site: %s", resp.Status)
		}
	})
}
