package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

// statPeriods are the periods the statistics page offers, in days.
var statPeriods = []int{30, 90}

// statsDay is one line of the daily table: choices by action.
type statsDay struct {
	Day                                                  string // 2026-11-28
	Choices, AcceptAll, RejectAll, Custom, GPC, Withdraw int
}

func (d *statsDay) add(action string, n int) {
	switch action {
	case proof.AcceptAll:
		d.AcceptAll += n
	case proof.RejectAll:
		d.RejectAll += n
	case proof.Custom:
		d.Custom += n
	case proof.GPC:
		d.GPC += n
	case proof.Withdraw:
		d.Withdraw += n
	}
	d.Choices += n
}

// statsCat is a category's opt-in rate over the period.
type statsCat struct {
	ID, Name       string
	Asked, Granted int
	Rate           string // "" when never asked
}

type statsData struct {
	Days       int
	Periods    []int
	Since      string // first day shown
	Rows       []statsDay
	Total      statsDay
	Categories []statsCat
	Daily      svgChart
	Rates      svgBars
}

// periodOf reads ?days=, 30 by default; anything else than the offered
// periods is a 400, so a URL never shows a period the page cannot draw.
func periodOf(r *http.Request) (int, error) {
	s := r.URL.Query().Get("days")
	if s == "" {
		return statPeriods[0], nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || !has(periodNames(), s) {
		return 0, &httpError{status: http.StatusBadRequest, key: "error.days", field: "days"}
	}
	return n, nil
}

func periodNames() []string {
	var out []string
	for _, p := range statPeriods {
		out = append(out, strconv.Itoa(p))
	}
	return out
}

// siteStats gathers the last days days, today (UTC) included, with a line
// for every day, choices or not, so the chart's time axis is regular.
func (a *Admin) siteStats(r *http.Request, s *registry.Site, days int, lang string) (statsData, error) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	since := today.AddDate(0, 0, 1-days)
	st, err := a.st.ConsentStats(r.Context(), s.ID, since, time.Time{})
	if err != nil {
		return statsData{}, err
	}
	d := statsData{Days: days, Periods: statPeriods, Since: since.Format(time.DateOnly)}
	index := map[string]int{}
	for i := range days {
		day := since.AddDate(0, 0, i).Format(time.DateOnly)
		index[day] = i
		d.Rows = append(d.Rows, statsDay{Day: day})
	}
	for _, c := range st.Days {
		if i, ok := index[c.Day]; ok {
			d.Rows[i].add(c.Action, c.Count)
			d.Total.add(c.Action, c.Count)
		}
	}
	d.Categories = categoryRates(s, st.Categories, lang)
	d.Daily = dailyChart(d.Rows)
	d.Rates = rateBars(d.Categories)
	return d, nil
}

// categoryRates lists the site's categories that need consent, in registry
// order, then any category met in the records that the draft no longer has.
func categoryRates(s *registry.Site, counts []store.CategoryCount, lang string) []statsCat {
	byID := map[string]store.CategoryCount{}
	for _, c := range counts {
		byID[c.Category] = c
	}
	var out []statsCat
	seen := map[string]bool{}
	for _, id := range s.ConsentCategories() {
		c, _ := s.Category(id)
		out = append(out, statsCat{ID: id, Name: c.Name.In(lang, s.DefaultLanguage), Asked: byID[id].Asked, Granted: byID[id].Granted})
		seen[id] = true
	}
	for _, c := range counts {
		if !seen[c.Category] {
			out = append(out, statsCat{ID: c.Category, Name: c.Category, Asked: c.Asked, Granted: c.Granted})
		}
	}
	for i := range out {
		out[i].Rate = percent(out[i].Granted, out[i].Asked)
	}
	return out
}

func (a *Admin) StatsPage(w http.ResponseWriter, r *http.Request) error {
	days, err := periodOf(r)
	if err != nil {
		return err
	}
	p, err := a.sitePage(w, r, "stats.title")
	if err != nil {
		return err
	}
	d, err := a.siteStats(r, p.Site, days, p.Lang)
	if err != nil {
		return err
	}
	p.Data = d
	return a.render(w, "stats", p)
}
