package admin

import (
	"context"
	"net/url"
	"time"

	"github.com/charte/charte/internal/proof"
)

// recordShown is what the record's visitor was shown, as the public proof
// API serves it (internal/web/revisionapi.go): the revision's snapshot and
// the banner scripts escrowed for it in the record's language.
type recordShown struct {
	Snapshot string // URL of the revision's snapshot
	Banners  []shownBanner
}

type shownBanner struct {
	URL, SHA256, Version string
	FirstServed          time.Time
	// Likely marks the script most recently first served before the
	// record: several exist when charte was upgraded, or serves several
	// hosts, while the revision was current.
	Likely bool
}

// shownFor lists what the public API holds for rec. The links are
// root-relative: the public API is on the back office's own origin.
func (a *Admin) shownFor(ctx context.Context, rec proof.Record) (recordShown, error) {
	snapshot := "/api/v1/sites/" + url.PathEscape(rec.SiteID) + "/revisions/" + url.PathEscape(rec.Revision)
	out := recordShown{Snapshot: snapshot}
	escrowed, err := a.st.BannerEscrow(ctx, rec.SiteID, rec.Revision)
	if err != nil {
		return out, err
	}
	likely := -1
	for _, b := range escrowed {
		if b.Lang != rec.Language {
			continue
		}
		if !b.FirstServed.After(rec.Time) && (likely < 0 || b.FirstServed.After(out.Banners[likely].FirstServed)) {
			likely = len(out.Banners)
		}
		out.Banners = append(out.Banners, shownBanner{URL: snapshot + "/banners/" + b.SHA256 + ".js",
			SHA256: b.SHA256, Version: b.Version, FirstServed: b.FirstServed})
	}
	if likely >= 0 {
		out.Banners[likely].Likely = true
	}
	return out, nil
}
