package scan

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/domstorage"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/services"
)

// pageResult is what one page load showed.
type pageResult struct {
	visit   Visit
	links   []string
	storage []StorageKey
	// hosts counts requests per host, every host including the site's own.
	hosts map[string]int
	// site is the registrable domain Chromium computed for the page (public
	// suffix list included); empty for an IP address.
	site string
	// services are the catalogue's services the page's requests belong to.
	services map[string]*DetectedService
	// scripts are the services' scripts the page left free to run.
	scripts []RanScript
}

// hostRecorder counts the hosts a tab sends requests to. It subscribes
// before the navigation, so the first request is not lost.
type hostRecorder struct {
	mu       sync.Mutex
	hosts    map[string]int
	services map[string]*DetectedService
	cancel   context.CancelFunc
	done     chan struct{}
}

func recordHosts(tab context.Context) *hostRecorder {
	ctx, cancel := context.WithCancel(tab)
	r := &hostRecorder{hosts: map[string]int{}, services: map[string]*DetectedService{}, cancel: cancel, done: make(chan struct{})}
	events := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		defer close(r.done)
		for ev, err := range events {
			if err != nil {
				return
			}
			if ev.Request == nil {
				continue
			}
			if u, err := url.Parse(ev.Request.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
				m := services.Builtin().URLs().Match(ev.Request.URL)
				r.mu.Lock()
				r.hosts[strings.ToLower(u.Hostname())]++
				if len(m) > 0 {
					d := r.services[m[0].Recipe.ID]
					if d == nil {
						d = &DetectedService{ID: m[0].Recipe.ID, URL: ev.Request.URL, Host: strings.ToLower(u.Hostname())}
						r.services[d.ID] = d
					}
					d.Requests++
				}
				r.mu.Unlock()
			}
		}
	}()
	return r
}

// stop ends the subscription and returns the counts.
func (r *hostRecorder) stop() (map[string]int, map[string]*DetectedService) {
	r.cancel()
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hosts, r.services
}

// visit loads u in the tab, waits settle for scripts to write what they
// write, and reads links, web storage and the hosts contacted. The load is
// bounded by the load timeout, the reading by the step timeout: a page past
// either is marked unresponsive, and the caller closes its tab.
func (s *scanner) visit(tab context.Context, u string) pageResult {
	res := pageResult{visit: Visit{URL: u}}
	rec := recordHosts(tab)
	dialogs := recordDialogs(tab)
	ctx, cancel := context.WithTimeout(tab, s.load)
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	loadTimedOut := ctx.Err() == context.DeadlineExceeded && tab.Err() == nil
	cancel()
	switch {
	case loadTimedOut:
		// A page that never finishes loading (a response that never ends,
		// a script holding the load) is still read as it stands.
		res.visit.Unresponsive = UnresponsiveLoad
	case err != nil:
		res.visit.Error = err.Error()
	case resp != nil:
		res.visit.Status = int(resp.Status)
	}
	if err == nil || loadTimedOut {
		sleep(tab, s.settle)
		ctx, cancel := context.WithTimeout(tab, s.step)
		res.links, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll('a[href]'), a => a.href)`))
		if err == nil {
			res.storage, res.site = readStorage(ctx)
			res.scripts = readScripts(ctx, u)
		}
		if ctx.Err() == context.DeadlineExceeded && tab.Err() == nil && res.visit.Unresponsive == "" {
			res.visit.Unresponsive = UnresponsiveScript
		}
		cancel()
	}
	res.hosts, res.services = rec.stop()
	res.visit.Dialogs = dialogs.stop()
	return res
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// readStorage lists the localStorage and sessionStorage keys of every frame
// of the page, third-party iframes included. Chromium partitions storage by
// top-level site, so each frame's storage key is asked for rather than
// guessed from its origin.
func readStorage(tab context.Context) ([]StorageKey, string) {
	tree, err := chromedp.Call(tab, page.GetFrameTree, cdp.Empty{})
	if err != nil || tree.FrameTree == nil {
		return nil, ""
	}
	site := ""
	if tree.FrameTree.Frame != nil {
		site = tree.FrameTree.Frame.DomainAndRegistry
	}
	var out []StorageKey
	var walk func(*page.FrameTree)
	walk = func(ft *page.FrameTree) {
		if ft == nil || ft.Frame == nil {
			return
		}
		f := ft.Frame
		if strings.HasPrefix(f.SecurityOrigin, "http://") || strings.HasPrefix(f.SecurityOrigin, "https://") {
			out = append(out, frameStorage(tab, f)...)
		}
		for _, c := range ft.ChildFrames {
			walk(c)
		}
	}
	walk(tree.FrameTree)
	return out, site
}

func frameStorage(tab context.Context, f *cdp.Frame) []StorageKey {
	key, err := chromedp.Call(tab, storage.GetStorageKey, storage.GetStorageKeyParams{FrameID: f.ID})
	if err != nil {
		return nil
	}
	var out []StorageKey
	for _, local := range []bool{true, false} {
		items, err := chromedp.Call(tab, domstorage.GetDOMStorageItems, domstorage.GetDOMStorageItemsParams{
			StorageID: &domstorage.StorageID{StorageKey: domstorage.SerializedStorageKey(key.StorageKey), IsLocalStorage: local},
		})
		if err != nil {
			continue
		}
		kind := "session"
		if local {
			kind = "local"
		}
		for _, it := range items.Entries {
			if len(it) > 0 {
				out = append(out, StorageKey{Origin: f.SecurityOrigin, Kind: kind, Key: it[0]})
			}
		}
	}
	return out
}
