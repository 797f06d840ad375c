package proxy

import (
	"bytes"
	"io"
	"slices"
	"sync"
)

// injector streams an HTML body, putting the banner tag in once:
//
//   - before the first "</head" end tag, where a script tag belongs;
//   - else before the first "<body" start tag, for documents that omit
//     "</head>" (it is optional in HTML);
//   - else at the very end, because a document with neither is a fragment
//     or hand-written page, and a script after the content still runs. It is
//     never put at the start: before "<!doctype html>" it would switch the
//     page to quirks mode.
//
// Tags are matched case-insensitively and across reads. If the banner's own
// URL appears before the insertion point, the page already has the tag and
// nothing is added. At most a few bytes are held back between reads (the
// length of the longest pattern), so the body streams.
type injector struct {
	src  io.ReadCloser
	tag  []byte    // the whole <script> element
	url  []byte    // the banner URL, to notice a page that already has the tag
	buf  []byte    // bytes read; buf[keep:] is not yet decided. From bufPool.
	keep int       // start of the undecided tail, moved to the front before a read
	out  [3][]byte // bytes ready to be returned, in order (before, tag, after)
	seen int       // bytes read so far
	err  error     // src's error (io.EOF at the end), returned once out is drained
	done bool      // decided: tag placed or not needed; the rest passes straight through
}

var (
	headEnd   = []byte("</head")
	bodyStart = []byte("<body")
)

const readSize = 32 << 10

// bufPool recycles read buffers: a busy proxy serves many pages at once.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, readSize); return &b }}

func newInjector(src io.ReadCloser, tag, url string) *injector {
	return &injector{src: src, tag: []byte(tag), url: []byte(url), buf: (*bufPool.Get().(*[]byte))[:0]}
}

// Close closes the body and recycles the buffer; ReverseProxy reads nothing
// after closing.
func (in *injector) Close() error {
	if in.buf != nil {
		b := in.buf[:0]
		in.buf, in.out = nil, [3][]byte{}
		bufPool.Put(&b)
	}
	return in.src.Close()
}

func (in *injector) Read(p []byte) (int, error) {
	for {
		if i := slices.IndexFunc(in.out[:], func(b []byte) bool { return len(b) > 0 }); i >= 0 {
			n := copy(p, in.out[i])
			in.out[i] = in.out[i][n:]
			return n, nil
		}
		if in.done {
			if in.err != nil {
				return 0, in.err
			}
			return in.src.Read(p)
		}
		if in.err != nil {
			// The body ended (or failed) before any insertion point.
			in.done = true
			in.out[0] = in.buf[in.keep:]
			if in.err == io.EOF && in.seen > 0 {
				in.out[1] = in.tag
			}
			continue
		}
		// Refill: out is drained, so the undecided tail (a few bytes) can
		// move to the front of buf.
		in.buf = in.buf[:copy(in.buf, in.buf[in.keep:])]
		in.keep = 0
		n, err := in.src.Read(in.buf[len(in.buf):cap(in.buf)])
		in.buf = in.buf[:len(in.buf)+n]
		in.seen += n
		in.err = err
		in.step()
	}
}

// step scans buf and moves what is decided to out.
func (in *injector) step() {
	eof := in.err != nil
	at, safe := insertionPoint(in.buf, eof)
	if u := bytes.Index(in.buf, in.url); len(in.url) > 0 && u >= 0 && (at < 0 || u < at) {
		in.pass(len(in.buf)) // the page carries the banner already
		in.done = true
		return
	}
	if at >= 0 {
		in.out = [3][]byte{in.buf[:at], in.tag, in.buf[at:]}
		in.keep, in.done = len(in.buf), true
		return
	}
	if !eof {
		// Keep enough bytes for the URL to be recognised across reads.
		safe = min(safe, max(0, len(in.buf)-len(in.url)+1))
	}
	in.pass(safe)
}

// pass releases buf[:n] and keeps the rest for the next scan.
func (in *injector) pass(n int) {
	if n == 0 && len(in.buf) == cap(in.buf) {
		// A full buffer with no decision cannot happen (patterns are short);
		// release it all rather than stall.
		n = len(in.buf)
	}
	in.out[0], in.keep = in.buf[:n], n
}

// insertionPoint finds where the tag goes in b: at >= 0 when found.
// Otherwise safe is how many leading bytes cannot be part of a match, and
// may be released. With eof, partial matches at the end are not matches.
func insertionPoint(b []byte, eof bool) (at, safe int) {
	for i := 0; ; i++ {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return -1, len(b)
		}
		i += j
		rest := b[i:]
		for _, pat := range [][]byte{headEnd, bodyStart} {
			if len(rest) > len(pat) {
				if bytes.EqualFold(rest[:len(pat)], pat) && isDelim(rest[len(pat)]) {
					return i, i
				}
			} else if !eof && bytes.EqualFold(rest, pat[:len(rest)]) {
				return -1, i // could still become a match with more bytes
			}
		}
	}
}

// isDelim is what may follow a tag name: space, "/" or ">".
func isDelim(c byte) bool {
	return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
