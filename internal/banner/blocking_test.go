package banner

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charte/charte/internal/demo"
	"github.com/charte/charte/registry"
	"github.com/charte/charte/services"
)

// TestBannerBlockingShipsOnlyWhenAsked: the blocking code and the site's
// block list travel only in the script of a site with services that asks
// for them; the list holds the site's own services needing consent, each
// with its recipe's URL expression and snippet signatures, and nothing of
// the rest of the catalogue. Sizes are logged for BENCHMARKS.md.
func TestBannerBlockingShipsOnlyWhenAsked(t *testing.T) {
	site := blockingSite(t)
	asked, err := Build(site, "r1", "fr", Options{APIBase: "https://charte.example"})
	if err != nil {
		t.Fatal(err)
	}
	noBlock := *site
	noBlock.Blocking = ""
	withServices, err := Build(&noBlock, "r1", "fr", Options{APIBase: "https://charte.example"})
	if err != nil {
		t.Fatal(err)
	}
	exemptOnly := *site
	exemptOnly.Services = []registry.Service{{ID: "cdnjs", Category: "necessary"}}
	nothingToBlock, err := Build(&exemptOnly, "r1", "fr", Options{APIBase: "https://charte.example"})
	if err != nil {
		t.Fatal(err)
	}
	plainSite := demo.Site("demo")
	plainSite.Blocking = "observe" // no services: nothing to block, the warning says so
	plain, err := Build(plainSite, "r1", "fr", Options{APIBase: "https://charte.example"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("four services, fr: %d bytes gzipped without blocking, %d with (%d raw bytes more)",
		gzipped(t, withServices), gzipped(t, asked), len(asked)-len(withServices))
	for name, body := range map[string][]byte{"services without blocking": withServices, "no services": plain, "no service needing consent": nothingToBlock} {
		if s := string(body); strings.Contains(s, "MutationObserver") || strings.Contains(s, `"o":`) {
			t.Errorf("%s: the script carries the blocking code or a block list", name)
		}
	}
	if !strings.Contains(string(asked), "MutationObserver") {
		t.Fatal("the script of a site asking for blocking has no observer")
	}
	c := configOf(t, asked)
	var ids []string
	for _, e := range c.Block {
		ids = append(ids, e[0])
		if _, err := regexp.Compile(e[1]); err != nil {
			t.Errorf("%s: %v", e[0], err)
		}
	}
	if got := strings.Join(ids, " "); got != "google-tag-manager google-analytics youtube meta-pixel" {
		t.Errorf("block list of %s, want the four services", got)
	}
	yt := c.Block[2]
	if re := regexp.MustCompile(yt[1]); !re.MatchString("www.youtube.com/embed/abc") || re.MatchString("www.dailymotion.com/embed/video/x") {
		t.Errorf("youtube's expression %s", yt[1])
	}
	ga := c.Block[1]
	if len(ga) < 3 || !strings.Contains(strings.Join(ga[2:], "\n"), "gtag('config', 'G-") {
		t.Errorf("google-analytics carries no snippet signature: %v", ga)
	}
	if n := len(services.Builtin().All()); len(c.Block) >= n {
		t.Errorf("the block list holds %d entries, the catalogue %d", len(c.Block), n)
	}
}
