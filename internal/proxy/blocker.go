package proxy

import (
	"bytes"
	"io"
)

// blocker streams an HTML body and gives every byte back unchanged, except
// the start tags its gate rewrites: a third-party script, frame, image or
// hint the visitor has not consented to (see gate.go).
//
// Where the tags are is decided as golang.org/x/net/html's tokenizer (the
// WHATWG tokenizer browsers implement) decides it, by a port of its rules
// that works on the bytes read, without copying them (htmlscan.go): text,
// tags and their attributes, comments, doctypes, and the text of raw-text
// elements (script with its escapes, style, title, textarea, iframe…). The
// tokenizer itself copies every attribute name and every tag it reads,
// which costs as much as proxying the page. FuzzBlockFast checks the port
// against refBlocker, which tokenizes every byte with the tokenizer.
//
// Only the start tags of script, iframe, img and link reach the gate, with
// the few attributes it reads taken from the raw bytes. An inline script's
// start tag waits for its text, since the text decides it; nothing else
// waits. What is ready goes out before each read from the upstream, so a
// page the upstream streams keeps streaming.
type blocker struct {
	src    io.ReadCloser
	srcErr error  // src's error (io.EOF at the end)
	in     []byte // bytes read from src and not yet handled, from i on
	i      int
	gate   *gate

	out  []byte // bytes ready for the reader, from pos on
	pos  int
	raw  string // the raw-text element whose text comes next at i, if any
	tag  startTag
	done bool // the rest of src passes through untouched

	pooled [2]*[]byte // in's and out's buffers, from bufPool
}

// maxToken bounds the bytes held for one construct (a huge inline script
// or style sheet): past it, the rest of the page passes through unchanged.
const maxToken = 1 << 20

func newBlocker(src io.ReadCloser, g *gate) *blocker {
	b := &blocker{src: src, gate: g, pooled: [2]*[]byte{bufPool.Get().(*[]byte), bufPool.Get().(*[]byte)}}
	b.in, b.out = (*b.pooled[0])[:0], (*b.pooled[1])[:0]
	return b
}

// Close closes the body and recycles the buffers (in the pool's own
// pointers, which putting back does not allocate); ReverseProxy reads
// nothing after closing.
func (b *blocker) Close() error {
	if b.in != nil {
		*b.pooled[0], *b.pooled[1] = b.in[:0], b.out[:0]
		bufPool.Put(b.pooled[0])
		bufPool.Put(b.pooled[1])
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
		b.step()
	}
}

// step handles what was read, then reads more, until some bytes are ready.
func (b *blocker) step() {
	for len(b.out) < coalesce && !b.done {
		eof := b.srcErr != nil
		b.scan(eof)
		switch {
		case eof:
			// The page ends: what is left is an unfinished construct,
			// which the tokenizer would not make a tag of either.
			b.out = append(b.out, b.in[b.i:]...)
			b.i = len(b.in)
			b.done = true
		case len(b.out) > 0:
			return // release before a read that may block
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

// scan copies text and tags from in to out, the gate's tags rewritten, as
// far as it can: to the end of in, or to the '<' of a construct in does not
// hold whole yet. With eof, in holds the rest of the page: an inline
// script's text then runs to its end, as the tokenizer reads it.
func (b *blocker) scan(eof bool) {
	in := b.in
	i := b.i
	start := i // in[start:i] is ready to copy
	defer func() {
		b.out = append(b.out, in[start:i]...)
		b.i = i
	}()
	if b.raw != "" {
		e := rawEnd(in, i, b.raw)
		if e < 0 {
			return
		}
		i, b.raw = e, ""
	}
	for {
		// Between two tags there is often a byte or two of text (a
		// newline, a space, a full stop): looked at before calling the
		// vector search, which costs more than that.
		switch {
		case i < len(in) && in[i] == '<':
		case i+1 < len(in) && in[i+1] == '<':
			i++
		default:
			k := bytes.IndexByte(in[i:], '<')
			if k < 0 {
				i = len(in)
				return
			}
			i += k
		}
		if i+1 >= len(in) {
			return
		}
		if c := in[i+1]; !isLetter(c) {
			if c == '/' && i+2 < len(in) && isLetter(in[i+2]) {
				// An end tag: its attributes, if any, count for nothing.
				e := tagEnd(in, i+2, nil)
				if e < 0 {
					return
				}
				i = e
				continue
			}
			// A comment, doctype…, or a '<' that is text.
			e := constructEnd(in, i)
			if e < 0 {
				return
			}
			i = e
			continue
		}
		ne := nameEnd(in, i+1)
		if ne < 0 {
			return
		}
		name, raw := tagKind(in[i+1 : ne])
		var e, next int
		if name == "" {
			if e = attrsEnd(in, ne, nil); e < 0 {
				return
			}
			next = e
		} else {
			b.out = append(b.out, in[start:i]...)
			start = i
			var ok bool
			if e, next, ok = b.gated(name, in, i, ne, eof); !ok {
				return // the tag, or an inline script's text, is still to come
			}
			start = next
		}
		i = next
		if next > e || raw == "" {
			continue // an inline script comes with its text
		}
		if raw == "plaintext" {
			// Nothing after it is markup: the rest passes as it is.
			b.done = true
			return
		}
		b.raw = raw
		te := rawEnd(in, i, b.raw)
		if te < 0 {
			return
		}
		i, b.raw = te, ""
	}
}

// tagKind tells what the scan does with a start tag named n: name is n in
// lower case when the gate reads the tag (script, iframe, img, link, base),
// raw when what follows is raw text (rawTextNames); both "" for most tags.
func tagKind(n []byte) (name, raw string) {
	if len(n) < 3 || len(n) > 9 {
		return "", ""
	}
	return lowerName(n), rawName(n)
}

// gated appends the start tag at in[at:] of a script, iframe, img or link,
// whose name ends at in[nameEnd], as the gate makes it. It returns where
// the tag ends and where the scan goes on: after the tag, or after an
// inline script's text, which comes with its tag. ok is false when the tag
// or that text is not all read yet.
func (b *blocker) gated(name string, in []byte, at, nameEnd int, eof bool) (end, next int, ok bool) {
	t := &b.tag
	if end = t.read(name, in[at:], nameEnd-at); end < 0 {
		return 0, 0, false
	}
	end += at
	out, hold := b.gate.tag(t)
	if !hold {
		if out == nil {
			out = in[at:end]
		}
		b.out = append(b.out, out...)
		return end, end, true
	}
	te := scriptEnd(in, end)
	if te < 0 {
		if !eof {
			return 0, 0, false
		}
		te = len(in)
	}
	out = nil
	if text := in[end:te]; len(text) > 0 {
		out = b.gate.inline(t, text)
	}
	if out == nil {
		out = in[at:end]
	}
	b.out = append(b.out, out...)
	b.out = append(b.out, in[end:te]...)
	return end, te, true
}
