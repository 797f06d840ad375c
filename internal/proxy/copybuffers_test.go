package proxy

import "testing"

// TestCopyBuffers: ReverseProxy gets buffers to copy through, of the size
// it would make itself, and gives them back to be used again.
func TestCopyBuffers(t *testing.T) {
	var pool copyBuffers
	b := pool.Get()
	if len(b) < 32<<10 {
		t.Fatalf("a buffer of %d bytes, want at least %d", len(b), 32<<10)
	}
	b[0] = 'x'
	pool.Put(b)
	pool.Put(make([]byte, 10)) // too small to copy through: dropped
	for range 4 {
		if got := pool.Get(); len(got) < 32<<10 {
			t.Fatalf("after putting back, a buffer of %d bytes", len(got))
		}
	}
	if n := testing.AllocsPerRun(100, func() { pool.Put(pool.Get()) }); n > 1 {
		t.Errorf("%.0f allocations to get and put back a buffer, want at most 1", n)
	}
}
