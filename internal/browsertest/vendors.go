package browsertest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// NetLog is a tab's network log of the requests to some hosts, in the
// order the browser sent them.
type NetLog struct {
	mu   sync.Mutex
	urls []string
}

// Count is how many requests started with prefix.
func (l *NetLog) Count(prefix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, u := range l.urls {
		if strings.HasPrefix(u, prefix) {
			n++
		}
	}
	return n
}

// All is every request logged so far.
func (l *NetLog) All() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.urls)
}

// WaitCount waits until at least n requests started with prefix.
func (l *NetLog) WaitCount(t testing.TB, prefix string, n int) {
	t.Helper()
	deadline := time.Now().Add(WaitFor)
	for l.Count(prefix) < n {
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d requests to %s; requests: %v", n, prefix, l.All())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// VendorTab opens a tab in a new browser context whose HTTPS requests to
// hosts are answered by the test server at serverURL (same path and query)
// and logged: the vendors of third-party scripts and frames, with no
// internet needed. Every request the browser sends to those hosts is in the
// log, whatever starts it (the parser, a script, the preload scanner).
func VendorTab(t testing.TB, browser context.Context, serverURL string, hosts ...string) (context.Context, *NetLog) {
	t.Helper()
	log := &NetLog{}
	var tab context.Context
	listen := func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if u, err := url.Parse(e.Request.URL); err == nil && slices.Contains(hosts, u.Hostname()) {
				log.mu.Lock()
				log.urls = append(log.urls, e.Request.URL)
				log.mu.Unlock()
			}
		case *fetch.EventRequestPaused:
			// The listener runs on chromedp's reading goroutine: answer
			// from another.
			go answer(tab, e, serverURL)
		}
	}
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext(), chromedp.WithListener(listen))
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatal(err)
	}
	var patterns []*fetch.RequestPattern
	for _, h := range hosts {
		patterns = append(patterns, &fetch.RequestPattern{URLPattern: "https://" + h + "/*"})
	}
	if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{Patterns: patterns}); err != nil {
		t.Fatal(err)
	}
	return tab, log
}

// answer fulfils a paused request from the test server.
func answer(tab context.Context, e *fetch.EventRequestPaused, serverURL string) {
	u, _ := url.Parse(e.Request.URL)
	resp, err := http.Get(serverURL + u.RequestURI())
	if err != nil {
		chromedp.Call(tab, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonConnectionRefused})
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	// The fixture's headers as it sent them (CORS for a module script,
	// say), but for those of the transfer the browser does not see.
	var headers []*fetch.HeaderEntry
	for name, values := range resp.Header {
		switch name {
		case "Content-Length", "Date", "Transfer-Encoding", "Connection":
			continue
		}
		for _, v := range values {
			headers = append(headers, &fetch.HeaderEntry{Name: name, Value: v})
		}
	}
	chromedp.Call(tab, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: int64(resp.StatusCode),
		ResponseHeaders: headers, Body: body})
}
