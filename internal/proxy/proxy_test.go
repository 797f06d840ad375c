package proxy

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/demo"
)

var discard = slog.New(slog.DiscardHandler)

// The upstream sets a necessary session, an HttpOnly statistics cookie, an
// undeclared cookie and a marketing cookie on every page.
var cookies = []string{
	"sessionid=s1; Path=/; HttpOnly; SameSite=Lax",
	"_pk_id.1.abcd=p1; Path=/; Max-Age=33696000; HttpOnly",
	"tracker=t1; Path=/",
	"YSC=y1; Path=/",
}

const page = "<!DOCTYPE html><html><head><title>Portail</title></head><body><h1>Bonjour</h1></body></html>"

var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR</head><body>")

func upstream(t testing.TB) *httptest.Server {
	mux := http.NewServeMux()
	setCookies := func(w http.ResponseWriter) {
		for _, c := range cookies {
			w.Header().Add("Set-Cookie", c)
		}
	}
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		setCookies(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", fmt.Sprint(len(page)))
		io.WriteString(w, page)
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("navigation asked upstream for %q, want gzip", r.Header.Get("Accept-Encoding"))
		}
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		io.WriteString(zw, page)
		zw.Close()
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", fmt.Sprint(b.Len()))
		w.Write(b.Bytes())
	})
	mux.HandleFunc("/api", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"html": "</head>"}`)
	})
	mux.HandleFunc("/image.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	})
	mux.HandleFunc("/cookies", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Header.Get("Cookie"))
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s|%s|%s|%s", r.Host, r.Header.Get("X-Forwarded-For"), r.Header.Get("X-Forwarded-Host"), r.Header.Get("X-Forwarded-Proto"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func newProxy(t testing.TB, up string, mutate func(*Config)) *httptest.Server {
	t.Helper()
	e, err := consent.New(consent.Static(demo.Site("demo")), consent.Options{Logger: discard})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(up)
	cfg := Config{Upstream: u, Enforcer: e, BannerURL: testURL, Logger: discard, Transport: NewTransport(2 * time.Second)}
	if mutate != nil {
		mutate(&cfg)
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t testing.TB, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// The transport would add gzip and decode it silently; the tests look at
	// what a browser receives, so they ask explicitly.
	if req.Header.Get("Accept-Encoding") == "" {
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func choice(rev string, stats, marketing bool) string {
	c := consent.Choice{ConsentID: consent.NewConsentID(), Revision: rev, Time: time.Now(),
		Decisions: []consent.Decision{{Category: "statistics", Granted: stats}, {Category: "marketing", Granted: marketing}}}
	return consent.CookieName + "=" + c.Encode()
}

func TestProxyCookies(t *testing.T) {
	rev := demo.Site("demo").Revision()
	proxy := newProxy(t, upstream(t).URL, nil)
	tests := []struct {
		name   string
		header []string
		want   []string
	}{
		{"no choice", nil, cookies[:1]},
		{"GPC", []string{"Sec-GPC", "1"}, cookies[:1]},
		{"statistics", []string{"Cookie", choice(rev, true, false)}, cookies[:2]},
		{"marketing", []string{"Cookie", choice(rev, false, true)}, []string{cookies[0], cookies[3]}},
		{"all", []string{"Cookie", choice(rev, true, true)}, []string{cookies[0], cookies[1], cookies[3]}},
		{"none", []string{"Cookie", choice(rev, false, false)}, cookies[:1]},
		{"GPC and an explicit choice", []string{"Sec-GPC", "1", "Cookie", choice(rev, true, false)}, cookies[:2]},
		{"malformed choice", []string{"Cookie", "cookies_preferences=yes please"}, cookies[:1]},
		{"old revision", []string{"Cookie", choice("abcdef", true, true)}, cookies[:1]},
		{"withdrawal", []string{"Cookie", "_pk_id.1.abcd=p0; YSC=y0; " + choice(rev, false, true)},
			[]string{cookies[0], cookies[3], "_pk_id.1.abcd=; Path=/; Max-Age=0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, proxy.URL+"/page", tt.header...)
			if got := resp.Header.Values("Set-Cookie"); !slices.Equal(got, tt.want) {
				t.Errorf("Set-Cookie:\n got %q\nwant %q", got, tt.want)
			}
			if strings.Count(body, testTag) != 1 {
				t.Errorf("body %q: want one banner tag", body)
			}
		})
	}
}

// TestProxyFiltersRequestCookies checks what the site behind the proxy
// reads: never a cookie of a category the visitor refused.
func TestProxyFiltersRequestCookies(t *testing.T) {
	rev := demo.Site("demo").Revision()
	proxy := newProxy(t, upstream(t).URL, nil)
	refused := choice(rev, false, true)
	granted := choice(rev, true, true)
	tests := []struct{ name, cookie, want string }{
		{"refused statistics cookie removed", "sessionid=s; _pk_id.1.abcd=p; YSC=y; " + refused, "sessionid=s; YSC=y; " + refused},
		{"granted passes", "sessionid=s; _pk_id.1.abcd=p; " + granted, "sessionid=s; _pk_id.1.abcd=p; " + granted},
		{"no choice: only exempt and undeclared pass", "_pk_ses.1.x=1; sessionid=s; other=o", "sessionid=s; other=o"},
		{"everything refused", "_pk_id.1.abcd=p; YSC=y", ""},
		{"untouched when nothing to remove", "sessionid=s;other=o", "sessionid=s;other=o"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, body := get(t, proxy.URL+"/cookies", "Cookie", tt.cookie); body != tt.want {
				t.Errorf("upstream read %q, want %q", body, tt.want)
			}
		})
	}
}

func TestProxyBodies(t *testing.T) {
	proxy := newProxy(t, upstream(t).URL, nil)
	injected := strings.Replace(page, "</head>", testTag+"</head>", 1)
	tests := []struct {
		path, accept string
		want         string
		wantType     string
	}{
		{"/page", "text/html", injected, "text/html; charset=utf-8"},
		{"/gzip", "text/html,application/xhtml+xml", injected, "text/html"},
		{"/api", "application/json", `{"html": "</head>"}`, "application/json"},
		{"/image.png", "image/*", string(png), "image/png"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(t, proxy.URL+tt.path, "Accept", tt.accept)
			if body != tt.want || resp.Header.Get("Content-Type") != tt.wantType {
				t.Errorf("got %q (%s), want %q (%s)", body, resp.Header.Get("Content-Type"), tt.want, tt.wantType)
			}
			if ce := resp.Header.Get("Content-Encoding"); ce != "" {
				t.Errorf("Content-Encoding %q left on a decoded body", ce)
			}
			if cl := resp.ContentLength; cl != -1 && cl != int64(len(body)) {
				t.Errorf("Content-Length %d for %d bytes", cl, len(body))
			}
		})
	}
}

func TestProxyHeadersAndErrors(t *testing.T) {
	up := upstream(t)
	proxy := newProxy(t, up.URL, nil)
	_, body := get(t, proxy.URL+"/echo")
	host := strings.TrimPrefix(proxy.URL, "http://")
	if want := strings.TrimPrefix(up.URL, "http://") + "|127.0.0.1|" + host + "|http"; body != want {
		t.Errorf("upstream saw %q, want %q", body, want)
	}
	kept := newProxy(t, up.URL, func(c *Config) { c.PreserveHost = true })
	if _, body := get(t, kept.URL+"/echo"); !strings.HasPrefix(body, strings.TrimPrefix(kept.URL, "http://")+"|") {
		t.Errorf("PreserveHost: upstream saw %q", body)
	}

	dead := newProxy(t, "http://127.0.0.1:1", nil)
	for lang, first := range map[string]string{"fr-FR,fr;q=0.9": "Site momentanément indisponible", "en-GB,en": "Site temporarily unavailable"} {
		resp, body := get(t, dead.URL+"/page", "Accept-Language", lang)
		if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, "<title>"+first) ||
			!strings.Contains(body, "erreur 502") || !strings.Contains(body, "error 502") {
			t.Errorf("%s: %d %q", lang, resp.StatusCode, body)
		}
	}

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(300 * time.Millisecond) }))
	defer slow.Close()
	timeout := newProxy(t, slow.URL, func(c *Config) { c.Transport = NewTransport(50 * time.Millisecond) })
	if resp, body := get(t, timeout.URL+"/"); resp.StatusCode != http.StatusGatewayTimeout || !strings.Contains(body, "504") {
		t.Errorf("slow upstream: %d %q", resp.StatusCode, body)
	}

	if _, err := New(Config{Upstream: &url.URL{Scheme: "ftp", Host: "x"}}); err == nil {
		t.Error("an ftp upstream was accepted")
	}
}

// Streaming: what the upstream flushed reaches the visitor before the
// upstream is done, HTML (with its banner) included.
func TestProxyStreams(t *testing.T) {
	release := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", r.URL.Query().Get("type"))
		io.WriteString(w, "<html><head></head><body>\n")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "end\n")
	}))
	defer up.Close()
	proxy := newProxy(t, up.URL, nil)
	for _, ct := range []string{"text/html", "text/event-stream"} {
		resp, err := http.Get(proxy.URL + "/?type=" + url.QueryEscape(ct))
		if err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(resp.Body).ReadString('\n')
		if err != nil || !strings.HasSuffix(line, "<body>\n") {
			t.Errorf("%s: first line %q, %v", ct, line, err)
		}
		if ct == "text/html" && !strings.Contains(line, testTag) {
			t.Errorf("streamed HTML without the banner: %q", line)
		}
		release <- struct{}{}
		resp.Body.Close()
	}
}

// WebSockets (any Upgrade) pass through, and cookies in the 101 answer are
// enforced like any other.
func TestProxyWebSocket(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			http.Error(w, "upgrade required", http.StatusUpgradeRequired)
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSet-Cookie: YSC=y\r\nSet-Cookie: sessionid=s\r\n\r\n")
		brw.Flush()
		line, _ := brw.ReadString('\n')
		brw.WriteString("echo: " + line)
		brw.Flush()
	}))
	defer up.Close()
	proxy := newProxy(t, up.URL, nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(proxy.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 101 || !slices.Equal(resp.Header.Values("Set-Cookie"), []string{"sessionid=s"}) {
		t.Fatalf("upgrade answer %d with cookies %q", resp.StatusCode, resp.Header.Values("Set-Cookie"))
	}
	io.WriteString(conn, "hello\n")
	if line, err := br.ReadString('\n'); line != "echo: hello\n" {
		t.Errorf("through the tunnel: %q, %v", line, err)
	}
}

// An upstream that sends cookies in HTTP trailers (declared, or undeclared
// through http.TrailerPrefix): the visitor receives the page and its other
// trailers, never those cookies.
func TestProxyDropsCookieTrailers(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "sessionid=s; Path=/")
		w.Header().Set("Content-Type", r.URL.Query().Get("type"))
		if r.URL.Query().Get("declare") != "" {
			w.Header().Set("Trailer", "Set-Cookie, X-Sum")
		}
		io.WriteString(w, page)
		http.NewResponseController(w).Flush()
		if r.URL.Query().Get("declare") != "" {
			w.Header().Set("Set-Cookie", "tracker=t1; Path=/")
			w.Header().Set("X-Sum", "42")
		} else {
			w.Header().Set(http.TrailerPrefix+"Set-Cookie", "YSC=y1; Path=/")
			w.Header().Set(http.TrailerPrefix+"X-Sum", "42")
		}
	}))
	t.Cleanup(up.Close)
	proxy := newProxy(t, up.URL, nil)
	for _, q := range []string{"declare=1&type=text/html", "declare=1&type=application/json", "type=text/html", "type=text/plain"} {
		t.Run(q, func(t *testing.T) {
			resp, body := get(t, proxy.URL+"/?"+q, "Accept", "text/html")
			if !strings.Contains(body, "<h1>Bonjour</h1>") || !slices.Equal(resp.Header.Values("Set-Cookie"), []string{"sessionid=s; Path=/"}) {
				t.Errorf("body %q, Set-Cookie %q", body, resp.Header.Values("Set-Cookie"))
			}
			if v := resp.Trailer.Values("Set-Cookie"); len(v) > 0 {
				t.Errorf("cookie trailers reached the visitor: %q", v)
			}
			if got := resp.Trailer.Get("X-Sum"); got != "42" {
				t.Errorf("X-Sum trailer %q, want 42 (trailers %q)", got, resp.Trailer)
			}
		})
	}
}

// Through the proxy, pages that hide "</head>" or "<body" in a script's
// string or a comment, plain or gzipped, get the tag at the real end of the
// head, with every other byte as the upstream sent it; UTF-16 pages are
// left alone.
func TestProxyInjectsInContext(t *testing.T) {
	scriptPage := `<!doctype html><html><head><script>var h = "</head><body>";</script><!-- <body> --></head><body><p>x</p></body></html>`
	commentPage := "<!DOCTYPE html><HTML><HEAD><!-- </HEAD> --><TITLE></head></TITLE></HEAD><BODY>é</BODY>"
	utf16 := "\xff\xfe<\x00h\x00e\x00a\x00d\x00>\x00"
	tests := []struct {
		name, ctype, body string
		gzip              bool
		want              string
	}{
		{"script string", "text/html; charset=utf-8", scriptPage, false,
			strings.Replace(scriptPage, "--></head>", "-->"+testTag+"</head>", 1)},
		{"script string, gzip", "text/html", scriptPage, true,
			strings.Replace(scriptPage, "--></head>", "-->"+testTag+"</head>", 1)},
		{"comment and title", "text/html; charset=UTF-8", commentPage, false,
			strings.Replace(commentPage, "</TITLE></HEAD>", "</TITLE>"+testTag+"</HEAD>", 1)},
		{"UTF-16 by charset", "text/html; charset=UTF-16LE", "<\x00h\x00e\x00a\x00d\x00>\x00", false, "<\x00h\x00e\x00a\x00d\x00>\x00"},
		{"UTF-16 by byte order mark", "text/html", utf16, false, utf16},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				b := []byte(tt.body)
				if tt.gzip {
					var z bytes.Buffer
					zw := gzip.NewWriter(&z)
					zw.Write(b)
					zw.Close()
					b = z.Bytes()
					w.Header().Set("Content-Encoding", "gzip")
				}
				w.Header().Set("Content-Length", fmt.Sprint(len(b)))
				w.Write(b)
			}))
			t.Cleanup(up.Close)
			proxy := newProxy(t, up.URL, nil)
			resp, body := get(t, proxy.URL+fmt.Sprintf("/p%d", i), "Accept", "text/html")
			if body != tt.want {
				t.Errorf("got  %q\nwant %q", body, tt.want)
			}
			if resp.Header.Get("Content-Encoding") != "" || (resp.ContentLength != -1 && resp.ContentLength != int64(len(body))) {
				t.Errorf("Content-Encoding %q, Content-Length %d for %d bytes", resp.Header.Get("Content-Encoding"), resp.ContentLength, len(body))
			}
		})
	}
}
