package proxy

import (
	"bytes"
	"errors"
	"io"
	"slices"

	"golang.org/x/net/html"
)

// refInjector is the first injector, which found the end of the head with
// golang.org/x/net/html's tokenizer: it copies every attribute name of the
// head and cost about 40 allocations a page, as much as the rest of the
// proxy's work (BENCHMARKS.md). It stays as the reference the injector
// (inject.go, on htmlscan.go's port of the tokenizer's rules) is fuzzed
// against: FuzzInjectFast.
//
// It puts the tag where injector does, by the rules in injector's comment,
// releasing bytes as soon as the tokenizer has gone past them.
type refInjector struct {
	src io.ReadCloser
	tag []byte // the whole <script> element
	url string // the banner URL, unescaped, to notice a page that loads it already
	z   *html.Tokenizer
	// langs are the site's languages; lang is the one the page's <html
	// lang> names, once seen (hasLang).
	langs   []string
	lang    string
	hasLang bool

	// buf holds the bytes read from src from offset base on; bytes before
	// sent were handed to out. Offsets count from the start of the body.
	buf    []byte
	base   int
	sent   int
	read   int // bytes read from src
	fed    int // bytes given to the tokenizer
	tokEnd int // end of the last token the tokenizer returned
	// safe is the end of the last token after which the tag may go: in the
	// data state, outside raw text and templates, before any insertion
	// point. Everything before it can be released.
	safe int

	raw      bool   // the last start tag opened a raw-text element; its text comes next
	rawName  []byte // that element's name
	template int    // depth of <template> elements, whose content is inert

	out    [3][]byte // bytes ready to be returned, in order (before, tag, after)
	srcErr error     // src's error (io.EOF at the end), returned once out is drained
	done   bool      // decided: the rest passes straight through
}

func newRefInjector(src io.ReadCloser, tag, url string, langs []string) *refInjector {
	in := &refInjector{src: src, tag: []byte(tag), url: url, langs: langs, buf: (*bufPool.Get().(*[]byte))[:0]}
	in.z = html.NewTokenizer(refTee{in})
	in.z.SetMaxBuf(holdLimit)
	return in
}

// tee is what the tokenizer reads: src, with every byte kept in buf, since
// those bytes, not the tokenizer's, are what the visitor gets. It reads
// src in pieces of up to readSize into buf, ahead of the tokenizer (which
// asks for 4 KiB at a time), so a page that arrives whole leaves in as few
// writes as through a bare proxy.
type refTee struct{ in *refInjector }

func (t refTee) Read(p []byte) (int, error) {
	in := t.in
	if in.fed == in.read {
		if in.srcErr != nil {
			return 0, in.srcErr
		}
		in.buf = slices.Grow(in.buf, readSize)
		n, err := in.src.Read(in.buf[len(in.buf):cap(in.buf)])
		in.buf = in.buf[:len(in.buf)+n]
		in.read += n
		in.srcErr = err
		if n == 0 {
			return 0, err
		}
	}
	n := copy(p, in.buf[in.fed-in.base:])
	in.fed += n
	return n, nil
}

// Close closes the body and recycles the buffer; ReverseProxy reads nothing
// after closing.
func (in *refInjector) Close() error {
	if in.buf != nil {
		b := in.buf[:0]
		in.buf, in.out, in.z = nil, [3][]byte{}, nil
		bufPool.Put(&b)
	}
	return in.src.Close()
}

func (in *refInjector) Read(p []byte) (int, error) {
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

// step reads tokens until some bytes can be released or the insertion point
// is known.
func (in *refInjector) step() {
	// out is drained: forget what was sent.
	if in.sent > in.base {
		in.buf = in.buf[:copy(in.buf, in.buf[in.sent-in.base:])]
		in.base = in.sent
	}
	for {
		tt := in.z.Next()
		if tt == html.ErrorToken {
			in.end()
			return
		}
		start := in.tokEnd
		in.tokEnd += len(in.z.Raw())
		at, act := in.classify(tt, start)
		switch act {
		case insert:
			in.insert(at)
			return
		case skip:
			in.release(in.read)
			in.done = true
			return
		}
		if in.tokEnd-in.safe > holdLimit {
			in.insert(in.safe) // conservative: before the unfinished element
			return
		}
		// Go on while the tokenizer probably has the next token whole in its
		// buffer; a read from src would block on a streaming page while
		// bytes wait to be released.
		if in.safe > in.sent && (in.safe-in.sent >= coalesce || !in.nextTokenBuffered()) {
			in.release(in.safe)
			return
		}
	}
}

// nextTokenBuffered guesses whether the bytes read but not yet tokenized
// hold a whole token: a '>' for a tag, a '<' to end text, the end tag of a
// raw-text element. It can be wrong only towards blocking (a '>' inside a
// quoted attribute or a comment), which delays those bytes until the
// upstream sends more; it never changes the output.
func (in *refInjector) nextTokenBuffered() bool {
	rest := in.buf[in.tokEnd-in.base:]
	if in.raw {
		for i := 0; ; {
			j := bytes.Index(rest[i:], []byte("</"))
			if j < 0 {
				return false
			}
			i += j + 2
			if len(rest)-i > len(in.rawName) && bytes.EqualFold(rest[i:i+len(in.rawName)], in.rawName) {
				return true
			}
		}
	}
	if len(rest) == 0 {
		return false
	}
	if rest[0] != '<' {
		return bytes.IndexByte(rest, '<') >= 0
	}
	return bytes.IndexByte(rest, '>') >= 0
}

// end handles the tokenizer's stop: the end of the page, src's error, or a
// token longer than holdLimit.
func (in *refInjector) end() {
	err := in.z.Err()
	switch {
	case err == io.EOF && in.read == 0:
		in.done = true // an empty body stays empty
	case err == io.EOF, errors.Is(err, html.ErrBufferExceeded), in.srcErr == nil:
		// The page ended in the head (or inside an unfinished comment or
		// raw-text element, which safe stops before), or a token is too
		// long to wait for, or the tokenizer gave up (io.ErrNoProgress).
		in.insert(in.safe)
	default:
		// src failed: what was read goes out, then the error, without a tag
		// (the page is cut anyway).
		in.release(in.read)
		in.done = true
	}
}

// classify decides what a token means for the insertion, and moves safe
// past it when the tag may follow it.
func (in *refInjector) classify(tt html.TokenType, start int) (int, action) {
	raw := in.z.Raw()
	switch tt {
	case html.TextToken:
		if in.raw {
			return 0, next // a raw-text element's content, maybe unfinished
		}
		i, utf16 := textContent(raw, start)
		if utf16 {
			return 0, skip // an ASCII tag would be garbage
		}
		if i < len(raw) && in.template == 0 {
			return start + i, insert // text starts the body
		}
	case html.StartTagToken, html.SelfClosingTagToken:
		name, hasAttr := in.z.TagName()
		// The tokenizer treats these as raw text whatever the context, and
		// so must we to know when its text ends.
		wasInTemplate := in.template > 0
		in.raw = refIsRawText(name)
		if in.raw {
			in.rawName = append(in.rawName[:0], name...)
		}
		if string(name) == "template" {
			in.template++ // "<template/>" opens one too: the slash is ignored
		}
		if wasInTemplate {
			return 0, next
		}
		switch string(name) {
		case "html":
			// A second <html> adds only attributes the first lacked, as the
			// parser does.
			for hasAttr && !in.hasLang {
				var k, v []byte
				k, v, hasAttr = in.z.TagAttr()
				if string(k) == "lang" {
					in.lang, in.hasLang = pageLang(string(v), in.langs), true
				}
			}
		case "head", "base", "basefont", "bgsound", "link", "meta", "title", "noscript", "noframes", "style", "template":
		case "script":
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = in.z.TagAttr()
				if string(k) == "src" && string(v) == in.url {
					return 0, skip
				}
			}
		default:
			return start, insert // a body element: the head ends here
		}
	case html.EndTagToken:
		in.raw = false
		name, _ := in.z.TagName()
		if in.template > 0 {
			if string(name) == "template" {
				in.template--
			}
			return 0, next
		}
		switch string(name) {
		case "head", "body", "html", "br":
			return start, insert
		}
	}
	// A token the tokenizer cut (at the end of the page, or at holdLimit)
	// may be an unterminated comment or tag: the tag cannot follow it.
	// (Tokenizer.Err tells nothing until the next call returns ErrorToken.)
	cut := len(raw) >= holdLimit || in.srcErr != nil && in.tokEnd == in.read
	if !in.raw && in.template == 0 && (!cut || len(raw) < holdLimit && in.srcErr == io.EOF && refTerminated(tt, raw)) {
		in.safe = in.tokEnd
	}
	return 0, next
}

// terminated tells whether a token that ends where the page ends was
// closed, rather than cut by the end: after an unterminated comment or tag,
// the tag would be part of it.
func refTerminated(tt html.TokenType, raw []byte) bool {
	switch {
	case tt == html.TextToken:
		return true
	case tt == html.CommentToken && bytes.HasPrefix(raw, []byte("<!--")):
		// What follows "<!--" closes it: "-->" or "--!>", or ">" and "->"
		// right after the opening. "<!--!>" ends in "--!>" only by sharing
		// the opening's dashes: it is cut.
		body := raw[len("<!--"):]
		return string(body) == ">" || string(body) == "->" || bytes.HasSuffix(body, []byte("-->")) || bytes.HasSuffix(body, []byte("--!>"))
	}
	return bytes.HasSuffix(raw, []byte(">"))
}

// release hands buf up to offset n to the reader.
func (in *refInjector) release(n int) {
	in.out[0] = in.buf[in.sent-in.base : n-in.base]
	in.sent = n
}

// insert places the tag at offset at and ends the tokenizing: what was read
// after it goes out as it is, then src passes straight through.
func (in *refInjector) insert(at int) {
	tag := in.tag
	if in.lang != "" {
		tag = bannerTag(withLang(in.url, in.lang), "")
	}
	in.out = [3][]byte{in.buf[in.sent-in.base : at-in.base], tag, in.buf[at-in.base:]}
	in.sent, in.done, in.z = in.read, true, nil
}

func refIsRawText(name []byte) bool {
	switch string(name) {
	case "iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp":
		return true
	}
	return false
}
