package proxy

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

const (
	testURL = "https://charte.example/sites/demo/banner.js"
	testTag = `<script src="` + testURL + `" defer></script>`
)

func inject(t testing.TB, doc string, chunk int) string {
	t.Helper()
	var src io.Reader = strings.NewReader(doc)
	if chunk > 0 {
		src = &chunked{data: []byte(doc), n: chunk}
	}
	out, err := io.ReadAll(newInjector(io.NopCloser(src), testTag, testURL))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// chunked returns n bytes per Read, to split tags across reads.
type chunked struct {
	data []byte
	n    int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.n)], c.data)
	c.data = c.data[n:]
	return n, nil
}

func TestInject(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"before </head>", "<!doctype html><html><head><title>t</title></head><body>x</body></html>",
			"<!doctype html><html><head><title>t</title>" + testTag + "</head><body>x</body></html>"},
		{"odd casing", "<HTML><HEAD></HeAd ><BODY>", "<HTML><HEAD>" + testTag + "</HeAd ><BODY>"},
		{"only the first </head>", "<head></head><p>&lt;/head&gt;</head>", "<head>" + testTag + "</head><p>&lt;/head&gt;</head>"},
		{"no </head>: before <body", "<!doctype html><title>t</title><body class=x>hi", "<!doctype html><title>t</title>" + testTag + "<body class=x>hi"},
		{"<bodyx is not <body", "<bodyx></bodyx><body>", "<bodyx></bodyx>" + testTag + "<body>"},
		{"</header> is not </head>", "<header></header></head>", "<header></header>" + testTag + "</head>"},
		{"neither: at the end", "<p>fragment</p>", "<p>fragment</p>" + testTag},
		{"pattern cut by the end", "<p>x</p></hea", "<p>x</p></hea" + testTag},
		{"empty body stays empty", "", ""},
		{"already integrated", `<head><script src="` + testURL + `" defer></script></head>`, `<head><script src="` + testURL + `" defer></script></head>`},
		{"banner URL after the head does not count", "<head></head><a href=" + testURL + ">", "<head>" + testTag + "</head><a href=" + testURL + ">"},
		{"non-ASCII around", "<head>é</head>ü", "<head>é" + testTag + "</head>ü"},
	}
	for _, tt := range tests {
		for _, chunk := range []int{0, 1, 2, 3, 5, 7} {
			if got := inject(t, tt.in, chunk); got != tt.want {
				t.Errorf("%s (chunks of %d):\n got %q\nwant %q", tt.name, chunk, got, tt.want)
			}
		}
	}
}

// The body streams: the first bytes come out before the source ends.
func TestInjectStreams(t *testing.T) {
	pr, pw := io.Pipe()
	in := newInjector(pr, testTag, testURL)
	go pw.Write([]byte("<html><head><title>" + strings.Repeat("x", 100)))
	p := make([]byte, 1024)
	n, err := in.Read(p)
	if err != nil || n == 0 || !strings.HasPrefix(string(p[:n]), "<html><head>") {
		t.Fatalf("first read %q, %v", p[:n], err)
	}
	go func() { pw.Write([]byte("</head><body>")); pw.Close() }()
	rest, _ := io.ReadAll(in)
	if got := string(p[:n]) + string(rest); strings.Count(got, testTag) != 1 {
		t.Errorf("got %q", got)
	}
}

func TestInjectErrors(t *testing.T) {
	in := newInjector(io.NopCloser(iotest.TimeoutReader(strings.NewReader("<p>x"))), testTag, testURL)
	got, err := io.ReadAll(in)
	if err != iotest.ErrTimeout || strings.Contains(string(got), testTag) {
		t.Errorf("a failing body: got %q, %v; want the error and no tag", got, err)
	}
}

func FuzzInject(f *testing.F) {
	for _, s := range []string{"<html><head></head><body>", "<HEAD></HEAD", "<body>", "</he", "x", "<bo</head>", testTag + "</head>"} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, doc string, chunk uint8) {
		whole := inject(t, doc, 0)
		if split := inject(t, doc, int(chunk%16)+1); split != whole {
			t.Fatalf("chunking changes the output:\n%q\n%q", whole, split)
		}
		// The output is the input, or the input with the tag inserted once,
		// before any "</head>".
		if whole == doc {
			if doc != "" && !strings.Contains(doc, testURL) {
				t.Fatalf("no tag in %q", whole)
			}
			return
		}
		for k := 0; k <= len(doc); k++ {
			if whole == doc[:k]+testTag+doc[k:] {
				if strings.Contains(strings.ToLower(doc[:k]), "</head>") {
					t.Fatalf("tag placed after a </head>: %q", whole)
				}
				return
			}
		}
		t.Fatalf("%q is not %q with one tag inserted", whole, doc)
	})
}
