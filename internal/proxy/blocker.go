package proxy

import (
	"bytes"
	"errors"
	"io"

	"golang.org/x/net/html"
)

// blocker streams an HTML body and gives every byte back unchanged, except
// the start tags its gate rewrites: a third-party script, frame, image or
// hint the visitor has not consented to (see gate.go).
//
// Where the tags are is decided as golang.org/x/net/html's tokenizer (the
// WHATWG tokenizer browsers implement) decides it, in two gears. Text and
// ordinary start and end tags, most of a page, are skipped by scan, a
// port of the tokenizer's own rules for them (tag names, attributes and
// their quotes): the tokenizer copies every attribute name, which costs as
// much as proxying the page. Everything else — comments, doctypes, the
// script, iframe, img and link tags the gate looks at, and raw-text elements
// (script, style, title, textarea…) with their text — is read by the
// tokenizer itself, one unit at a time, from the same point: between tokens
// the tokenizer is always in its data state, so a fresh one reads a unit
// exactly as a tokenizer over the whole page would. FuzzBlockFast checks
// the two agree with refBlocker, which tokenizes every byte.
//
// An inline script's start tag is held until its text has been read, since
// the text decides it; nothing else is held. What is ready goes out before
// each read from the upstream, so a page the upstream streams keeps
// streaming.
type blocker struct {
	src    io.ReadCloser
	srcErr error  // src's error (io.EOF at the end)
	in     []byte // bytes read from src and not yet handled, from i on
	i      int
	gate   *gate

	out     []byte // bytes ready for the reader, from pos on
	pos     int
	held    []byte // an inline script's start tag, waiting for its text
	holding bool
	err     error // returned once out is drained
	done    bool  // the rest of src passes through untouched
}

// maxToken bounds the bytes the tokenizer buffers for one token (a huge
// inline script): past it, the rest of the page passes through unchanged.
const maxToken = 1 << 20

func newBlocker(src io.ReadCloser, g *gate) *blocker {
	return &blocker{src: src, gate: g, in: (*bufPool.Get().(*[]byte))[:0], out: (*bufPool.Get().(*[]byte))[:0]}
}

// Close closes the body and recycles the buffers; ReverseProxy reads
// nothing after closing.
func (b *blocker) Close() error {
	if b.in != nil {
		for _, buf := range [][]byte{b.in[:0], b.out[:0]} {
			bufPool.Put(&buf)
		}
		b.in, b.out = nil, nil
	}
	return b.src.Close()
}

func (b *blocker) Read(p []byte) (int, error) {
	for {
		if b.pos < len(b.out) {
			n := copy(p, b.out[b.pos:])
			b.pos += n
			return n, nil
		}
		b.out, b.pos = b.out[:0], 0
		if b.done {
			if b.i < len(b.in) {
				n := copy(p, b.in[b.i:])
				b.i += n
				return n, nil
			}
			if b.srcErr != nil {
				return 0, b.srcErr
			}
			return b.src.Read(p)
		}
		if b.err != nil {
			return 0, b.err
		}
		b.step()
	}
}

// step handles what was read, then reads more, until some bytes are ready.
func (b *blocker) step() {
	for len(b.out) < coalesce && !b.done && b.err == nil {
		switch at, bail := b.scan(); {
		case bail && len(b.out) > 0 && !b.unitBuffered(at):
			return // release before the unit's read from the upstream
		case bail:
			b.unit(at)
		case len(b.out) > 0:
			return // release before a read that may block
		case b.srcErr != nil:
			// The page ends: what is left is an unfinished construct,
			// which the tokenizer would not make a tag of either.
			b.flushHeld()
			b.out = append(b.out, b.in[b.i:]...)
			b.i = len(b.in)
			b.done = true
		default:
			b.fill()
		}
	}
}

// fill reads more of src after the bytes not yet handled.
func (b *blocker) fill() {
	if b.i > 0 {
		b.in = b.in[:copy(b.in, b.in[b.i:])]
		b.i = 0
	}
	if len(b.in) > maxToken {
		b.gate.log.Warn("a tag of the page is too long to read; the rest is sent unblocked", "limit", maxToken)
		b.done = true
		return
	}
	if cap(b.in)-len(b.in) < readSize/2 {
		b.in = append(b.in, make([]byte, readSize)...)[:len(b.in)]
	}
	n, err := b.src.Read(b.in[len(b.in):cap(b.in)])
	b.in = b.in[:len(b.in)+n]
	b.srcErr = err
}

// scan copies text and ordinary tags from in to out, as far as it can. It
// stops at the end of what was read (bail false) or at the '<' of a
// construct the tokenizer must read (bail true, at its offset in in).
func (b *blocker) scan() (int, bool) {
	in := b.in
	i := b.i
	defer func() { b.i = i }()
	start := i // the text and tags from start to i are copied in one go
	flush := func() { b.out = append(b.out, in[start:i]...); start = i }
	defer flush()
	for {
		k := bytes.IndexByte(in[i:], '<')
		if k < 0 {
			i = len(in)
			return 0, false
		}
		i += k
		if i+1 >= len(in) {
			return 0, false
		}
		switch c := in[i+1]; {
		case isLetter(c):
			name := i + 1
			for name < len(in) && !isTagNameEnd(in[name]) {
				name++
			}
			if name == len(in) {
				return 0, false
			}
			n := in[i+1 : name]
			if lowerName(n) != "" || asciiEqualFold(n, []byte("plaintext")) {
				flush()
				return i, true
			}
			e := tagEnd(in, i+1)
			if e < 0 {
				return 0, false
			}
			if isRawTextFold(n) {
				// style, title, textarea, noscript…: their text runs to
				// the first end tag of their name (readRawOrRCDATA); only
				// script's has the escapes the tokenizer must read.
				if e = rawTextEnd(in, e, n); e < 0 {
					return 0, false
				}
			}
			i = e
		case c == '/':
			if i+2 >= len(in) {
				return 0, false
			}
			switch c2 := in[i+2]; {
			case c2 == '>':
				i += 3 // "</>": no token, passed through
			case isLetter(c2):
				e := tagEnd(in, i+2)
				if e < 0 {
					return 0, false
				}
				i = e
			default: // a bogus comment, to the next '>'
				e := bytes.IndexByte(in[i+2:], '>')
				if e < 0 {
					return 0, false
				}
				i += 2 + e + 1
			}
		case c == '?':
			e := bytes.IndexByte(in[i+1:], '>')
			if e < 0 {
				return 0, false
			}
			i += 1 + e + 1
		case c == '!':
			if i+3 >= len(in) {
				return 0, false
			}
			if in[i+2] == '-' && in[i+3] == '-' {
				flush()
				return i, true // a comment, for the tokenizer
			}
			// A doctype or a bogus comment, to the next '>'
			// (readMarkupDeclaration, readDoctype, readUntilCloseAngle).
			e := bytes.IndexByte(in[i+2:], '>')
			if e < 0 {
				return 0, false
			}
			i += 2 + e + 1
		default:
			i++ // a '<' that starts nothing is text
		}
	}
}

// unit has a fresh tokenizer read one token from offset at of in, and the
// text of a raw-text element when that token opens one, then gives back
// to in what the tokenizer read beyond.
func (b *blocker) unit(at int) {
	b.i = at
	f := &feeder{b: b, k: at}
	z := html.NewTokenizer(f)
	z.SetMaxBuf(maxToken)
	for n := 0; n < 2; n++ {
		tt := z.Next()
		raw := z.Raw()
		if tt == html.ErrorToken {
			b.flushHeld()
			b.out = append(b.out, raw...)
			b.out = append(b.out, z.Buffered()...)
			b.in, b.i = b.in[:copy(b.in, b.in[f.k:])], 0
			if errors.Is(z.Err(), html.ErrBufferExceeded) {
				b.gate.log.Warn("a token of the page is too long to read; the rest is sent unblocked", "limit", maxToken)
				b.done = true
			} else if f.err != nil && f.err != io.EOF {
				b.err = f.err
			} else if f.err == io.EOF {
				b.done = true
			}
			return
		}
		b.token(z, tt, raw)
		if n > 0 || (tt != html.StartTagToken && tt != html.SelfClosingTagToken) || !isRawTextFold(rawTagName(raw)) {
			break
		}
	}
	// What the tokenizer read and did not use comes before what it did not
	// read.
	back, tail := z.Buffered(), len(b.in)-f.k
	if n := len(back) + tail; n > cap(b.in) {
		b.in = append(b.in[:cap(b.in)], make([]byte, n-cap(b.in))...)
	}
	b.in = b.in[:len(back)+tail]
	copy(b.in[len(back):], b.in[f.k:f.k+tail])
	copy(b.in, back)
	b.i = 0
}

// unitBuffered guesses whether in holds the whole unit at offset at, so
// that the tokenizer will not wait for the upstream: the end tag of a
// raw-text element, else a '>'. A wrong guess ('>' inside a comment) only
// delays the bytes before the unit until the upstream sends more; it never
// changes the output.
func (b *blocker) unitBuffered(at int) bool {
	rest := b.in[at:]
	name := 1
	for name < len(rest) && isLetter(rest[1]) && !isTagNameEnd(rest[name]) {
		name++
	}
	if n := rest[1:name]; len(n) > 0 && isRawTextFold(n) {
		for i := name; ; {
			j := bytes.Index(rest[i:], []byte("</"))
			if j < 0 {
				return false
			}
			i += j + 2
			if len(rest)-i > len(n) && asciiEqualFold(rest[i:i+len(n)], n) {
				return true
			}
		}
	}
	return bytes.IndexByte(rest, '>') >= 0
}

// feeder is what a unit's tokenizer reads: the bytes of in from its
// offset, then src.
//
// It hands out 256 bytes, then twice as many at each read: a unit is
// usually one short tag, and what the tokenizer reads beyond it is copied
// back into in, so reading little first saves copying the rest of the page
// for every unit.
type feeder struct {
	b     *blocker
	k     int
	err   error
	limit int
}

func (f *feeder) Read(p []byte) (int, error) {
	b := f.b
	f.limit = max(2*f.limit, 256)
	if len(p) > f.limit {
		p = p[:f.limit]
	}
	if f.k < len(b.in) {
		n := copy(p, b.in[f.k:])
		f.k += n
		return n, nil
	}
	if b.srcErr != nil {
		f.err = b.srcErr
		return 0, b.srcErr
	}
	n, err := b.src.Read(p)
	b.srcErr = err
	if err != nil && n == 0 {
		f.err = err
	}
	return n, err
}

// token appends one token's bytes, rewritten when the gate says so.
func (b *blocker) token(z *html.Tokenizer, tt html.TokenType, raw []byte) {
	if b.holding {
		// The token after an inline script's start tag: its text, or its
		// end tag when it is empty.
		if tt == html.TextToken {
			if gated := b.gate.inline(b.held, raw); gated != nil {
				b.out = append(b.out, gated...)
				b.holding = false
			}
		}
		b.flushHeld()
		b.out = append(b.out, raw...)
		return
	}
	if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
		if name := lowerName(rawTagName(raw)); name != "" {
			_, hasAttr := z.TagName()
			out, hold := b.gate.tag(z, name, hasAttr, raw, tt == html.SelfClosingTagToken)
			if hold {
				b.held, b.holding = append(b.held[:0], raw...), true
				return
			}
			if out != nil {
				b.out = append(b.out, out...)
				return
			}
		}
	}
	b.out = append(b.out, raw...)
}

func (b *blocker) flushHeld() {
	if b.holding {
		b.out = append(b.out, b.held...)
		b.holding = false
	}
}

// tagEnd returns the offset just past the '>' that ends the tag whose name
// starts at in[name], by the tokenizer's rules (readTag, readTagName,
// readTagAttrKey, readTagAttrVal in golang.org/x/net/html), or -1 when in
// ends first.
func tagEnd(in []byte, name int) int {
	p := name + 1
	for ; ; p++ { // the name
		if p >= len(in) {
			return -1
		}
		if c := in[p]; c == '/' || c == '>' {
			break
		} else if isSpace(c) {
			p++
			break
		}
	}
	ws := func() bool {
		for p < len(in) && isSpace(in[p]) {
			p++
		}
		return p < len(in)
	}
	if !ws() {
		return -1
	}
	for {
		if in[p] == '>' {
			return p + 1
		}
		// The attribute's name: an '=' first is part of it.
		for k := p; ; p++ {
			if p >= len(in) {
				return -1
			}
			c := in[p]
			if c == '=' && p == k {
				continue
			}
			if c == '=' || isSpace(c) || c == '/' || c == '>' {
				break
			}
		}
		// Its value.
		if !ws() {
			return -1
		}
		switch in[p] {
		case '/':
			p++
		case '=':
			p++
			if !ws() {
				return -1
			}
			switch q := in[p]; q {
			case '>':
			case '\'', '"':
				e := bytes.IndexByte(in[p+1:], q)
				if e < 0 {
					return -1
				}
				p += 1 + e + 1
			default:
				for ; ; p++ {
					if p >= len(in) {
						return -1
					}
					if c := in[p]; isSpace(c) {
						p++
						break
					} else if c == '>' {
						break
					}
				}
			}
		}
		if !ws() {
			return -1
		}
	}
}

// rawTextEnd returns where the text of a raw-text element (not a script)
// that starts at in[from] ends: at the first "</" followed by its name in
// any case and a space, "/" or ">" (readRawOrRCDATA, readRawEndTag), or -1
// when in ends first.
func rawTextEnd(in []byte, from int, name []byte) int {
	for i := from; ; {
		j := bytes.Index(in[i:], []byte("</"))
		if j < 0 {
			return -1
		}
		i += j + 2
		if len(in)-i <= len(name) {
			return -1
		}
		if asciiEqualFold(in[i:i+len(name)], name) && isTagNameEnd(in[i+len(name)]) {
			return i - 2
		}
	}
}

// asciiEqualFold compares as the tokenizer does, folding ASCII letters
// only (bytes.EqualFold would take "ſcript" for "script").
func asciiEqualFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isTagNameEnd(c byte) bool { return isSpace(c) || c == '/' || c == '>' }

// rawTagName is a start tag's name as written: what follows "<" up to a
// space, "/" or ">" (the tokenizer's own rule; NUL never occurs in the
// names compared with it).
func rawTagName(raw []byte) []byte {
	for i := 1; i < len(raw); i++ {
		switch raw[i] {
		case ' ', '\n', '\t', '\r', '\f', '/', '>':
			return raw[1:i]
		}
	}
	return raw[1:]
}

func isRawTextFold(name []byte) bool {
	for _, k := range []string{"script", "style", "title", "textarea", "noscript", "iframe", "xmp", "noembed", "noframes", "plaintext"} {
		if asciiEqualFold(name, []byte(k)) {
			return true
		}
	}
	return false
}

// lowerName is name in lower case when it is one of the tags the gate
// handles, else "" (without allocating).
func lowerName(name []byte) string {
	for _, k := range []string{"script", "iframe", "img", "link"} {
		if asciiEqualFold(name, []byte(k)) {
			return k
		}
	}
	return ""
}

// attrs copies a tag's attributes from the tokenizer, keys lower-cased and
// values unescaped, as the tokenizer gives them.
type attr struct{ key, val string }

func readAttrs(z *html.Tokenizer, hasAttr bool, into []attr) []attr {
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		into = append(into, attr{string(k), string(v)})
	}
	return into
}

// tagAttrs reads the attributes of a start tag given as its raw bytes (an
// inline script's tag, held while its text was read).
func tagAttrs(raw []byte) []attr {
	z := html.NewTokenizer(bytes.NewReader(raw))
	if tt := z.Next(); tt != html.StartTagToken && tt != html.SelfClosingTagToken {
		return nil
	}
	_, hasAttr := z.TagName()
	return readAttrs(z, hasAttr, nil)
}
