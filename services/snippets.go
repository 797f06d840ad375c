package services

import (
	"fmt"
	"strings"
)

// Snippet is a loader snippet a service's documentation tells sites to paste
// inline (Google Tag Manager's, Meta Pixel's…): Signature is a literal piece
// of it, present in every copy whatever the site's account id, and Examples
// are real snippets it must be found in (the recipe's check verifies it, and
// that the signature is long enough to name this service only).
type Snippet struct {
	Signature string   `json:"signature" yaml:"signature"`
	Examples  []string `json:"examples" yaml:"examples"`
}

// minSignature is the shortest signature accepted: shorter literals would
// turn up in unrelated scripts.
const minSignature = 10

func (r *Recipe) checkSnippets(bad func(string, ...any)) {
	for i, s := range r.Snippets {
		if len(s.Signature) < minSignature || strings.TrimSpace(s.Signature) != s.Signature {
			bad("snippets[%d].signature: %q: give a literal of at least %d characters, without leading or trailing spaces", i, s.Signature, minSignature)
		}
		if len(s.Examples) == 0 {
			bad("snippets[%d].examples: give at least one snippet the signature is found in", i)
		}
		ix := NewSnippetIndex([]*Recipe{{ID: r.ID, Snippets: []Snippet{s}}})
		for _, ex := range s.Examples {
			if len(ix.Match([]byte(ex))) == 0 {
				bad("snippets[%d].examples: the signature %q is not in %q", i, s.Signature, ex)
			}
		}
	}
}

// SnippetIndex finds the recipes whose signatures occur in an inline
// script, in one pass over the script however many signatures there are:
// an Aho–Corasick automaton over every signature of the catalogue, turned
// into a table-driven state machine (one lookup per byte). The proxy runs it
// on each inline script of each page.
type SnippetIndex struct {
	// class maps a byte to its column: bytes no signature holds share
	// column 0, so the table stays small (states × distinct bytes).
	class   [256]uint16
	classes int
	// delta[state*classes+class] is the next state; state 0 is the start.
	delta []int32
	// out lists, per state, the recipes whose signature ends there.
	out  [][]*Recipe
	size int
}

// NewSnippetIndex builds the automaton over the recipes' signatures.
func NewSnippetIndex(recipes []*Recipe) *SnippetIndex {
	ix := &SnippetIndex{classes: 1}
	for _, r := range recipes {
		for _, s := range r.Snippets {
			for i := 0; i < len(s.Signature); i++ {
				if c := s.Signature[i]; ix.class[c] == 0 {
					ix.class[c] = uint16(ix.classes)
					ix.classes++
				}
			}
		}
	}
	// The trie: goto edges, -1 where none.
	k := ix.classes
	trie := []int32{}
	newState := func() int32 {
		for range k {
			trie = append(trie, -1)
		}
		ix.out = append(ix.out, nil)
		return int32(len(ix.out) - 1)
	}
	newState()
	for _, r := range recipes {
		for _, s := range r.Snippets {
			n := int32(0)
			for i := 0; i < len(s.Signature); i++ {
				c := int(ix.class[s.Signature[i]])
				if trie[int(n)*k+c] < 0 {
					m := newState()
					trie[int(n)*k+c] = m
				}
				n = trie[int(n)*k+c]
			}
			if !containsRecipe(ix.out[n], r) {
				ix.out[n] = append(ix.out[n], r)
			}
			ix.size++
		}
	}
	// The state machine, breadth first: a missing edge goes where the
	// fail state's edge goes, and a state also reports its fail state's
	// recipes (a signature ending inside a longer one).
	ix.delta = make([]int32, len(trie))
	fail := make([]int32, len(ix.out))
	queue := []int32{}
	for c := range k {
		if m := trie[c]; m > 0 {
			ix.delta[c] = m
			queue = append(queue, m)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, r := range ix.out[fail[n]] {
			if !containsRecipe(ix.out[n], r) {
				ix.out[n] = append(ix.out[n], r)
			}
		}
		for c := range k {
			f := ix.delta[int(fail[n])*k+c]
			if m := trie[int(n)*k+c]; m > 0 {
				ix.delta[int(n)*k+c] = m
				fail[m] = f
				queue = append(queue, m)
			} else {
				ix.delta[int(n)*k+c] = f
			}
		}
	}
	return ix
}

// Match returns the recipes with a signature in script, each once, in the
// order their signatures end in it.
func (ix *SnippetIndex) Match(script []byte) []*Recipe {
	var found []*Recipe
	n, k := int32(0), ix.classes
	for _, c := range script {
		n = ix.delta[int(n)*k+int(ix.class[c])]
		for _, r := range ix.out[n] {
			if !containsRecipe(found, r) {
				found = append(found, r)
			}
		}
	}
	return found
}

// Len is the number of signatures.
func (ix *SnippetIndex) Len() int { return ix.size }

func containsRecipe(list []*Recipe, r *Recipe) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}

// String describes the index, for logs.
func (ix *SnippetIndex) String() string {
	return fmt.Sprintf("%d signatures, %d automaton states", ix.size, len(ix.out))
}
