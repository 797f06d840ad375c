package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/internal/store/storetest"
	"github.com/charte/charte/registry"
)

// statsInGo is the obvious aggregation over streamed records: the oracle the
// SQL of both engines must agree with.
func statsInGo(t testing.TB, s store.Store, site string, since, until time.Time) store.Stats {
	t.Helper()
	days := map[[2]string]*store.DayCount{}
	cats := map[string]*store.CategoryCount{}
	err := s.Consents(context.Background(), site, since, until, func(r proof.Record) error {
		k := [2]string{r.Time.UTC().Format("2006-01-02"), r.Action}
		if days[k] == nil {
			days[k] = &store.DayCount{Day: k[0], Action: k[1]}
		}
		days[k].Count++
		if slices.Contains(values(r.Decisions), true) {
			days[k].OptIns++
		}
		if r.Action == proof.Withdraw {
			return nil
		}
		for c, v := range r.Decisions {
			if cats[c] == nil {
				cats[c] = &store.CategoryCount{Category: c}
			}
			cats[c].Asked++
			if v {
				cats[c].Granted++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out store.Stats
	for _, d := range days {
		out.Days = append(out.Days, *d)
	}
	slices.SortFunc(out.Days, func(a, b store.DayCount) int {
		if a.Day != b.Day {
			return cmpString(a.Day, b.Day)
		}
		return cmpString(a.Action, b.Action)
	})
	for _, c := range cats {
		out.Categories = append(out.Categories, *c)
	}
	slices.SortFunc(out.Categories, func(a, b store.CategoryCount) int { return cmpString(a.Category, b.Category) })
	return out
}

func values(m map[string]bool) []bool {
	var out []bool
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mixedRecords spreads n choices over days with every action, decisions
// granted and refused, and a record without decisions at all.
func mixedRecords(site string, n int, start time.Time) []proof.Record {
	actions := []string{proof.AcceptAll, proof.RejectAll, proof.Custom, proof.GPC, proof.Withdraw}
	out := make([]proof.Record, n)
	for i := range out {
		r := record(site, i, "visitor")
		r.Time = start.Add(time.Duration(i) * 7 * time.Hour)
		r.Action = actions[i%len(actions)]
		switch r.Action {
		case proof.AcceptAll:
			r.Decisions = map[string]bool{"statistics": true, "marketing": true}
		case proof.Custom:
			r.Decisions = map[string]bool{"statistics": i%2 == 0, "marketing": false}
		case proof.Withdraw:
			r.Decisions = nil // stored as JSON null
		default:
			r.Decisions = map[string]bool{"statistics": false, "marketing": false}
		}
		out[i] = r
	}
	return out
}

func TestConsentStats(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		other := demoSites(t)[1]
		if err := s.SaveSite(ctx, registry.MustCheck(other)); err != nil {
			t.Fatal(err)
		}
		start := time.Date(2026, 10, 1, 22, 0, 0, 0, time.UTC)
		if _, err := s.AppendConsents(ctx, mixedRecords(site.ID, 40, start)); err != nil {
			t.Fatal(err)
		}
		// Another site's choices count for nothing here.
		if _, err := s.AppendConsents(ctx, mixedRecords(other.ID, 9, start)); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name         string
			since, until time.Time
		}{
			{"everything", time.Time{}, time.Time{}},
			{"a window", start.AddDate(0, 0, 2), start.AddDate(0, 0, 5)},
			{"nothing", start.AddDate(1, 0, 0), time.Time{}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.ConsentStats(ctx, site.ID, tt.since, tt.until)
				if err != nil {
					t.Fatal(err)
				}
				want := statsInGo(t, s, site.ID, tt.since, tt.until)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("ConsentStats:\n got %+v\nwant %+v", got, want)
				}
			})
		}
		// The first day by hand, so the oracle is checked too: 22:00 and
		// the next record at 05:00 the day after, so one accept_all.
		got, _ := s.ConsentStats(ctx, site.ID, start, start.Add(time.Hour))
		want := store.Stats{
			Days:       []store.DayCount{{Day: "2026-10-01", Action: proof.AcceptAll, Count: 1, OptIns: 1}},
			Categories: []store.CategoryCount{{"marketing", 1, 1}, {"statistics", 1, 1}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("first hour: got %+v, want %+v", got, want)
		}
	})
}

func TestConsentPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		site := savedSite(t, s)
		start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		if _, err := s.AppendConsents(ctx, mixedRecords(site.ID, 25, start)); err != nil {
			t.Fatal(err)
		}
		seqs := func(recs []proof.Record) []int64 {
			var out []int64
			for _, r := range recs {
				out = append(out, r.Seq)
			}
			return out
		}
		for _, tt := range []struct {
			name string
			q    store.ConsentQuery
			want []int64
		}{
			{"first page", store.ConsentQuery{Limit: 3}, []int64{1, 2, 3}},
			{"after a key", store.ConsentQuery{After: 23, Limit: 5}, []int64{24, 25}},
			{"past the end", store.ConsentQuery{After: 25}, nil},
			{"by action", store.ConsentQuery{Action: proof.RejectAll, Limit: 3}, []int64{2, 7, 12}},
			{"action after a key", store.ConsentQuery{Action: proof.RejectAll, After: 7, Limit: 2}, []int64{12, 17}},
			{"by revision", store.ConsentQuery{Revision: "another", Limit: 3}, nil},
			// records are 7 hours apart: the second day holds seq 5..7
			{"by period", store.ConsentQuery{Since: start.AddDate(0, 0, 1), Until: start.AddDate(0, 0, 2)}, []int64{5, 6, 7}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				tt.q.SiteID = site.ID
				got, err := s.ConsentPage(ctx, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(seqs(got), tt.want) {
					t.Errorf("seqs %v, want %v", seqs(got), tt.want)
				}
			})
		}
		// Records come back whole: their hashes verify.
		page, _ := s.ConsentPage(ctx, store.ConsentQuery{SiteID: site.ID, Limit: 1000})
		checkChain(t, page)
	})
}
