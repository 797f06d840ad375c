package proof

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/charte/charte/registry"
)

// idPattern is the form of the random IDs the banner makes: 16 bytes in
// unpadded base64url.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

// ValidID tells whether id has the form of the banner's record and consent
// IDs (22 characters of base64url).
func ValidID(id string) bool { return idPattern.MatchString(id) }

// CheckSent refuses, before anything looks it up, a consent whose texts
// cannot be stored (Record.Check), including its page: the page may still
// carry a query string (dropped by CheckConsent), so its raw limit is looser,
// and it is checked once decoded too ("/a%00b" is plain text but its path
// holds a NUL).
func (r *Record) CheckSent() error {
	page := r.Page
	r.Page = ""
	err := r.Check()
	r.Page = page
	if err != nil {
		return err
	}
	if len(page) > 4*MaxPageLength {
		return fieldErrorf("page", "page is longer than %d bytes", 4*MaxPageLength)
	}
	if err := registry.CheckText(page, false); err != nil {
		return fieldErrorf("page", "page %v", err)
	}
	if u, err := url.Parse(page); err == nil {
		if err := registry.CheckText(u.Path, false); err != nil {
			return fieldErrorf("page", "page, once decoded, %v", err)
		}
	}
	return nil
}

// CheckConsent holds a consent a visitor sent against the revision they
// were shown (site is that revision's registry): well-formed IDs, a known
// action, one of the site's languages, a page path, decisions for exactly
// the categories needing consent, and an action that says the same as the
// decisions. It keeps only the page's path: the query string may hold
// personal data. Errors are *FieldError.
func CheckConsent(r *Record, site *registry.Site) error {
	if err := r.CheckSent(); err != nil {
		return err
	}
	return CheckAgainst(r, site)
}

// CheckAgainst is CheckConsent for a record whose texts CheckSent has
// passed already: the server checks them before it looks the revision up,
// and does not check them twice.
func CheckAgainst(r *Record, site *registry.Site) error {
	switch {
	case !idPattern.MatchString(r.ID):
		return fieldErrorf("id", "id must be 22 characters of base64url")
	case !idPattern.MatchString(r.ConsentID):
		return fieldErrorf("consent_id", "consent_id must be 22 characters of base64url")
	case !slices.Contains(Actions, r.Action):
		return fieldErrorf("action", "action must be one of %s", strings.Join(Actions, ", "))
	case !slices.Contains(site.Languages, r.Language):
		return fieldErrorf("language", "language must be one of %s", strings.Join(site.Languages, ", "))
	}
	page, err := url.Parse(r.Page)
	if err != nil || !strings.HasPrefix(page.Path, "/") || page.Host != "" || len(page.Path) > MaxPageLength {
		return fieldErrorf("page", "page must be the path of the page, such as /datasets")
	}
	r.Page = page.Path
	wanted := site.ConsentCategories()
	if len(wanted) == 0 {
		// No banner asks anything there: a record would prove a choice
		// nobody was offered.
		return fieldErrorf("site", "every cookie of this site is exempt from consent: there is no choice to record")
	}
	if len(r.Decisions) != len(wanted) {
		return fieldErrorf("decisions", "decisions must cover exactly %v", wanted)
	}
	granted := 0
	for _, c := range wanted {
		g, ok := r.Decisions[c]
		if !ok {
			return fieldErrorf("decisions", "decisions must cover exactly %v", wanted)
		}
		if g {
			granted++
		}
	}
	svcGranted, err := checkServices(r, site)
	if err != nil {
		return err
	}
	granted += svcGranted
	wantedAll := len(wanted) + len(r.Services)
	switch {
	case r.Action == AcceptAll && granted != wantedAll:
		return fieldErrorf("decisions", "accept_all must grant every category and service")
	// The banner sends withdraw whenever a choice takes back a category the
	// previous one granted, keeping the categories still granted (withdraw
	// statistics, keep marketing): a partial withdrawal grants some. So only
	// a withdraw that refuses nothing, and therefore withdraws nothing, is
	// refused.
	case r.Action == Withdraw && granted == wantedAll:
		return fieldErrorf("decisions", "withdraw must refuse at least one category or service")
	case (r.Action == RejectAll || r.Action == GPC) && granted != 0:
		return fieldErrorf("decisions", "%s must refuse every category and service", r.Action)
	}
	return nil
}

// checkServices holds the services decisions of a record: none (a banner
// of before services, or a site without: each service followed its
// category), or exactly the site's services needing consent. It returns how
// many are granted.
func checkServices(r *Record, site *registry.Site) (int, error) {
	if len(r.Services) == 0 {
		r.Services = nil
		return 0, nil
	}
	var wanted []string
	for _, sv := range site.Services {
		if cat := serviceCategory(site, sv); cat != "" && site.NeedsConsent(cat) {
			wanted = append(wanted, sv.ID)
		}
	}
	if len(r.Services) != len(wanted) {
		return 0, fieldErrorf("services", "services must cover exactly %v", wanted)
	}
	granted := 0
	for _, id := range wanted {
		g, ok := r.Services[id]
		if !ok {
			return 0, fieldErrorf("services", "services must cover exactly %v", wanted)
		}
		if g {
			granted++
		}
	}
	return granted, nil
}

// serviceCategory is the category a published (expanded) service is filed
// under.
func serviceCategory(site *registry.Site, sv registry.Service) string {
	if sv.Category != "" {
		return sv.Category
	}
	for _, c := range site.Cookies {
		if c.ServiceID == sv.ID {
			return c.Category
		}
	}
	return ""
}
