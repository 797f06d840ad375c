package admin

import (
	"net/http"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

// siteLine is one row of the dashboard.
type siteLine struct {
	store.SiteSummary
	Choices  int
	OptIns   int
	Rate     string // "" when there was no choice
	Draft    bool   // the draft differs from what visitors see
	Editable bool
}

// dashboard lists the sites the user may see, with the consent rate of the
// last 30 days: the share of choices that accepted at least one purpose.
func (a *Admin) Dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, _ := auth.FromContext(ctx)
	all, err := a.st.ListSites(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	var lines []siteLine
	for _, s := range all {
		if !auth.Can(id.User, auth.ViewSite, s.ID) {
			continue
		}
		line := siteLine{SiteSummary: s, Editable: auth.Can(id.User, auth.EditSite, s.ID)}
		if line.Choices, line.OptIns, err = a.consentRate(r, s.ID, now.AddDate(0, 0, -30), now); err != nil {
			return err
		}
		if line.Choices > 0 {
			line.Rate = percent(line.OptIns, line.Choices)
		}
		if draft, err := a.st.Site(ctx, s.ID); err == nil {
			line.Draft = draft.Revision() != s.Published
		}
		lines = append(lines, line)
	}
	p := a.newPage(w, r, "dashboard.title")
	p.Data = lines
	return a.render(w, "dashboard", p)
}

// consentRate counts the choices between since and until (withdrawals
// aside: they answer no question) and those that accepted something. The
// database aggregates: nothing but counts reaches this function.
func (a *Admin) consentRate(r *http.Request, site string, since, until time.Time) (choices, optIns int, err error) {
	st, err := a.st.ConsentStats(r.Context(), site, since, until)
	for _, d := range st.Days {
		if d.Action != proof.Withdraw {
			choices += d.Count
			optIns += d.OptIns
		}
	}
	return choices, optIns, err
}

func percent(n, total int) string {
	if total == 0 {
		return ""
	}
	tenths := (n*1000 + total/2) / total
	return itoa(tenths/10) + "." + itoa(tenths%10) + " %"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
