package proxy

import (
	"bytes"

	"golang.org/x/net/html"
)

// startTag is what the gate reads of the start tag of a script, iframe, img
// or link: its bytes and the few attributes that decide it, valued as the
// tokenizer gives them (the first of duplicate names, character references
// decoded, CR LF as LF).
type startTag struct {
	name        string // script, iframe, img or link
	raw         []byte
	selfClosing bool
	src         []byte // src or href, whichever comes last; in raw or a copy
	typ, rel    []byte
	hasType     bool
	gated       bool // a data-charte attribute: the site gated it already
	amp         bool // a value holds a '&' (plain tells)

	// attrs are all the attributes the tokenizer keeps, for a rewrite;
	// nil until asked for when spans tell them.
	attrs   []attr
	attrBuf [8]attr
	spans   []attrSpan
	spanBuf [8]attrSpan
}

// maxFastAttrs bounds the attributes read from the raw bytes; a tag with
// more is read by the tokenizer (duplicates are looked for pairwise).
const maxFastAttrs = 32

// read fills t from the start tag at in[0], whose name ends at
// in[nameEnd], by the tokenizer's rules: from the bytes themselves when its
// attributes are as written (see plain), else through the tokenizer. It
// returns where the tag ends, or -1 when in ends first.
func (t *startTag) read(name string, in []byte, nameEnd int) int {
	t.reset(name)
	end := attrsEnd(in, nameEnd, &t.spans)
	if end < 0 {
		return -1
	}
	raw := in[:end]
	t.raw = raw
	if len(t.spans) > maxFastAttrs || !t.plain() {
		attrs, selfClosing := slowTag(raw)
		t.fromAttrs(attrs)
		t.attrs, t.selfClosing = append(attrs, []attr{}...), selfClosing // not nil: read
		return end
	}
	t.fromSpans()
	// Self-closing when the byte before '>' is a '/' that is not the end of
	// the last attribute's value (readStartTag).
	e := len(raw) - 2
	t.selfClosing = raw[e] == '/'
	if last := t.lastKept(); t.selfClosing && last >= 0 {
		t.selfClosing = e != t.spans[last].valEnd-1
	}
	return end
}

// reset empties t for the tag name, keeping its buffers (field by field:
// setting the whole struct would clear the buffers too, for every tag).
func (t *startTag) reset(name string) {
	spans := t.spans
	if spans == nil {
		spans = t.spanBuf[:0]
	}
	t.name, t.raw, t.selfClosing = name, nil, false
	t.src, t.typ, t.rel, t.hasType, t.gated, t.amp = nil, nil, nil, false, false, false
	t.attrs, t.spans = nil, spans[:0]
}

// plain tells whether the tokenizer gives the attributes as written but
// for the references ampersand reads: no other character reference, no
// CR, no NUL.
func (t *startTag) plain() bool {
	t.amp = false
	for _, a := range t.spans {
		for _, c := range t.raw[a.key:a.keyEnd] { // short: no call to the vector search
			if c == 0 {
				return false
			}
		}
		val := t.raw[a.val:a.valEnd]
		for i, c := range val {
			if c == '\r' || c == 0 {
				return false
			}
			if c == '&' {
				if _, n := ampersand(val[i:]); n == 0 {
					return false
				}
				t.amp = true
			}
		}
	}
	return true
}

// ampersand reads the '&' b starts with in an attribute's value as the
// tokenizer does (unescape, unescapeEntity) in the usual cases: a '&'
// that starts no reference, or one followed by a name and '=' (a URL's
// "&id="), stays; "&amp;", "&quot;", "&lt;" and "&gt;" stand for their
// character. n is the bytes read, 0 for any other reference.
func ampersand(b []byte) (c byte, n int) {
	if len(b) < 2 || b[1] != '#' && !isAlnum(b[1]) {
		return '&', 1
	}
	for i, r := range [...]string{"&amp;", "&quot;", "&lt;", "&gt;"} {
		if bytes.HasPrefix(b, []byte(r)) {
			return "&\"<>"[i], len(r)
		}
	}
	j := 1
	for j < len(b) && isAlnum(b[j]) {
		j++
	}
	if j > 1 && j < len(b) && b[j] == '=' {
		return '&', 1
	}
	return 0, 0
}

func isAlnum(c byte) bool { return isLetter(c) || '0' <= c && c <= '9' }

// value is an attribute's value as the tokenizer gives it, for a plain
// tag.
func (t *startTag) value(a attrSpan) []byte {
	val := t.raw[a.val:a.valEnd]
	if !t.amp || bytes.IndexByte(val, '&') < 0 {
		return val
	}
	out := make([]byte, 0, len(val))
	for i := 0; i < len(val); i++ {
		if val[i] != '&' {
			out = append(out, val[i])
			continue
		}
		c, n := ampersand(val[i:])
		out = append(out, c)
		i += n - 1
	}
	return out
}

// attrList is every attribute the tokenizer keeps, in order, for a
// rewrite; the names may be in upper case (compare them folded).
func (t *startTag) attrList() []attr {
	if t.attrs == nil {
		t.attrs = t.attrBuf[:0]
		for j, a := range t.spans {
			if !t.dup(j) {
				t.attrs = append(t.attrs, attr{t.raw[a.key:a.keyEnd], t.value(a)})
			}
		}
	}
	return t.attrs
}

// fromSpans reads the gate's attributes from the spans.
func (t *startTag) fromSpans() {
	var seen uint8
	for _, a := range t.spans {
		key := t.raw[a.key:a.keyEnd]
		var bit uint8
		switch {
		case asciiEqualFoldString(key, "src"):
			bit = 1
		case asciiEqualFoldString(key, "href"):
			bit = 2
		case asciiEqualFoldString(key, "type"):
			bit = 4
		case asciiEqualFoldString(key, "rel"):
			bit = 8
		case asciiEqualFoldString(key, "data-charte"):
			t.gated = true
			continue
		default:
			continue
		}
		if seen&bit != 0 {
			continue // the tokenizer keeps the first
		}
		seen |= bit
		val := t.value(a)
		switch bit {
		case 1, 2:
			t.src = val
		case 4:
			t.typ, t.hasType = val, true
		case 8:
			t.rel = val
		}
	}
}

// dup tells whether an earlier attribute has the name of attribute j.
func (t *startTag) dup(j int) bool {
	key := t.raw[t.spans[j].key:t.spans[j].keyEnd]
	for _, a := range t.spans[:j] {
		if asciiEqualFold(key, t.raw[a.key:a.keyEnd]) {
			return true
		}
	}
	return false
}

// lastKept is the index of the last attribute the tokenizer keeps, or -1.
func (t *startTag) lastKept() int {
	for j := len(t.spans) - 1; j >= 0; j-- {
		if !t.dup(j) {
			return j
		}
	}
	return -1
}

// fromAttrs reads the gate's attributes from the tokenizer's.
func (t *startTag) fromAttrs(attrs []attr) {
	for _, a := range attrs {
		switch string(a.key) {
		case "src", "href":
			t.src = a.val
		case "type":
			t.typ, t.hasType = a.val, true
		case "rel":
			t.rel = a.val
		case "data-charte":
			t.gated = true
		}
	}
}

// attr is an attribute as the tokenizer gives it: key lower-cased, value
// unescaped (or as written, when that is the same but for the key's case).
type attr struct{ key, val []byte }

func readAttrs(z *html.Tokenizer, hasAttr bool, into []attr) []attr {
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		into = append(into, attr{k, v})
	}
	return into
}

// slowTag reads the attributes of a start tag given as its raw bytes, and
// whether it closes itself, with the tokenizer: for the tags the gate
// rewrites, and the odd ones.
func slowTag(raw []byte) ([]attr, bool) {
	z := html.NewTokenizer(bytes.NewReader(raw))
	tt := z.Next()
	if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
		return nil, false
	}
	_, hasAttr := z.TagName()
	return readAttrs(z, hasAttr, nil), tt == html.SelfClosingTagToken
}
