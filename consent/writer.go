package consent

import (
	"bufio"
	"io"
	"net"
	"net/http"
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
			e.enforce(reg, r, rw.Header())
		}
	})
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
		w.e.enforce(w.reg, w.req, w.rw.Header())
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
		w.e.enforce(w.reg, w.req, w.rw.Header())
	}
	return http.NewResponseController(w.rw).Hijack()
}
