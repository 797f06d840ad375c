package proxy

import "bytes"

// The functions below find where the constructs of an HTML page end, by
// the rules of golang.org/x/net/html's tokenizer (token.go), on the bytes
// read so far: each returns the offset just past the construct, or -1 when
// the bytes end first (the caller reads more, or at the end of the page
// passes the rest through, as the tokenizer would make no tag of it
// either). The names in the comments are the tokenizer's functions.

// constructEnd returns the end of what starts with the '<' at in[i]: a
// start or end tag, a comment, a doctype, a processing instruction, or the
// '<' alone when it starts none of them (it is text). A start tag ends at
// its '>': the text of a raw-text element is not part of it (Next).
func constructEnd(in []byte, i int) int {
	if i+1 >= len(in) {
		return -1
	}
	switch c := in[i+1]; {
	case isLetter(c):
		return tagEnd(in, i+1, nil)
	case c == '/':
		if i+2 >= len(in) {
			return -1
		}
		switch c2 := in[i+2]; {
		case c2 == '>':
			return i + 3 // "</>": no token, passed through
		case isLetter(c2):
			return tagEnd(in, i+2, nil)
		default: // a bogus comment, to the next '>' (readUntilCloseAngle)
			return closeAngle(in, i+2)
		}
	case c == '?':
		return closeAngle(in, i+1)
	case c == '!':
		if i+3 >= len(in) {
			return -1
		}
		if in[i+2] == '-' && in[i+3] == '-' {
			return commentEnd(in, i+4)
		}
		// A doctype or a bogus comment, to the next '>'
		// (readMarkupDeclaration, readDoctype, readUntilCloseAngle).
		return closeAngle(in, i+2)
	}
	return i + 1 // a '<' that starts nothing is text
}

func closeAngle(in []byte, from int) int {
	if e := bytes.IndexByte(in[from:], '>'); e >= 0 {
		return from + e + 1
	}
	return -1
}

// attrSpan is where an attribute's name and value are in a tag's bytes;
// a value without quotes around it, or no value, as the tokenizer marks
// it (readTagAttrVal: an attribute without a value has an empty one where
// its name ends).
type attrSpan struct{ key, keyEnd, val, valEnd int }

// tagEnd returns the end of the tag whose name starts at in[name] (readTag,
// readTagName, readTagAttrKey, readTagAttrVal). When attrs is not nil, the
// attributes with a name are appended to it.
func tagEnd(in []byte, name int, attrs *[]attrSpan) int {
	p := nameEnd(in, name)
	if p < 0 {
		return -1
	}
	return attrsEnd(in, p, attrs)
}

// nameEnd returns the end of the tag name that starts at in[name]: the
// first space, '/' or '>' after its first byte (readTagName).
func nameEnd(in []byte, name int) int {
	p := name + 1
	for p < len(in) && tagByte[in[p]]&(space|slash|gt) == 0 {
		p++
	}
	if p >= len(in) {
		return -1
	}
	return p
}

// attrsEnd returns the end of a tag whose name ends at in[p]: its
// attributes and its '>' (see tagEnd).
func attrsEnd(in []byte, p int, attrs *[]attrSpan) int {
	if tagByte[in[p]]&space != 0 {
		p++
	}
	for p < len(in) && tagByte[in[p]]&space != 0 {
		p++
	}
	for {
		if p >= len(in) {
			return -1
		}
		if in[p] == '>' {
			return p + 1
		}
		// The attribute's name: an '=' first is part of it.
		key := p
		if in[p] == '=' {
			p++
		}
		for p < len(in) && tagByte[in[p]]&(space|slash|gt|eq) == 0 {
			p++
		}
		a := attrSpan{key, p, p, p}
		if p+1 < len(in) && in[p] == '=' && in[p+1] == '"' {
			// name="value", as most attributes are written.
			e := bytes.IndexByte(in[p+2:], '"')
			if e < 0 {
				return -1
			}
			a.val, a.valEnd = p+2, p+2+e
			p += 2 + e + 1
			if attrs != nil && a.keyEnd > a.key {
				*attrs = append(*attrs, a)
			}
			for p < len(in) && tagByte[in[p]]&space != 0 {
				p++
			}
			continue
		}
		// Its value.
		for p < len(in) && tagByte[in[p]]&space != 0 {
			p++
		}
		if p >= len(in) {
			return -1
		}
		switch in[p] {
		case '/':
			p++
		case '=':
			p++
			for p < len(in) && tagByte[in[p]]&space != 0 {
				p++
			}
			if p >= len(in) {
				return -1
			}
			switch q := in[p]; q {
			case '>':
			case '\'', '"':
				e := bytes.IndexByte(in[p+1:], q)
				if e < 0 {
					return -1
				}
				a.val, a.valEnd = p+1, p+1+e
				p += 1 + e + 1
			default:
				a.val = p
				for p < len(in) && tagByte[in[p]]&(space|gt) == 0 {
					p++
				}
				if p >= len(in) {
					return -1
				}
				a.valEnd = p
				if in[p] != '>' {
					p++ // the space ends the value
				}
			}
		}
		if attrs != nil && a.keyEnd > a.key {
			*attrs = append(*attrs, a)
		}
		for p < len(in) && tagByte[in[p]]&space != 0 {
			p++
		}
	}
}

// Classes of the bytes that end a tag's names and values.
const (
	space = 1 << iota // ' ', '\t', '\n', '\r', '\f'
	slash
	gt
	eq
)

var tagByte = [256]uint8{' ': space, '\t': space, '\n': space, '\r': space, '\f': space, '/': slash, '>': gt, '=': eq}

// rawEnd returns where the text of the raw-text element name (lower case),
// starting at in[from], ends: at the end tag that closes it.
func rawEnd(in []byte, from int, name string) int {
	if name == "script" {
		return scriptEnd(in, from)
	}
	return rawTextEnd(in, from, name)
}

// rawTextEnd returns where the text of a raw-text element (not a script)
// that starts at in[from] ends: at the first "</" followed by its name in
// any case and a space, "/" or ">" (readRawOrRCDATA, readRawEndTag).
func rawTextEnd(in []byte, from int, name string) int {
	for i := from; ; {
		j := bytes.Index(in[i:], []byte("</"))
		if j < 0 {
			return -1
		}
		i += j + 2
		if len(in)-i <= len(name) {
			return -1
		}
		if asciiEqualFoldString(in[i:i+len(name)], name) && isTagNameEnd(in[i+len(name)]) {
			return i - 2
		}
	}
}

// rawEndTag tells whether in[p:] starts with the name of a script end tag
// (the "</" read): "script" in any case, then a space, "/" or ">"
// (readRawEndTag). more is true when in ends before it can tell.
func rawEndTag(in []byte, p int) (match, more bool) {
	const name = "script"
	for i := 0; i < len(name); i++ {
		if p+i >= len(in) {
			return false, true
		}
		if c := in[p+i]; c != name[i] && c != name[i]-('a'-'A') {
			return false, false
		}
	}
	if p+len(name) >= len(in) {
		return false, true
	}
	return isTagNameEnd(in[p+len(name)]), false
}

// scriptEnd returns where a script's text, starting at in[from], ends: at
// the "</script" that closes it, past the escapes ("<!--", a "<script"
// inside them) that hide end tags (readScript, WHATWG 13.2.5.4 and on).
func scriptEnd(in []byte, from int) int {
	const (
		data = iota
		escaped
		escapedDash
		escapedDashDash
		double
		doubleDash
		doubleDashDash
	)
	state := data
	for p := from; ; {
		if p >= len(in) {
			return -1
		}
		c := in[p]
		p++
		switch state {
		case data:
			if c != '<' {
				// Most of a script: jump to its next '<'.
				k := bytes.IndexByte(in[p:], '<')
				if k < 0 {
					return -1
				}
				p += k
				continue
			}
			if p >= len(in) {
				return -1
			}
			switch in[p] {
			case '/':
				m, more := rawEndTag(in, p+1)
				if more {
					return -1
				}
				if m {
					return p - 1
				}
				p++
			case '!':
				// "<!--" starts the escaped state; "<!-" or "<!" alone is
				// text, whatever follows read again.
				p++
				if p >= len(in) {
					return -1
				}
				if in[p] != '-' {
					continue
				}
				p++
				if p >= len(in) {
					return -1
				}
				if in[p] == '-' {
					p++
					state = escapedDashDash
				}
			}
		case escaped, escapedDash, escapedDashDash:
			switch {
			case c == '-' && state == escaped:
				state = escapedDash
			case c == '-':
				state = escapedDashDash
			case c == '>' && state == escapedDashDash:
				state = data
			case c == '<':
				if p >= len(in) {
					return -1
				}
				switch d := in[p]; {
				case d == '/':
					m, more := rawEndTag(in, p+1)
					if more {
						return -1
					}
					if m {
						return p - 1
					}
					p++
					state = escaped
				case isLetter(d):
					// "<script" followed by a space, "/" or ">" opens the
					// double-escaped state; the letters are read again
					// otherwise.
					m, more := rawEndTag(in, p)
					if more {
						return -1
					}
					if m {
						p += len("script") + 1
						state = double
					} else {
						k := 0
						for k < len("script") && (in[p+k] == "script"[k] || in[p+k] == "SCRIPT"[k]) {
							k++
						}
						p += k
						state = escaped
					}
				default:
					state = data
				}
			default:
				state = escaped
			}
		case double, doubleDash, doubleDashDash:
			switch {
			case c == '-' && state == double:
				state = doubleDash
			case c == '-':
				state = doubleDashDash
			case c == '>' && state == doubleDashDash:
				state = data
			case c == '<':
				if p >= len(in) {
					return -1
				}
				if in[p] != '/' {
					state = double
					continue
				}
				p++
				m, more := rawEndTag(in, p)
				if more {
					return -1
				}
				if m {
					// The tokenizer goes on past "</script" and the byte
					// after it, escaped again.
					p += len("script") + 1
					state = escaped
				} else {
					state = double
				}
			default:
				state = double
			}
		}
	}
}

// commentEnd returns the end of a comment whose "<!--" ends at in[from]
// (readComment): at "-->", "--!>", or a '>' right after the opening.
func commentEnd(in []byte, from int) int {
	dashes, beginning := 0, true
	for p := from; p < len(in); p++ {
		switch in[p] {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return p + 1
			}
		case '!':
			if dashes >= 2 {
				if p+1 >= len(in) {
					return -1
				}
				p++
				if in[p] == '>' {
					return p + 1
				} else if in[p] == '-' {
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
	return -1
}

// asciiEqualFold compares as the tokenizer does, folding ASCII letters
// only (bytes.EqualFold would take "ſcript" for "script").
func asciiEqualFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// asciiEqualFoldString is asciiEqualFold with a lower-case name.
func asciiEqualFoldString(a []byte, lower string) bool {
	if len(a) != len(lower) {
		return false
	}
	for i := range a {
		if lowerASCII(a[i]) != lower[i] {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isTagNameEnd(c byte) bool { return isSpace(c) || c == '/' || c == '>' }

// tagName is the name of the tag at in[i] as written: what follows "<" up
// to a space, "/" or ">" (readTagName).
func tagName(in []byte, i int) []byte { return rawTagName(in[i:]) }

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

// rawTextNames are the elements whose start tag makes the tokenizer read
// what follows as text, to their end tag (readStartTag).
var rawTextNames = [...]string{"script", "style", "title", "textarea", "noscript", "iframe", "xmp", "noembed", "noframes", "plaintext"}

func isRawTextFold(name []byte) bool { return rawName(name) != "" }

// rawName is name in lower case when it is a raw-text element, else "".
// Every tag of a page comes here: its length picks the few names to try.
func rawName(name []byte) string {
	var names []string
	switch len(name) {
	case 3:
		names = rawTextNames[6:7] // xmp
	case 5:
		names = rawTextNames[1:3] // style, title
	case 6:
		names = rawTextNames[0:1] // script
		if lowerASCII(name[0]) == 'i' {
			names = rawTextNames[5:6] // iframe
		}
	case 7:
		names = rawTextNames[7:8] // noembed
	case 8:
		names = rawTextNames[3:5] // textarea, noscript
		if lowerASCII(name[0]) == 'n' && lowerASCII(name[2]) == 'f' {
			names = rawTextNames[8:9] // noframes
		}
	case 9:
		names = rawTextNames[9:10] // plaintext
	}
	for _, k := range names {
		if asciiEqualFoldString(name, k) {
			return k
		}
	}
	return ""
}

// lowerName is name in lower case when it is one of the tags the gate
// handles (base for the URLs after it), else "" (without allocating).
func lowerName(name []byte) string {
	var names [2]string
	switch len(name) {
	case 3:
		names[0] = "img"
	case 4:
		names = [2]string{"link", "base"}
	case 6:
		names = [2]string{"script", "iframe"}
	default:
		return ""
	}
	for _, k := range names {
		if k != "" && asciiEqualFoldString(name, k) {
			return k
		}
	}
	return ""
}
