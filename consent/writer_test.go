package consent

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/demo"
)

// serve runs h behind the middleware (demo registry, no choice) on a real
// server.
func serve(t *testing.T, opts Options, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = discard
	}
	e, err := New(Static(demo.Site("demo")), opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler(h))
	t.Cleanup(srv.Close)
	return srv
}

func TestWriterHeaderPaths(t *testing.T) {
	set := func(w http.ResponseWriter) {
		w.Header().Add("Set-Cookie", "sessionid=s")
		w.Header().Add("Set-Cookie", "YSC=y")
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		status  int
	}{
		{"WriteHeader", func(w http.ResponseWriter, r *http.Request) { set(w); w.WriteHeader(201) }, 201},
		{"Write only", func(w http.ResponseWriter, r *http.Request) { set(w); io.WriteString(w, "x") }, 200},
		{"never writes", func(w http.ResponseWriter, r *http.Request) { set(w) }, 200},
		{"io.Copy (ReadFrom)", func(w http.ResponseWriter, r *http.Request) { set(w); io.Copy(w, strings.NewReader("x")) }, 200},
		{"Flush first", func(w http.ResponseWriter, r *http.Request) { set(w); http.NewResponseController(w).Flush() }, 200},
		{"cookie added after WriteHeader is not sent", func(w http.ResponseWriter, r *http.Request) {
			set(w)
			w.WriteHeader(202)
			w.Header().Add("Set-Cookie", "tracker=late")
		}, 202},
		{"WriteHeader twice", func(w http.ResponseWriter, r *http.Request) { set(w); w.WriteHeader(203); w.WriteHeader(500) }, 203},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, Options{}, tt.handler)
			resp, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.Header.Values("Set-Cookie"); resp.StatusCode != tt.status || !slices.Equal(got, []string{"sessionid=s"}) {
				t.Errorf("status %d, Set-Cookie %q; want %d, [sessionid=s]", resp.StatusCode, got, tt.status)
			}
		})
	}
}

// A 103 Early Hints response must carry no cookie, and must not make the
// final response's cookies be judged (or expired) twice.
func TestWriterInformational(t *testing.T) {
	srv := serve(t, Options{}, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "sessionid=s")
		w.Header().Add("Set-Cookie", "_pk_id.1.x=p")
		w.Header().Set("Link", "</app.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		w.Header().Del("Link")
		w.WriteHeader(http.StatusOK)
	})
	var hints []textproto.MIMEHeader
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		Got1xxResponse: func(code int, h textproto.MIMEHeader) error { hints = append(hints, h); return nil },
	})
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	req.Header.Set("Cookie", "_pk_id.1.x=old")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(hints) != 1 || hints[0].Get("Link") == "" || len(hints[0]["Set-Cookie"]) != 0 {
		t.Errorf("103 headers %v: want the Link and no cookie", hints)
	}
	want := []string{"sessionid=s", "_pk_id.1.x=; Path=/; Max-Age=0"}
	if got := resp.Header.Values("Set-Cookie"); !slices.Equal(got, want) {
		t.Errorf("final Set-Cookie %q, want %q", got, want)
	}
}

func TestWriterStreams(t *testing.T) {
	next := make(chan struct{})
	srv := serve(t, Options{}, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first\n")
		w.(http.Flusher).Flush()
		<-next
		io.WriteString(w, "second\n")
	})
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	if line, err := br.ReadString('\n'); line != "first\n" || err != nil {
		t.Fatalf("first chunk %q, %v: not flushed", line, err)
	}
	close(next)
	if line, _ := br.ReadString('\n'); line != "second\n" {
		t.Fatalf("second chunk %q", line)
	}
}

func TestWriterHijackAndController(t *testing.T) {
	srv := serve(t, Options{}, func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline through Unwrap: %v", err)
		}
		w.Header().Add("Set-Cookie", "YSC=y")
		w.Header().Add("Set-Cookie", "sessionid=s")
		conn, brw, err := rc.Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer conn.Close()
		resp := &http.Response{StatusCode: 200, ProtoMajor: 1, ProtoMinor: 1, Header: w.Header(), ContentLength: 2,
			Body: io.NopCloser(strings.NewReader("ok"))}
		resp.Write(brw)
		brw.Flush()
	})
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got := resp.Header.Values("Set-Cookie"); string(body) != "ok" || !slices.Equal(got, []string{"sessionid=s"}) {
		t.Errorf("hijacked response %q with Set-Cookie %q", body, got)
	}
}

func TestFromContext(t *testing.T) {
	site := demo.Site("demo")
	var got []string
	srv := serve(t, Options{Context: true}, func(w http.ResponseWriter, r *http.Request) {
		v := FromContext(r.Context())
		for _, c := range []string{"necessary", "statistics", "marketing", "unknown"} {
			if v.Allowed(c) {
				got = append(got, c)
			}
		}
		if v.GPC() {
			got = append(got, "gpc")
		}
		if c, ok := v.Choice(); ok {
			got = append(got, c.ConsentID)
		}
	})
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Cookie", choiceCookie(site.Revision(), time.Now(), true, false))
	req.Header.Set("Sec-GPC", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := []string{"necessary", "statistics", "gpc", "q7R3x_Yb-2KdF0aZ8mNwVg"}; !slices.Equal(got, want) {
		t.Errorf("visitor view %q, want %q", got, want)
	}
	if v := FromContext(context.Background()); v.Allowed("necessary") || v.GPC() || v.Revision() != "" {
		t.Error("a request without the middleware must allow nothing")
	}
}

// Cookies sent as HTTP trailers, declared or with http.TrailerPrefix, never
// reach the visitor, whatever their category; other trailers still do.
func TestWriterDropsCookieTrailers(t *testing.T) {
	tests := []struct {
		name    string
		declare string // the Trailer header, before the body
		set     func(h http.Header)
		want    http.Header // trailers the client receives
	}{
		{"declared Set-Cookie", "Set-Cookie", func(h http.Header) {
			h.Add("Set-Cookie", "tracker=t")
			h.Add("Set-Cookie", "sessionid=late")
		}, http.Header{}},
		{"declared in lower case, with another trailer", "x-sum, set-cookie", func(h http.Header) {
			h.Set("X-Sum", "42")
			h.Add("Set-Cookie", "tracker=t")
		}, http.Header{"X-Sum": {"42"}}},
		{"declared Set-Cookie2", "Set-Cookie2,X-Sum", func(h http.Header) {
			h.Set("Set-Cookie2", "tracker=t")
			h.Set("X-Sum", "1")
		}, http.Header{"X-Sum": {"1"}}},
		{"TrailerPrefix", "", func(h http.Header) {
			h.Set(http.TrailerPrefix+"Set-Cookie", "tracker=t")
			h.Set(http.TrailerPrefix+"X-Sum", "7")
		}, http.Header{"X-Sum": {"7"}}},
		{"TrailerPrefix, odd case and Set-Cookie2", "", func(h http.Header) {
			h[http.TrailerPrefix+"set-cookie"] = []string{"tracker=t"}
			h[http.TrailerPrefix+"SET-COOKIE2"] = []string{"YSC=y"}
		}, http.Header{}},
		{"declared and prefixed at once", "Set-Cookie", func(h http.Header) {
			h.Add("Set-Cookie", "sessionid=s2")
			h.Set(http.TrailerPrefix+"Set-Cookie", "sessionid=s3")
		}, http.Header{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, Options{}, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Set-Cookie", "sessionid=s")
				if tt.declare != "" {
					w.Header().Set("Trailer", tt.declare)
				}
				io.WriteString(w, "body")
				http.NewResponseController(w).Flush()
				tt.set(w.Header())
			})
			resp, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) != "body" || !slices.Equal(resp.Header.Values("Set-Cookie"), []string{"sessionid=s"}) {
				t.Errorf("body %q, Set-Cookie %q; want body, [sessionid=s]", body, resp.Header.Values("Set-Cookie"))
			}
			got := resp.Trailer
			if got == nil {
				got = http.Header{}
			}
			for k := range got {
				if len(got[k]) == 0 {
					delete(got, k) // declared but not sent
				}
			}
			if !equalHeaders(got, tt.want) {
				t.Errorf("trailers %q, want %q", got, tt.want)
			}
		})
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}
