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
	src         string // src or href, whichever comes last
	typ, rel    string
	hasType     bool
	gated       bool // a data-charte attribute: the site gated it already

	spans []attrSpan // reused from tag to tag
}

// maxFastAttrs bounds the attributes read from the raw bytes; a tag with
// more is read by the tokenizer (duplicates are looked for pairwise).
const maxFastAttrs = 32

// read fills t from a start tag's bytes, by the tokenizer's rules: from the
// bytes themselves when the values the gate reads are as written (no '&',
// CR or NUL in them), else through the tokenizer.
func (t *startTag) read(name string, raw []byte) {
	*t = startTag{name: name, raw: raw, spans: t.spans[:0]}
	tagEnd(raw, 1, &t.spans)
	if len(t.spans) > maxFastAttrs || !t.fromSpans() {
		attrs, selfClosing := slowTag(raw)
		t.fromAttrs(attrs)
		t.selfClosing = selfClosing
		return
	}
	// Self-closing when the byte before '>' is a '/' that is not the end of
	// the last attribute's value (readStartTag).
	e := len(raw) - 2
	t.selfClosing = raw[e] == '/'
	if last := t.lastKept(); t.selfClosing && last >= 0 {
		t.selfClosing = e != t.spans[last].valEnd-1
	}
}

// fromSpans reads the gate's attributes from the spans; false when a value
// needs the tokenizer's decoding.
func (t *startTag) fromSpans() bool {
	var seen uint8
	for _, a := range t.spans {
		key, val := t.raw[a.key:a.keyEnd], t.raw[a.val:a.valEnd]
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
		if bytes.IndexByte(val, '&') >= 0 || bytes.IndexByte(val, '\r') >= 0 || bytes.IndexByte(val, 0) >= 0 {
			return false
		}
		switch bit {
		case 1, 2:
			t.src = string(val)
		case 4:
			t.typ, t.hasType = string(val), true
		case 8:
			t.rel = string(val)
		}
	}
	return true
}

// lastKept is the index of the last attribute the tokenizer keeps (whose
// name no earlier one has), or -1.
func (t *startTag) lastKept() int {
outer:
	for j := len(t.spans) - 1; j >= 0; j-- {
		key := t.raw[t.spans[j].key:t.spans[j].keyEnd]
		for _, a := range t.spans[:j] {
			if asciiEqualFold(key, t.raw[a.key:a.keyEnd]) {
				continue outer
			}
		}
		return j
	}
	return -1
}

// fromAttrs reads the gate's attributes from the tokenizer's.
func (t *startTag) fromAttrs(attrs []attr) {
	for _, a := range attrs {
		switch a.key {
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
// unescaped.
type attr struct{ key, val string }

func readAttrs(z *html.Tokenizer, hasAttr bool, into []attr) []attr {
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		into = append(into, attr{string(k), string(v)})
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

// tagAttrs reads the attributes of a start tag given as its raw bytes.
func tagAttrs(raw []byte) []attr {
	attrs, _ := slowTag(raw)
	return attrs
}
