package lru_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/charte/charte/internal/lru"
)

func TestCache(t *testing.T) {
	type op struct {
		add  string // key to add (size 10), or ""
		size int64
		get  string // key to get, or ""
	}
	for _, tt := range []struct {
		name  string
		max   int64
		ops   []op
		holds []string // keys present at the end
		gone  []string
		bytes int64
	}{
		{"within budget", 30, []op{{add: "a", size: 10}, {add: "b", size: 10}, {add: "c", size: 10}}, []string{"a", "b", "c"}, nil, 30},
		{"least recently added goes first", 30, []op{{add: "a", size: 10}, {add: "b", size: 10}, {add: "c", size: 10}, {add: "d", size: 10}}, []string{"b", "c", "d"}, []string{"a"}, 30},
		{"a read keeps an entry", 30, []op{{add: "a", size: 10}, {add: "b", size: 10}, {add: "c", size: 10}, {get: "a"}, {add: "d", size: 10}}, []string{"a", "c", "d"}, []string{"b"}, 30},
		{"a large entry drops several", 30, []op{{add: "a", size: 10}, {add: "b", size: 10}, {add: "c", size: 10}, {add: "big", size: 25}}, []string{"big"}, []string{"a", "b", "c"}, 25},
		{"over budget alone, kept", 30, []op{{add: "a", size: 10}, {add: "huge", size: 40}}, []string{"huge"}, []string{"a"}, 40},
		{"replacing resizes", 30, []op{{add: "a", size: 10}, {add: "b", size: 10}, {add: "a", size: 20}}, []string{"a", "b"}, nil, 30},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := lru.New[string, string](tt.max)
			for _, o := range tt.ops {
				if o.add != "" {
					c.Add(o.add, "v-"+o.add, o.size)
				}
				if o.get != "" {
					c.Get(o.get)
				}
			}
			for _, k := range tt.holds {
				if v, ok := c.Get(k); !ok || v != "v-"+k {
					t.Errorf("%s: %q %v, want held", k, v, ok)
				}
			}
			for _, k := range tt.gone {
				if _, ok := c.Get(k); ok {
					t.Errorf("%s still held", k)
				}
			}
			if s := c.Stats(); s.Bytes != tt.bytes || s.Entries != len(tt.holds) {
				t.Errorf("stats %+v, want %d bytes in %d entries", s, tt.bytes, len(tt.holds))
			}
		})
	}
}

// Under concurrent use the budget holds (run with -race).
func TestCacheConcurrent(t *testing.T) {
	c := lru.New[string, int](1000)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				k := fmt.Sprint(g, i%300)
				if _, ok := c.Get(k); !ok {
					c.Add(k, i, int64(1+i%17))
				}
				if i%50 == 0 {
					c.Remove(k)
				}
			}
		}()
	}
	wg.Wait()
	if s := c.Stats(); s.Bytes > 1000 || s.Bytes < 0 || s.Drops == 0 {
		t.Errorf("stats %+v: over budget or nothing dropped", s)
	}
}
