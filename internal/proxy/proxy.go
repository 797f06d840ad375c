// Package proxy is charte's reverse proxy: put in front of a site it does not
// control (Django, PHP…), it enforces visitors' cookie choices on the
// responses and adds the banner's script tag to HTML pages.
package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/services"
)

// Config is what a proxy needs.
type Config struct {
	// Upstream is the site behind the proxy, e.g. http://127.0.0.1:9000.
	Upstream *url.URL
	// Enforcer applies visitors' choices to every response.
	Enforcer *consent.Enforcer
	// BannerURL is the banner script's URL; empty means no injection.
	BannerURL string
	// PreserveHost sends the visitor's Host header upstream (what Django's
	// ALLOWED_HOSTS and PHP virtual hosts usually expect) instead of the
	// upstream's own.
	PreserveHost bool
	// Transport reaches the upstream; NewTransport(time.Minute) by default.
	Transport http.RoundTripper
	Logger    *slog.Logger
	// Blocking, when set, turns automatic blocking on for sites whose
	// registry declares services: the tags of HTML pages that load a
	// service of this catalogue wait for the visitor's consent (gate.go).
	// The visitor's choice comes from the request context, so the
	// Enforcer must be built with consent.Options.Context; without it every
	// consent-needing service stays blocked.
	Blocking *services.Catalogue
	// Debug adds the Charte-Blocked response header listing what was
	// rewritten; it holds each page back until its end to do so.
	Debug bool
	// Metrics, when set, receives charte_proxy_blocked_tags_total.
	Metrics prometheus.Registerer
}

// NewTransport returns the transport to the upstream: bounded dial and
// header waits so a stuck upstream gives a 502 instead of hanging visitors,
// and enough idle connections for a busy site.
func NewTransport(responseTimeout time.Duration) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = responseTimeout
	t.MaxIdleConns = 512
	t.MaxIdleConnsPerHost = 256
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// New returns the proxy's handler: the consent middleware around an
// httputil.ReverseProxy.
func New(cfg Config) (http.Handler, error) {
	if cfg.Upstream == nil || cfg.Upstream.Host == "" || (cfg.Upstream.Scheme != "http" && cfg.Upstream.Scheme != "https") {
		return nil, errors.New("proxy: the upstream must be an http:// or https:// URL")
	}
	if cfg.Enforcer == nil {
		return nil, errors.New("proxy: no consent enforcer")
	}
	if cfg.Transport == nil {
		cfg.Transport = NewTransport(time.Minute)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	p := &proxy{cfg: cfg}
	if cfg.Blocking != nil {
		p.memo = newURLMemo(cfg.Blocking)
	}
	if cfg.Metrics != nil {
		p.blocked = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "charte_proxy_blocked_tags_total",
			Help: "Tags of HTML pages the proxy made wait for consent (automatic blocking), by site, service and tag.",
		}, []string{"site", "service", "tag"})
		if err := cfg.Metrics.Register(p.blocked); err != nil {
			return nil, fmt.Errorf("proxy metrics: %w", err)
		}
	}
	if cfg.BannerURL != "" {
		p.tag = string(bannerTag(cfg.BannerURL, ""))
		p.url = cfg.BannerURL // compared with attribute values the tokenizer unescapes
	}
	rp := &httputil.ReverseProxy{
		Rewrite:        p.rewrite,
		Transport:      cfg.Transport,
		BufferPool:     copyBuffers{},
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.errorPage,
		ErrorLog:       slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	return cfg.Enforcer.Handler(rp), nil
}

type proxy struct {
	cfg      Config
	tag, url string
	blocked  *prometheus.CounterVec
	memo     *urlMemo // what the pages' URLs match in cfg.Blocking
}

func (p *proxy) rewrite(r *httputil.ProxyRequest) {
	r.SetURL(p.cfg.Upstream)
	r.SetXForwarded()
	p.cfg.Enforcer.FilterRequest(r.In, r.Out.Header)
	if p.cfg.PreserveHost {
		r.Out.Host = r.In.Host
	}
	// A page the proxy must read to inject the banner can only come gzipped
	// or plain: Go's standard library cannot decompress br or zstd. Only
	// navigations are narrowed, so API calls and assets keep the client's
	// full list.
	if (p.tag != "" || p.cfg.Blocking != nil) && isNavigation(r.In) {
		if acceptsGzip(r.In.Header.Get("Accept-Encoding")) {
			r.Out.Header.Set("Accept-Encoding", "gzip")
		} else {
			r.Out.Header.Del("Accept-Encoding")
		}
	}
}

func isNavigation(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Dest") {
	case "document", "iframe", "frame":
		return true
	case "":
		return strings.Contains(r.Header.Get("Accept"), "text/html")
	}
	return false
}

// acceptsGzip reads an Accept-Encoding header: gzip listed with a q-value
// above zero (or without one).
func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		_, q, found := strings.Cut(strings.ReplaceAll(params, " ", ""), "q=")
		if !found {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}

func (p *proxy) modifyResponse(resp *http.Response) error {
	if resp.StatusCode == http.StatusSwitchingProtocols {
		// ReverseProxy writes a 101 response itself after hijacking the
		// connection, past the middleware: enforce its headers here.
		p.cfg.Enforcer.Enforce(resp.Request, resp.Header)
		return nil
	}
	site := p.cfg.Enforcer.Registry().Site
	block := p.cfg.Blocking != nil && len(site.Services) > 0
	if (p.tag == "" && !block) || !isHTML(resp.Header.Get("Content-Type")) || !hasBody(resp) {
		return nil
	}
	if isUTF16(resp.Header.Get("Content-Type")) {
		// The tag is ASCII; in a UTF-16 page it would be garbage, and the
		// tokenizer reads bytes, not UTF-16.
		p.cfg.Logger.Warn("HTML page in UTF-16; sent without the banner or blocking", "path", resp.Request.URL.Path)
		return nil
	}
	body := resp.Body
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		// Decompressed and sent plain: recompressing would cost CPU on
		// every page and hold bytes back from streaming; a front server
		// (nginx "gzip on") compresses better anyway.
		zr, err := gzip.NewReader(body)
		if err != nil {
			return fmt.Errorf("proxy: gzip HTML from upstream: %w", err)
		}
		raw := body
		body = readCloser{zr, func() error { zr.Close(); return raw.Close() }}
		resp.Header.Del("Content-Encoding")
	default:
		p.cfg.Logger.Warn("HTML page in an encoding the proxy cannot read; sent without the banner", "encoding", enc, "path", resp.Request.URL.Path)
		return nil
	}
	if block {
		g := &gate{cat: p.cfg.Blocking, site: site, visitor: consent.FromContext(resp.Request.Context()),
			page: resp.Request.URL, log: p.cfg.Logger, memo: p.memo}
		if p.blocked != nil {
			g.count = func(service, tag string) { p.blocked.WithLabelValues(site.ID, service, tag).Inc() }
		}
		body = newBlocker(body, g)
		if p.cfg.Debug {
			// The header goes before the body, so the page is read whole
			// first: debug mode only.
			page, err := io.ReadAll(body)
			body.Close()
			if err != nil {
				return fmt.Errorf("proxy: reading the page upstream: %w", err)
			}
			resp.Header.Set("Charte-Blocked", g.header())
			body = io.NopCloser(bytes.NewReader(page))
		}
	}
	if p.tag != "" {
		tag, nonce := p.tag, cspNonce(resp.Header)
		if nonce != "" {
			// A nonce policy runs only scripts that carry the page's nonce.
			tag = string(bannerTag(p.url, nonce))
		}
		in := newInjector(body, tag, p.url, site.Languages)
		in.nonce = nonce
		body = in
	}
	resp.Body = body
	resp.ContentLength = -1
	resp.Header.Del("Content-Length")
	// The upstream's validators and digests describe the page without the tag.
	resp.Header.Del("Content-MD5")
	if etag := resp.Header.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
		resp.Header.Set("ETag", "W/"+etag)
	}
	return nil
}

// copyBuffers recycles the buffers ReverseProxy copies responses through,
// in bufPool with the injector's and the blocker's (all of readSize):
// without a pool it makes a new 32 KiB one for every response, most of the
// bytes a proxied page allocates, and so of the garbage collector's work
// on a busy proxy.
type copyBuffers struct{}

func (copyBuffers) Get() []byte {
	b := *bufPool.Get().(*[]byte)
	return b[:cap(b)]
}

func (copyBuffers) Put(b []byte) {
	if cap(b) >= readSize {
		b = b[:0]
		bufPool.Put(&b)
	}
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// isUTF16 tells whether a Content-Type names a UTF-16 charset. Parsing
// the header costs a map and several strings, for every page, so it is
// parsed only when "utf-16" can be in its charset: written as such, or
// hidden in a quoted pair or an RFC 2231 parameter (charset*=).
func isUTF16(ct string) bool {
	if !containsFold(ct, "utf-16") && !strings.ContainsAny(ct, `\*`) {
		return false
	}
	_, params, err := mime.ParseMediaType(ct)
	return err == nil && strings.HasPrefix(strings.ToLower(params["charset"]), "utf-16")
}

// containsFold tells whether s holds sub (in lower case) in any ASCII case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if asciiEqualFoldString([]byte(s[i:i+len(sub)]), sub) {
			return true
		}
	}
	return false
}

func isHTML(ct string) bool {
	ct = strings.TrimSpace(ct)
	return len(ct) >= 9 && strings.EqualFold(ct[:9], "text/html") && (len(ct) == 9 || ct[9] == ';' || ct[9] == ' ')
}

func hasBody(resp *http.Response) bool {
	return resp.Request.Method != http.MethodHead && resp.StatusCode >= 200 &&
		resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotModified && resp.ContentLength != 0
}

// errorPage answers when the upstream cannot be reached or answers nothing.
func (p *proxy) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the visitor left; nobody to answer
	}
	status := http.StatusBadGateway
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		status = http.StatusGatewayTimeout
	}
	p.cfg.Logger.Error("upstream unavailable", "upstream", p.cfg.Upstream.Redacted(), "path", r.URL.Path, "status", status, "err", err)
	writeErrorPage(w, r, status)
}
