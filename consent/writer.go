package consent

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
)

// Handler wraps next so that every response it writes is enforced: when the
// final headers go out (WriteHeader, the first Write, a Flush, a Hijack, or
// the handler returning without writing), the Set-Cookie lines are filtered
// once.
func (e *Enforcer) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		reg := e.src.Registry()
		if e.opts.Context {
			r = r.WithContext(withVisitor(r.Context(), newVisitor(reg, r, e.opts.Now())))
		}
		w := writerPool.Get().(*writer)
		*w = writer{rw: rw, e: e, reg: reg, req: r}
		defer func() {
			*w = writer{} // drop references before pooling
			writerPool.Put(w)
		}()
		next.ServeHTTP(w, r)
		if !w.final {
			// The handler wrote nothing: net/http sends the headers now, and
			// they may hold cookies, so they are enforced too.
			w.final = true
			e.enforceFinal(reg, r, rw.Header())
		}
		// Trailers named with http.TrailerPrefix can be added until the
		// handler returns; net/http sends them after that, so this is the
		// last moment to remove cookies from them.
		dropPrefixedCookieTrailers(rw.Header())
	})
}

// enforceFinal enforces the final response headers. Cookies sent as HTTP
// trailers are dropped rather than judged: they would arrive after the
// headers were enforced, browsers ignore them today, and a future client that
// honoured them would get cookies the visitor refused. Dropping the
// declaration ("Trailer: Set-Cookie") is what keeps net/http from sending the
// values a handler (or httputil.ReverseProxy, copying an upstream's
// trailers) puts in the header map after the body.
func (e *Enforcer) enforceFinal(reg *Registry, r *http.Request, h http.Header) {
	e.enforce(reg, r, h)
	if len(h["Trailer"]) > 0 {
		dropDeclaredCookieTrailers(h)
	}
}

// isCookieField reports whether a header name carries cookies to the client.
func isCookieField(name string) bool {
	name = strings.TrimSpace(name)
	return strings.EqualFold(name, "Set-Cookie") || strings.EqualFold(name, "Set-Cookie2")
}

// dropDeclaredCookieTrailers removes Set-Cookie and Set-Cookie2 from the
// Trailer header's comma-separated lists, keeping the other declarations.
func dropDeclaredCookieTrailers(h http.Header) {
	var kept []string
	changed := false
	for _, v := range h["Trailer"] {
		var names []string
		for name := range strings.SplitSeq(v, ",") {
			if isCookieField(name) {
				changed = true
				continue
			}
			if strings.TrimSpace(name) != "" {
				names = append(names, strings.TrimSpace(name))
			}
		}
		if len(names) > 0 {
			kept = append(kept, strings.Join(names, ", "))
		}
	}
	switch {
	case !changed:
	case len(kept) == 0:
		delete(h, "Trailer")
	default:
		h["Trailer"] = kept
	}
}

// dropPrefixedCookieTrailers removes undeclared cookie trailers: net/http
// sends every "Trailer:NAME" key of the header map as a trailer NAME, with
// the name as written (so the match ignores case).
func dropPrefixedCookieTrailers(h http.Header) {
	for k := range h {
		if name, ok := strings.CutPrefix(k, http.TrailerPrefix); ok && isCookieField(name) {
			delete(h, k)
		}
	}
}

// Writers are pooled so that a response setting no cookie costs no
// allocation. Like any ResponseWriter, one must not be used after the
// handler returns.
var writerPool = sync.Pool{New: func() any { return new(writer) }}

// writer is the ResponseWriter handlers see.
type writer struct {
	rw    http.ResponseWriter
	e     *Enforcer
	reg   *Registry
	req   *http.Request
	final bool // final headers enforced (and written, or hijacked)
}

func (w *writer) Header() http.Header { return w.rw.Header() }

// Unwrap lets http.ResponseController reach the server's writer for
// deadlines and full duplex.
func (w *writer) Unwrap() http.ResponseWriter { return w.rw }

func (w *writer) WriteHeader(code int) {
	if !w.final {
		if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
			w.informational(code)
			return
		}
		w.final = true
		w.e.enforceFinal(w.reg, w.req, w.rw.Header())
	}
	w.rw.WriteHeader(code)
}

// informational sends a 1xx response (103 Early Hints) without the cookies:
// net/http sends the whole header map with it, and the cookies will be
// judged once, with the final response.
func (w *writer) informational(code int) {
	h := w.rw.Header()
	cookies, had := h["Set-Cookie"]
	delete(h, "Set-Cookie")
	w.rw.WriteHeader(code)
	if had {
		h["Set-Cookie"] = cookies
	}
}

func (w *writer) Write(p []byte) (int, error) {
	if !w.final {
		w.WriteHeader(http.StatusOK)
	}
	return w.rw.Write(p)
}

// ReadFrom keeps the server's sendfile path for io.Copy into the response.
func (w *writer) ReadFrom(src io.Reader) (int64, error) {
	if !w.final {
		w.WriteHeader(http.StatusOK)
	}
	if rf, ok := w.rw.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(struct{ io.Writer }{w.rw}, src)
}

// FlushError sends the headers if needed, then flushes; ResponseController
// and httputil.ReverseProxy call it for streaming responses.
func (w *writer) FlushError() error {
	if !w.final {
		w.WriteHeader(http.StatusOK)
	}
	return http.NewResponseController(w.rw).Flush()
}

func (w *writer) Flush() { _ = w.FlushError() }

// Hijack enforces the headers before handing the connection over, for
// handlers that then write w.Header() themselves.
func (w *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if !w.final {
		w.final = true
		w.e.enforceFinal(w.reg, w.req, w.rw.Header())
	}
	return http.NewResponseController(w.rw).Hijack()
}
