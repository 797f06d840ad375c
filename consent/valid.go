package consent

import (
	"net/http"
	"time"

	"github.com/charte/charte/registry"
)

// clockSkew is how far in the future a choice may be dated: the banner stamps
// it with the visitor's clock, which may run a little ahead of the server's.
const clockSkew = time.Minute

// Valid reports whether the choice still speaks for the visitor on this site:
// made for the current revision, not older than the site's choice lifetime,
// not dated in the future beyond a minute of clock skew. An invalid choice
// counts as no choice, and the banner asks again.
func (c Choice) Valid(site *registry.Site, revision string, now time.Time) bool {
	lifetime, err := site.ChoiceDuration().Duration()
	if err != nil || lifetime <= 0 {
		return false // an unreadable lifetime must not keep a choice forever
	}
	return c.Revision == revision && fresh(c.Time.Unix(), now, lifetime)
}

func fresh(unix int64, now time.Time, lifetime time.Duration) bool {
	age := now.Sub(time.Unix(unix, 0))
	return age <= lifetime && age >= -clockSkew
}

// GPC reports whether the request carries the Global Privacy Control signal.
// With no stored choice it means every category needing consent is refused;
// it never means consent.
func GPC(r *http.Request) bool {
	return r.Header.Get("Sec-GPC") == "1"
}
