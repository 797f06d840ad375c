package proxy

import (
	"bytes"
	"errors"
	"io"

	"golang.org/x/net/html"
)

// refBlocker is the first blocker, which ran every byte of the page through
// golang.org/x/net/html's tokenizer: too slow for the proxy (BENCHMARKS.md),
// it stays as the reference the fast blocker is fuzzed against.
//
// It streams an HTML body through golang.org/x/net/html's tokenizer
// and gives every token's bytes back unchanged, except the start tags its
// gate function rewrites: a third-party script, frame, image or hint the
// visitor has not consented to (see gate.go). An inline script's start tag
// is held until its text has been read, since the text decides it; nothing
// else is held. Bytes are released as soon as the tokenizer has nothing
// more buffered, so a page the upstream streams keeps streaming.
type refBlocker struct {
	src  *ahead
	z    *html.Tokenizer
	gate *gate

	out     []byte // bytes ready for the reader, from pos on
	pos     int
	held    []byte // an inline script's start tag, waiting for its text
	holding bool
	rawName []byte // the raw-text element (script, style…) whose text comes next
	err     error  // the tokenizer's stop (io.EOF at the end), returned once out is drained
	done    bool   // the rest of src passes through untouched
}

func newRefBlocker(src io.ReadCloser, g *gate) *refBlocker {
	b := &refBlocker{src: &ahead{src: src, buf: (*bufPool.Get().(*[]byte))[:0]}, gate: g, out: (*bufPool.Get().(*[]byte))[:0]}
	b.z = html.NewTokenizer(b.src)
	b.z.SetMaxBuf(maxToken)
	return b
}

// Close closes the body and recycles the buffers; ReverseProxy reads
// nothing after closing.
func (b *refBlocker) Close() error {
	if b.z != nil {
		for _, buf := range [][]byte{b.src.buf[:0], b.out[:0]} {
			bufPool.Put(&buf)
		}
		b.src.buf, b.out, b.z = nil, nil, nil
	}
	return b.src.src.Close()
}

func (b *refBlocker) Read(p []byte) (int, error) {
	for {
		if b.pos < len(b.out) {
			n := copy(p, b.out[b.pos:])
			b.pos += n
			return n, nil
		}
		b.out, b.pos = b.out[:0], 0
		if b.done {
			if b.err != nil && b.err != io.EOF {
				return 0, b.err
			}
			return b.src.Read(p)
		}
		if b.err != nil {
			return 0, b.err
		}
		b.step()
	}
}

// step tokenizes until some bytes are ready and reading on could block, or
// enough are ready to be worth a write.
func (b *refBlocker) step() {
	for {
		tt := b.z.Next()
		raw := b.z.Raw()
		if tt == html.ErrorToken {
			b.flushHeld()
			b.out = append(b.out, raw...)
			b.out = append(b.out, b.z.Buffered()...)
			b.err = b.z.Err()
			if errors.Is(b.err, html.ErrBufferExceeded) {
				b.gate.log.Warn("a token of the page is too long to read; the rest is sent unblocked", "limit", maxToken)
				b.out = append(b.out, b.src.pending()...)
				b.src.r = b.src.w
				b.err, b.done = nil, true
			} else if b.err == io.EOF || b.src.srcErr == nil {
				b.done = true // nothing more to read (io.ErrNoProgress ends the same way)
				b.err = io.EOF
			}
			return
		}
		b.rawName = b.rawName[:0]
		b.token(tt, raw)
		if len(b.out) >= coalesce || len(b.out) > 0 && len(b.src.pending()) == 0 && !b.nextTokenBuffered() {
			return
		}
	}
}

// token appends one token's bytes, rewritten when the gate says so.
func (b *refBlocker) token(tt html.TokenType, raw []byte) {
	if b.holding {
		// The token after an inline script's start tag: its text, or its
		// end tag when it is empty.
		if tt == html.TextToken {
			attrs, _ := slowTag(b.held)
			if gated := b.gate.inline(&startTag{name: "script", raw: b.held, attrs: append(attrs, []attr{}...)}, raw); gated != nil {
				b.out = append(b.out, gated...)
				b.holding = false
			}
		}
		b.flushHeld()
		b.out = append(b.out, raw...)
		return
	}
	if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
		// The name is read from the raw bytes: the tokenizer's TagName
		// allocates a copy for every tag, and most tags are of no interest.
		name := rawTagName(raw)
		if isRawTextFold(name) {
			b.rawName = append(b.rawName, name...)
		}
		switch name := lowerName(name); name {
		case "script", "iframe", "img", "link", "base":
			_, hasAttr := b.z.TagName()
			attrs := append(readAttrs(b.z, hasAttr, nil), []attr{}...) // not nil: read
			t := &startTag{name: name, raw: raw, selfClosing: tt == html.SelfClosingTagToken, attrs: attrs}
			t.fromAttrs(attrs)
			out, hold := b.gate.tag(t)
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

// nextTokenBuffered guesses whether the tokenizer holds the next token
// whole, so that reading it will not wait for the upstream: a '>' for a
// tag, a '<' to end text, the end tag of a raw-text element. A wrong guess
// ('>' in a quoted attribute) only delays bytes until the upstream sends
// more; it never changes the output.
func (b *refBlocker) nextTokenBuffered() bool {
	rest := b.z.Buffered()
	if len(b.rawName) > 0 {
		for i := 0; ; {
			j := bytes.Index(rest[i:], []byte("</"))
			if j < 0 {
				return false
			}
			i += j + 2
			if len(rest)-i > len(b.rawName) && asciiEqualFold(rest[i:i+len(b.rawName)], b.rawName) {
				return true
			}
		}
	}
	switch {
	case len(rest) == 0:
		return false
	case rest[0] != '<':
		return bytes.IndexByte(rest, '<') >= 0
	}
	return bytes.IndexByte(rest, '>') >= 0
}

func (b *refBlocker) flushHeld() {
	if b.holding {
		b.out = append(b.out, b.held...)
		b.holding = false
	}
}

// ahead is what the tokenizer reads: src, read in pieces of up to
// readSize, so the blocker can tell whether bytes are waiting (then it goes
// on tokenizing) or the next read may block (then it releases what it has).
type ahead struct {
	src    io.ReadCloser
	buf    []byte
	r, w   int
	srcErr error
}

func (a *ahead) Read(p []byte) (int, error) {
	if a.r == a.w {
		if a.srcErr != nil {
			return 0, a.srcErr
		}
		n, err := a.src.Read(a.buf[:cap(a.buf)])
		a.r, a.w, a.srcErr = 0, n, err
		if n == 0 {
			if err == nil {
				return 0, nil
			}
			return 0, err
		}
	}
	n := copy(p, a.buf[a.r:a.w])
	a.r += n
	return n, nil
}

func (a *ahead) pending() []byte { return a.buf[a.r:a.w] }
