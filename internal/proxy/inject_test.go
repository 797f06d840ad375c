package proxy

import (
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/net/html"
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
	out, err := io.ReadAll(newInjector(io.NopCloser(src), testTag, testURL, nil))
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

// Each case marks with § where the tag must go; a case without § must come
// out unchanged.
var injectCases = []struct{ name, doc string }{
	{"before </head>", "<!doctype html><html><head><title>t</title>§</head><body>x</body></html>"},
	{"odd casing", "<HTML><HEAD>§</HeAd ><BODY>"},
	{"</head> and <body> in a script's string", `<head><script>var s = "</head><body>";</script>§</head><body>`},
	{"upper-case script", `<HEAD><SCRIPT>"</HEAD>"</SCRIPT>§</HEAD>`},
	{"self-closing script is still open", `<head><script/>"</head>"</script>§</head>`},
	{"escaped script data", `<head><script><!--document.write("<script></head></script>");--></script>§</head>`},
	{"in a comment", "<head><!-- </head> <body> -->§</head>"},
	{"comment closed by --!>", "<head><!-- </head> --!>§</head>"},
	{"abrupt empty comment", "<head><!-->§</head>"},
	{"in a style sheet", "<head><style>/* </head> <body> */</style>§</head>"},
	{"in the title", "<head><title></head><body></title>§</head>"},
	{"in noscript", "<head><noscript><body></noscript>§</head>"},
	{"in noframes", "<head><noframes></head></noframes>§</head>"},
	{"in a template", "<head><template></head><body></template>§</head>"},
	{"in nested templates", "<head><template><template></template></head><body></template>§</head>"},
	{"banner in a template does not count", `<head><template><script src="` + testURL + `"></script></template>§</head>`},
	{"in an attribute", `<head><meta content="</head><body>">§</head>`},
	{"'>' in a quoted attribute", `<head><link title="a>b</head>">§</head>`},
	{"CDATA is a bogus comment in HTML", "<head><![CDATA[</head>§]]></head>"},
	{"processing instruction", `<?xml version="1.0"?><html><head>§</head>`},
	{"textarea starts the body", "<head><meta charset=utf-8>§<textarea></head></textarea>"},
	{"xmp starts the body", "<html>§<xmp></head></xmp>"},
	{"iframe starts the body", "<head>§<iframe></head></iframe>"},
	{"plaintext starts the body", "<head>§<plaintext></head>"},
	{"svg starts the body", "<head>§<svg><![CDATA[</head>]]></svg>"},
	{"no </head>: before <body", "<!doctype html><title>t</title>§<body class=x>hi"},
	{"frameset", "<html><head>§<frameset><frame src=a></frameset>"},
	{"</body> in the head", "<head>§</body>"},
	{"<bodyx> starts the body", "<head>§<bodyx></bodyx><body>"},
	{"<header> starts the body", "<head>§<header></header></head>"},
	{"no head, no body: before the first content", "<!doctype html>§<p>fragment</p>"},
	{"text starts the body, after the white space", "<!doctype html><title>t</title>\n  §Hello"},
	{"head only: at the end", "<!doctype html><title>t</title>\n§"},
	{"byte order mark", "\ufeff<!doctype html><head>§</head>"},
	{"byte order mark then text", "\ufeff§hello"},
	{"unclosed comment at the end", "<head>§<!-- </head>"},
	{"unclosed comment ending in ->", "<head>§<!-- </head> ->"},
	{"unclosed script at the end", `<head>§<script>var a = "</head>`},
	{"unclosed title at the end", "<head>§<title></head>"},
	{"tag cut by the end", "<head><title>t</title>§<meta content=\"</head>"},
	{"only the first </head>", "<head>§</head><p>&lt;/head&gt;</head>"},
	{"non-ASCII around", "<head><title>é</title>§</head>ü"},
	{"empty body stays empty", ""},
	{"white space only", "\n§"},
	{"already integrated", `<head><script src="` + testURL + `" defer></script></head>`},
	{"banner URL in a comment does not count", `<head><!-- <script src="` + testURL + `"></script> -->§</head>`},
	{"banner URL after the head does not count", "<head>§</head><a href=" + testURL + ">"},
	{"UTF-16 is left alone", "\xff\xfe<\x00h\x00e\x00a\x00d\x00>\x00"},
}

func TestInject(t *testing.T) {
	for _, tt := range injectCases {
		in := strings.Replace(tt.doc, "§", "", 1)
		want := strings.Replace(tt.doc, "§", testTag, 1)
		for _, chunk := range []int{0, 1, 2, 3, 5, 7, 64} {
			if got := inject(t, in, chunk); got != want {
				t.Errorf("%s (chunks of %d):\n got %q\nwant %q", tt.name, chunk, got, want)
			}
		}
		checkInjected(t, in, inject(t, in, 0))
	}
}

// checkInjected asserts the fuzz invariants on one page: the output is the
// input with the tag inserted once (or, for a page that loads the banner
// already, or is UTF-16, or empty, unchanged), and an HTML parser sees the
// tag as a script element in the head, never as text, a comment or inert
// template content.
func checkInjected(t *testing.T, in, out string) {
	t.Helper()
	if out == in {
		if in != "" && !strings.Contains(in, testURL) && !strings.HasPrefix(in, "\xff\xfe") && !strings.HasPrefix(in, "\xfe\xff") {
			t.Fatalf("no tag in %q", out)
		}
		return
	}
	k := 0
	for k < len(in) && in[k] == out[k] {
		k++
	}
	if out != in[:k]+testTag+in[k:] {
		// The first difference may fall inside the tag when the input
		// continues with bytes the tag starts with: try each position.
		k = strings.Index(out, testTag)
		for k >= 0 && out[:k]+out[k+len(testTag):] != in {
			n := strings.Index(out[k+1:], testTag)
			if n < 0 {
				k = -1
				break
			}
			k += 1 + n
		}
		if k < 0 {
			t.Fatalf("%q is not %q with one tag inserted", out, in)
		}
	}
	// Browsers drop a UTF-8 byte order mark while decoding, before parsing;
	// html.Parse does not.
	doc, err := html.Parse(strings.NewReader(strings.TrimPrefix(out, "\ufeff")))
	if err != nil {
		t.Fatal(err)
	}
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "script" && n.Parent != nil && n.Parent.Data == "head" {
			for _, a := range n.Attr {
				if a.Key == "src" && a.Val == testURL {
					return
				}
			}
		}
	}
	t.Fatalf("the parser sees no banner script in the head of %q", out)
}

// The body streams: the first bytes come out before the source ends.
func TestInjectStreams(t *testing.T) {
	pr, pw := io.Pipe()
	in := newInjector(pr, testTag, testURL, nil)
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
	in := newInjector(io.NopCloser(iotest.TimeoutReader(strings.NewReader("<head><title>x"))), testTag, testURL, nil)
	got, err := io.ReadAll(in)
	if err != iotest.ErrTimeout || strings.Contains(string(got), testTag) {
		t.Errorf("a failing body: got %q, %v; want the error and no tag", got, err)
	}
}

func FuzzInject(f *testing.F) {
	for _, tt := range injectCases {
		f.Add(strings.Replace(tt.doc, "§", "", 1), uint8(3))
	}
	f.Fuzz(func(t *testing.T, doc string, chunk uint8) {
		whole := inject(t, doc, 0)
		if split := inject(t, doc, int(chunk%16)+1); split != whole {
			t.Fatalf("chunking changes the output:\n%q\n%q", whole, split)
		}
		checkInjected(t, doc, whole)
	})
}

// An unfinished comment, raw-text element or template is held back at most
// holdLimit bytes; past that the tag goes before it, still in the head,
// and the rest streams. A long head of small tags is not held back at all.
func TestInjectHoldBack(t *testing.T) {
	big := strings.Repeat("x", holdLimit+100)
	tests := []struct{ name, doc string }{
		{"long inline script", "<!doctype html><head>§<script>var a='" + big + "</head>';</script></head><body>"},
		{"long comment", "<head><title>t</title>§<!-- " + big + " </head> --></head>"},
		{"long style sheet", "<head>§<style>" + big + "</style></head>"},
		{"long template", "<head>§<template>" + strings.Repeat("<p>a</p>", holdLimit/8+10) + "</template></head>"},
		{"long head of small tags", "<head>" + strings.Repeat(`<meta name="a" content="b">`, 10000) + "§</head><body>"},
	}
	for _, tt := range tests {
		in := strings.Replace(tt.doc, "§", "", 1)
		want := strings.Replace(tt.doc, "§", testTag, 1)
		for _, chunk := range []int{0, 1000, 4096} {
			src := &counting{r: &chunked{data: []byte(in), n: max(chunk, len(in))}}
			if chunk > 0 {
				src.r = &chunked{data: []byte(in), n: chunk}
			}
			inj := newInjector(io.NopCloser(src), testTag, testURL, nil)
			var got strings.Builder
			p := make([]byte, 512)
			readAtTag := -1
			for {
				n, err := inj.Read(p)
				got.Write(p[:n])
				if readAtTag < 0 && strings.Contains(got.String(), testTag) {
					readAtTag = src.n
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if got.String() != want {
				t.Errorf("%s (chunks of %d): tag at %d, want %d", tt.name, chunk, strings.Index(got.String(), testTag), strings.Index(want, testTag))
			}
			// The page streams: the tag came out before the page was read
			// to its end, with at most the hold-back and one read ahead.
			if chunk > 0 && readAtTag > strings.Index(want, testTag)+holdLimit+2*chunk+8192 {
				t.Errorf("%s (chunks of %d): %d bytes read before the tag came out", tt.name, chunk, readAtTag)
			}
		}
	}
}

type counting struct {
	r io.Reader
	n int
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// A page whose upstream pauses in the head: what the tokenizer has passed
// goes out before the rest arrives.
func TestInjectStreamsHead(t *testing.T) {
	pr, pw := io.Pipe()
	in := newInjector(pr, testTag, testURL, nil)
	go pw.Write([]byte(`<!doctype html><html><head><meta charset="utf-8"><link rel=stylesheet href=a.css><script>var a = "</head>`))
	var first []byte
	for !strings.Contains(string(first), "a.css>") {
		p := make([]byte, 1024)
		n, err := in.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		first = append(first, p[:n]...)
	}
	if strings.Contains(string(first), "<script>") {
		t.Fatalf("an unfinished script was released: %q", first)
	}
	go func() { pw.Write([]byte(`";</script></head><body>hi</body>`)); pw.Close() }()
	rest, _ := io.ReadAll(in)
	want := `<!doctype html><html><head><meta charset="utf-8"><link rel=stylesheet href=a.css><script>var a = "</head>";</script>` + testTag + `</head><body>hi</body>`
	if got := string(first) + string(rest); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestInjectNamesPageLanguage: the tag names the page's <html lang> when it
// is one of the site's languages, matched as banner.js?lang= is, and is the
// plain tag otherwise; nothing of the page's value but a site language
// reaches it.
func TestInjectNamesPageLanguage(t *testing.T) {
	langs := []string{"fr", "en", "de", "es", "oc", "ar"}
	plain := testTag
	named := func(l string) string { return `<script src="` + testURL + `?lang=` + l + `" defer></script>` }
	tests := []struct {
		name, doc string
		url       string // the banner URL, testURL when empty
		langs     []string
		want      string // the tag expected
	}{
		{"French page", `<!doctype html><html lang="fr"><head>§</head>`, "", langs, named("fr")},
		{"upper case", `<HTML LANG="FR"><HEAD>§</HEAD>`, "", langs, named("fr")},
		{"region subtag", `<html lang="de-AT"><head>§</head>`, "", langs, named("de")},
		{"region subtag, underscore", `<html lang="es_MX"><head>§</head>`, "", langs, named("es")},
		{"single quotes", `<html lang='en-GB'><head>§</head>`, "", langs, named("en")},
		{"no quotes", `<html lang=ar dir=rtl><head>§</head>`, "", langs, named("ar")},
		{"character reference", `<html lang="&#111;c"><head>§</head>`, "", langs, named("oc")},
		{"spaces around", `<html lang="  fr  "><head>§</head>`, "", langs, named("fr")},
		{"no lang", `<html><head>§</head>`, "", langs, plain},
		{"empty lang", `<html lang=""><head>§</head>`, "", langs, plain},
		{"lang on a later tag", `<html><head>§</head><body lang="de">`, "", langs, plain},
		{"lang on the head", `<html><head lang="de"><title>t</title>§</head>`, "", langs, plain},
		{"a second html tag adds a missing lang", `<html><head><html lang="de">§</head>`, "", langs, named("de")},
		{"the first html tag's lang wins", `<html lang="pl"><head><html lang="de">§</head>`, "", langs, plain},
		{"a language the site lacks", `<html lang="pl"><head>§</head>`, "", langs, plain},
		{"a neighbour is not the language", `<html lang="ca"><head>§</head>`, "", langs, plain},
		{"a site with one language", `<html lang="fr"><head>§</head>`, "", []string{"fr"}, plain},
		{"hostile: markup", `<html lang='fr"><script>alert(1)</script>'><head>§</head>`, "", langs, plain},
		{"hostile: attribute injection", `<html lang="fr&quot; onload=&quot;alert(1)"><head>§</head>`, "", langs, plain},
		{"hostile: query injection", `<html lang="fr&amp;site=other"><head>§</head>`, "", langs, plain},
		{"hostile: very long", `<html lang="fr-` + strings.Repeat("x", 5000) + `"><head>§</head>`, "", langs, plain},
		{"hostile: not a tag", `<html lang="../../admin"><head>§</head>`, "", langs, plain},
		{"banner URL with a query", `<html lang="fr"><head>§</head>`, testURL + "?v=2", langs, `<script src="` + testURL + `?v=2&amp;lang=fr" defer></script>`},
		{"banner URL naming its language", `<html lang="fr"><head>§</head>`, testURL + "?lang=en", langs, `<script src="` + testURL + `?lang=en" defer></script>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.url
			if u == "" {
				u = testURL
			}
			for _, chunk := range []int{0, 1, 7} {
				var src io.Reader = strings.NewReader(strings.Replace(tt.doc, "§", "", 1))
				if chunk > 0 {
					src = &chunked{data: []byte(strings.Replace(tt.doc, "§", "", 1)), n: chunk}
				}
				out, err := io.ReadAll(newInjector(io.NopCloser(src), string(bannerTag(u, "")), u, tt.langs))
				if err != nil {
					t.Fatal(err)
				}
				if want := strings.Replace(tt.doc, "§", tt.want, 1); string(out) != want {
					t.Fatalf("chunks of %d:\n got %s\nwant %s", chunk, out, want)
				}
			}
		})
	}
}

// FuzzPageLang: whatever a page's lang holds, the tag gets one of the
// site's languages or none.
func FuzzPageLang(f *testing.F) {
	for _, s := range []string{"fr", "de-AT", "es_MX", "FR", "", "x-klingon", "fr\" onload=\"x", "zh-Hant-TW", "no", "i-default"} {
		f.Add(s)
	}
	langs := []string{"fr", "en", "de", "nb", "zh", "ar"}
	f.Fuzz(func(t *testing.T, v string) {
		if l := pageLang(v, langs); l != "" && !slices.Contains(langs, l) {
			t.Fatalf("pageLang(%q) = %q, not a site language", v, l)
		}
	})
}

// pageLang keeps the last matcher it made; a site whose languages change
// gets answers for its new ones, never the old ones'.
func TestPageLangFollowsLanguages(t *testing.T) {
	tests := []struct {
		langs       []string
		value, want string
	}{
		{[]string{"fr", "en"}, "fr-BE", "fr"},
		{[]string{"fr", "en"}, "de", ""},
		{[]string{"de", "en"}, "de-AT", "de"},
		{[]string{"de", "en"}, "fr", ""},
		{[]string{"fr", "en"}, "fr", "fr"},
		{[]string{"fr", "en", "nb"}, "no", "nb"},
		{[]string{"fr"}, "fr", ""}, // one language: the plain tag gives it
	}
	for _, tt := range tests {
		if got := pageLang(tt.value, tt.langs); got != tt.want {
			t.Errorf("pageLang(%q, %q) = %q, want %q", tt.value, tt.langs, got, tt.want)
		}
	}
}

// TestInjectAllocs bounds the allocations of injecting the banner into
// issue 13's page, whose <html lang="fr"> names one of the site's
// languages: the language matcher is made once, not per page, where it
// cost some 250 more (323 in all, BENCHMARKS.md), and the head is read
// where it lies, not through the tokenizer, which cost 50 more (67). A
// count, not a time.
func TestInjectAllocs(t *testing.T) {
	langs := []string{"fr", "en", "de"}
	p := make([]byte, 32<<10)
	var got []byte
	allocs := testing.AllocsPerRun(50, func() {
		in := newInjector(io.NopCloser(strings.NewReader(blockBenchPage)), testTag, testURL, langs)
		got = got[:0]
		for {
			n, err := in.Read(p)
			got = append(got, p[:n]...)
			if err != nil {
				break
			}
		}
		in.Close()
	})
	if tag := `<script src="` + testURL + `?lang=fr" defer></script></head>`; !strings.Contains(string(got), tag) {
		t.Fatalf("the page lacks %q", tag)
	}
	if allocs > 25 {
		t.Errorf("%.0f allocations per page, want at most 25", allocs)
	}
	t.Logf("%.0f allocations per page", allocs)
}

// FuzzInjectFast: the injector puts the tag where refInjector, which runs
// golang.org/x/net/html's tokenizer, puts it, byte for byte, however the
// page is cut into reads, with or without the site's languages.
func FuzzInjectFast(f *testing.F) {
	for _, tt := range injectCases {
		f.Add(strings.Replace(tt.doc, "§", "", 1), uint8(3), true)
	}
	for _, s := range []string{"<", "</", "<!", "<!>", "<!-", "<?", "</ ", "</>", "<x", "<!--", "<!-->", "<!--->", "a<", " </", "<head>\t<", "<head><!>",
		"<template></template>", "<head><template></template>", "<head><template></template><div>", "<script/>x", "<plaintext>", "<template><plaintext></template>",
		"\xef\xbb", "\xff", "\xef\xbb\xbf ", "<html lang=&#102;r><head>", "<html lang='fr\r'><head>", "<html LANG=de lang=fr>", "<html lang><html lang=fr>",
		"<script src=\"" + testURL + "\" src=x>", "<script src=x src=\"" + testURL + "\">", "<SCRIPT SRC=\"" + strings.Replace(testURL, "/", "&#47;", -1) + "\">",
		"<head><title>t</title \n>", "<head><style>a</STYLE\f>x", "<head></template>x", "<ſcript>",
		"<!--!>", "<!---!>", "<head><!--!>", "<!---->", "<!----!>", "<!--->"} {
		f.Add(s, uint8(1), true)
	}
	langs := []string{"fr", "en", "de"}
	f.Fuzz(func(t *testing.T, doc string, chunk uint8, withLangs bool) {
		var l []string
		if withLangs {
			l = langs
		}
		for _, n := range []int{0, int(chunk%16) + 1} {
			src := func() io.ReadCloser {
				if n == 0 {
					return io.NopCloser(strings.NewReader(doc))
				}
				return io.NopCloser(&chunked{data: []byte(doc), n: n})
			}
			got, err := io.ReadAll(newInjector(src(), testTag, testURL, l))
			if err != nil {
				t.Fatal(err)
			}
			want, err := io.ReadAll(newRefInjector(src(), testTag, testURL, l))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Fatalf("page %q (reads of %d):\n fast %q\n  ref %q", doc, n, got, want)
			}
		}
	})
}

// TestInjectLimitsMatchRef: at holdLimit, where the tokenizer gives up on a
// token (its SetMaxBuf), the injector puts the tag where refInjector does,
// for each kind of token, a byte either side of the limit.
func TestInjectLimitsMatchRef(t *testing.T) {
	kinds := []struct {
		name string
		page func(n int) string
	}{
		{"comment", func(n int) string { return "<head><!--" + strings.Repeat("x", n) + "--></head>" }},
		{"script", func(n int) string { return "<head><script>" + strings.Repeat("x", n) + "</script></head>" }},
		{"style", func(n int) string { return "<head><style>" + strings.Repeat("x", n) + "</style><body>" }},
		{"title", func(n int) string { return "<title>" + strings.Repeat("x", n) + "</title><body>" }},
		{"white space, then text", func(n int) string { return "<head>" + strings.Repeat(" ", n) + "x" }},
		{"white space, then a tag", func(n int) string { return "<head>" + strings.Repeat(" ", n) + "<meta>" }},
		{"text to the end", func(n int) string { return "<head>  " + strings.Repeat("x", n) }},
		{"text, then a tag", func(n int) string { return "<head>\n" + strings.Repeat("x", n) + "<p>" }},
		{"attribute", func(n int) string { return "<head><meta content=\"" + strings.Repeat("x", n) + "\"></head>" }},
		{"template", func(n int) string { return "<head><template>" + strings.Repeat("<p>", n/3) + "</template></head>" }},
		{"after a template", func(n int) string { return "<head><template></template>" + strings.Repeat("\n", n) + "</head>" }},
	}
	for _, k := range kinds {
		for n := holdLimit - 12; n <= holdLimit+2; n++ {
			doc := k.page(n)
			for _, chunk := range []int{0, 4096} {
				src := func() io.ReadCloser {
					if chunk == 0 {
						return io.NopCloser(strings.NewReader(doc))
					}
					return io.NopCloser(&chunked{data: []byte(doc), n: chunk})
				}
				got, _ := io.ReadAll(newInjector(src(), testTag, testURL, nil))
				want, _ := io.ReadAll(newRefInjector(src(), testTag, testURL, nil))
				if string(got) != string(want) {
					t.Errorf("%s, holdLimit%+d bytes (reads of %d): tag at %d, want %d", k.name, n-holdLimit, chunk, strings.Index(string(got), testTag), strings.Index(string(want), testTag))
				}
			}
		}
	}
}
