package proxy

import (
	"bytes"
	"io"
	"slices"
	"sync"

	"golang.org/x/net/html"
)

// injector streams an HTML body, putting the banner tag in once, where an
// HTML parser ends the head, as golang.org/x/net/html's tokenizer sees the
// page (so a "</head>" inside a script's string, a comment, a title, a
// textarea, a template… is not mistaken for the end of the head):
//
//   - before the "</head>" end tag;
//   - else before the first token that starts the body: a "<body>" or
//     "<frameset>" tag, any tag that cannot be in a head ("<div>", "<svg>"…),
//     "</body>", "</html>", "</br>", or text other than white space (the
//     parser closes the head implicitly there, so the tag still lands in it);
//   - else at the end, when the page ends in the head. Never at the start,
//     where it would come before "<!doctype html>" and switch the page to
//     quirks mode (unless the page begins with a raw-text element or a
//     comment that hits the hold-back limit below).
//
// The tag names the page's language when its <html lang> (seen before the
// insertion point) is one of the site's (pageLang), so the banner comes in
// it at once, whatever the browser prefers; otherwise it is the plain tag.
//
// Where the tokens are is decided by htmlscan.go's port of the tokenizer's
// rules, on the bytes read, without copying them: the tokenizer itself
// copies every attribute name it reads, which made the injection cost as
// much as the rest of the proxy's work (BENCHMARKS.md). FuzzInjectFast
// checks the output is byte for byte refInjector's, which runs the
// tokenizer.
//
// Every other byte of the page goes out as it came. Bytes are released as
// soon as the scan has gone past them, except those of a raw-text element
// (script, style, title, textarea, noscript…), a comment or a template that
// is not finished yet: the tag may have to go before it. When that
// hold-back passes holdLimit, or the page ends inside such an element, the
// tag goes before it (still in the head) and the rest streams untouched. A
// page that loads the banner script already (a script start tag whose src
// is the banner URL, before the insertion point) is left alone; so are
// pages in UTF-16, where an ASCII tag would be garbage.
type injector struct {
	src   io.ReadCloser
	tag   []byte // the whole <script> element
	url   string // the banner URL, unescaped, to notice a page that loads it already
	nonce string // the page's CSP nonce, given to a tag that names the page's language
	// langs are the site's languages; lang is the one the page's <html
	// lang> names, once seen (hasLang).
	langs   []string
	lang    string
	hasLang bool

	// buf holds the bytes read from src from offset base on; bytes before
	// sent were handed to out. Offsets count from the start of the body.
	buf  []byte
	base int
	sent int
	read int // bytes read from src
	pos  int // where the next token starts
	// safe is the end of the last token after which the tag may go: in the
	// data state, outside raw text and templates, before any insertion
	// point. Everything before it can be released.
	safe int

	raw      string // the raw-text element whose text starts at pos, if any
	template int    // depth of <template> elements, whose content is inert
	attrs    []attrSpan
	attrBuf  [4]attrSpan
	stalls   int     // reads in a row that gave nothing
	pooled   *[]byte // buf's, from bufPool (putting it back does not allocate)

	out    [3][]byte // bytes ready to be returned, in order (before, tag, after)
	srcErr error     // src's error (io.EOF at the end), returned once out is drained
	done   bool      // decided: the rest passes straight through
}

// holdLimit bounds the bytes held back while an element or comment that
// may hide the end of the head is unfinished, and the length of a single
// token (the tokenizer's SetMaxBuf in refInjector).
const holdLimit = 64 << 10

// coalesce bounds the bytes released in one Read while the scan goes on
// with bytes already read: ReverseProxy flushes after every Read of a body
// of unknown length, so releasing each token alone would cost a write per
// tag.
const coalesce = 32 << 10

// readSize is how much is read from the upstream at a time, so a page that
// arrives whole leaves in as few writes as through a bare proxy.
const readSize = 32 << 10

// bufPool recycles hold-back buffers: a busy proxy serves many pages at once.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, readSize); return &b }}

func newInjector(src io.ReadCloser, tag, url string, langs []string) *injector {
	in := &injector{src: src, tag: []byte(tag), url: url, langs: langs, pooled: bufPool.Get().(*[]byte)}
	in.buf, in.attrs = (*in.pooled)[:0], in.attrBuf[:0]
	return in
}

// Close closes the body and recycles the buffer; ReverseProxy reads nothing
// after closing.
func (in *injector) Close() error {
	if in.buf != nil {
		*in.pooled = in.buf[:0]
		in.buf, in.out = nil, [3][]byte{}
		bufPool.Put(in.pooled)
	}
	return in.src.Close()
}

func (in *injector) Read(p []byte) (int, error) {
	for {
		if n := drain(&in.out, p); n > 0 {
			return n, nil
		}
		if in.done {
			if in.srcErr != nil {
				return 0, in.srcErr
			}
			return in.src.Read(p)
		}
		in.step()
	}
}

// step scans what was read, then reads more, until some bytes can be
// released or the insertion point is known.
func (in *injector) step() {
	// out is drained: forget what was sent.
	if in.sent > in.base {
		in.buf = in.buf[:copy(in.buf, in.buf[in.sent-in.base:])]
		in.base = in.sent
	}
	for {
		eof := in.srcErr != nil
		at, act := in.scan(eof)
		switch {
		case act == insert:
			in.insert(at)
			return
		case act == skip:
			in.release(in.read)
			in.done = true
			return
		case eof && in.read == 0:
			in.done = true // an empty body stays empty
			return
		case eof && in.srcErr != io.EOF:
			// src failed: what was read goes out, then the error, without
			// a tag (the page is cut anyway).
			in.release(in.read)
			in.done = true
			return
		case eof, in.read-in.safe > holdLimit, in.stalls >= 100:
			// The page ended in the head, or inside an unfinished comment,
			// tag or raw-text element, which safe stops before; or that
			// element is too long to wait for; or src gives nothing
			// (the tokenizer's io.ErrNoProgress).
			in.insert(in.safe)
			return
		case in.safe > in.sent:
			// Release before a read that may block on a streaming page.
			in.release(in.safe)
			return
		}
		in.fill()
	}
}

// fill reads more of src after the bytes held.
func (in *injector) fill() {
	in.buf = slices.Grow(in.buf, readSize)
	n, err := in.src.Read(in.buf[len(in.buf):cap(in.buf)])
	in.buf = in.buf[:len(in.buf)+n]
	in.read += n
	in.srcErr = err
	if n == 0 && err == nil {
		in.stalls++
	} else {
		in.stalls = 0
	}
}

type action int

const (
	next   action = iota // not an insertion point; go on
	insert               // put the tag at the returned offset
	skip                 // the page needs no tag
)

// scan reads tokens from pos on, as far as the bytes read hold whole ones
// (with eof, what is left is the rest of the page), moving safe past those
// after which the tag may go. It stops at an insertion point or at a page
// that needs no tag, and returns next when it needs more bytes.
func (in *injector) scan(eof bool) (int, action) {
	b, base := in.buf, in.base
	for {
		p := in.pos - base
		if in.raw != "" {
			// A raw-text element's text, to its end tag; "plaintext" has
			// none. Its bytes never move safe.
			e := -1
			if in.raw != "plaintext" {
				e = rawEnd(b, p, in.raw)
			}
			if e < 0 {
				return 0, next
			}
			// The tokenizer gives up at holdLimit bytes, counting the end
			// tag's "</", name and next byte it reads to find the end.
			long := e-p+len(in.raw)+3 >= holdLimit
			in.pos, in.raw = base+e, ""
			if long || in.pos-in.safe > holdLimit {
				return in.safe, insert
			}
			continue
		}
		if p == len(b) {
			return 0, next
		}
		if b[p] != '<' || !startsConstruct(b, p, eof) {
			at, act := in.text(b, p, eof)
			if act != next || in.pos == base+p {
				return at, act
			}
			if in.pos-in.safe > holdLimit {
				return in.safe, insert
			}
			continue
		}
		e := constructEnd(b, p)
		if e < 0 {
			if eof && len(b)-p == 3 && b[p+1] == '!' && b[p+2] == '>' {
				e = len(b) // "<!>", a whole comment at the end of the page
			} else {
				return 0, next // at the end of the page: a cut tag or comment
			}
		}
		if e-p >= holdLimit {
			return in.safe, insert // the tokenizer's ErrBufferExceeded
		}
		at, act := in.construct(b, p, e)
		if act != next {
			return at, act
		}
		in.pos = base + e
		if in.pos-in.safe > holdLimit {
			return in.safe, insert
		}
	}
}

// startsConstruct tells whether the '<' at b[p] starts a tag, comment or
// doctype rather than text: a letter, '/', '!' or '?' follows it (Next),
// except "</" at the end of the page, which is text.
func startsConstruct(b []byte, p int, eof bool) bool {
	if p+1 >= len(b) {
		return !eof // wait to know, unless the page ends: then it is text
	}
	switch c := b[p+1]; {
	case isLetter(c), c == '!', c == '?':
		return true
	case c == '/':
		return p+2 < len(b) || !eof
	}
	return false
}

// text handles the text token at b[p]: it runs to the next construct, or
// to the end of the page. Text other than white space starts the body;
// white space moves safe. It returns next with pos unchanged when the
// token's end is not read yet.
func (in *injector) text(b []byte, p int, eof bool) (int, action) {
	end := p
	for {
		k := bytes.IndexByte(b[end:], '<')
		if k < 0 {
			end = len(b)
			break
		}
		end += k
		if end+1 >= len(b) && !eof {
			end = len(b) // a '<' that may start a tag
			break
		}
		if startsConstruct(b, end, eof) {
			break
		}
		end++
	}
	// The tokenizer gives up on a token at holdLimit bytes, counting the
	// two it reads of the next one; it returns the text read so far, cut
	// there, then stops.
	cut := end-p >= holdLimit || end < len(b) && end-p+2 >= holdLimit
	if !cut && end == len(b) && !eof {
		return 0, next
	}
	raw := b[p:end]
	if cut {
		raw = b[p : p+holdLimit]
	}
	start := in.base + p
	i, utf16 := textContent(raw, start)
	if utf16 {
		return 0, skip // an ASCII tag would be garbage
	}
	switch {
	case i < len(raw) && in.template == 0:
		return start + i, insert // text starts the body
	case cut:
		return in.safe, insert
	case in.template == 0:
		in.safe = in.base + end
	}
	in.pos = in.base + end
	return 0, next
}

// textContent is where a text token that starts at offset start of the
// page has its first byte of content (len(raw) when it is white space
// only): a UTF-8 byte order mark at the start of the page is not content.
// utf16 is true when the page starts with a UTF-16 byte order mark.
func textContent(raw []byte, start int) (i int, utf16 bool) {
	if start == 0 {
		if bytes.HasPrefix(raw, []byte("\xff\xfe")) || bytes.HasPrefix(raw, []byte("\xfe\xff")) {
			return 0, true
		}
		if bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
			i = 3
		}
	}
	for i < len(raw) && isSpace(raw[i]) {
		i++
	}
	return i, false
}

// construct handles the whole tag, comment or doctype b[p:e].
func (in *injector) construct(b []byte, p, e int) (int, action) {
	start := in.base + p
	switch c := b[p+1]; {
	case isLetter(c):
		name := tagName(b, p)
		wasInTemplate := in.template > 0
		// The tokenizer reads the text of these as raw whatever the
		// context, and so must the scan to know where it ends.
		in.raw = rawName(name)
		isTemplate := asciiEqualFoldString(name, "template")
		if isTemplate {
			in.template++ // "<template/>" opens one too: the slash is ignored
		}
		if wasInTemplate {
			return 0, next
		}
		switch {
		case asciiEqualFoldString(name, "html"):
			// A second <html> adds only attributes the first lacked, as the
			// parser does.
			if !in.hasLang {
				if v, ok := in.attr(b, p, e, "lang"); ok {
					in.lang, in.hasLang = pageLang(string(v), in.langs), true
				}
			}
		case asciiEqualFoldString(name, "script"):
			if v, ok := in.attr(b, p, e, "src"); ok && string(v) == in.url {
				return 0, skip
			}
		case isTemplate || inHead(name):
		default:
			return start, insert // a body element: the head ends here
		}
	case c == '/' && isLetter(b[p+2]):
		name := tagName(b, p+1)
		if in.template > 0 {
			if asciiEqualFoldString(name, "template") {
				in.template--
			}
			return 0, next
		}
		for _, k := range [...]string{"head", "body", "html", "br"} {
			if asciiEqualFoldString(name, k) {
				return start, insert
			}
		}
	}
	// Comments, doctypes, "</>", the head's tags.
	if in.raw == "" && in.template == 0 {
		in.safe = in.base + e
	}
	return 0, next
}

// inHead tells whether a start tag named name can be in a head: every other
// one starts the body.
func inHead(name []byte) bool {
	for _, k := range [...]string{"head", "base", "basefont", "bgsound", "link", "meta", "title", "noscript", "noframes", "style", "template"} {
		if asciiEqualFoldString(name, k) {
			return true
		}
	}
	return false
}

// attr returns the value of the first attribute named key (lower case) of
// the start tag b[p:e], as the tokenizer's TagAttr gives it: unescaped,
// its line breaks normalised; in b itself when that is as written, so read
// it before b changes. Only values with a character reference or a
// carriage return, rare in the attributes read here, go through the
// tokenizer.
func (in *injector) attr(b []byte, p, e int, key string) ([]byte, bool) {
	in.attrs = in.attrs[:0]
	tagEnd(b[:e], p+1, &in.attrs)
	for _, a := range in.attrs {
		if !asciiEqualFoldString(b[a.key:a.keyEnd], key) {
			continue
		}
		v := b[a.val:a.valEnd]
		if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\r') < 0 {
			return v, true // as written, in place
		}
		z := html.NewTokenizer(bytes.NewReader(b[p:e]))
		z.Next()
		for more := true; more; {
			var k, v []byte
			k, v, more = z.TagAttr()
			if string(k) == key {
				return v, true
			}
		}
		return nil, false
	}
	return nil, false
}

// drain copies to p what of the parts is ready, in order, as much as fits:
// ReverseProxy writes and flushes each Read of a body of unknown length, so
// one Read is one chunk.
func drain(parts *[3][]byte, p []byte) int {
	n := 0
	for i := range parts {
		c := copy(p[n:], parts[i])
		parts[i] = parts[i][c:]
		n += c
	}
	return n
}

// release hands buf up to offset n to the reader.
func (in *injector) release(n int) {
	in.out[0] = in.buf[in.sent-in.base : n-in.base]
	in.sent = n
}

// insert places the tag at offset at and ends the scan: what was read after
// it goes out as it is, then src passes straight through.
func (in *injector) insert(at int) {
	tag := in.tag
	if in.lang != "" {
		tag = langTag(in.url, in.lang, in.nonce)
	}
	in.out = [3][]byte{in.buf[in.sent-in.base : at-in.base], tag, in.buf[at-in.base:]}
	in.sent, in.done = in.read, true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
