package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds a registry file: a thousand cookies fit in a tenth of it.
const MaxFileSize = 1 << 20

// maxDepth bounds nesting: the deepest legitimate path is
// cookies[i].purpose.fr, four levels.
const maxDepth = 8

// Load reads a registry file in YAML or JSON (JSON when it starts with "{"),
// refusing oversized, deeply nested, mistyped or unknown content, then
// validates it. Problems carry the file line when the input is YAML. The
// error is non-nil when the site must not be saved; warnings come back with a
// valid site. Read gives the same registry as a Valid, to save it.
func Load(r io.Reader) (*Site, Problems, error) {
	v, problems, err := Read(r)
	return v.Site(), problems, err
}

// Read is Load giving a Valid: the registry is validated once, here, and
// saved without validating it again.
func Read(r io.Reader) (Valid, Problems, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return Valid{}, nil, fmt.Errorf("read registry: %w", err)
	}
	if len(data) > MaxFileSize {
		return Valid{}, nil, fmt.Errorf("registry file is larger than %d bytes", MaxFileSize)
	}
	var site *Site
	var lines map[string]int
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		site, err = decodeJSON(t)
	} else {
		site, lines, err = decodeYAML(data)
	}
	if err != nil {
		return Valid{}, nil, err
	}
	v, problems, err := Check(site)
	for i := range problems {
		problems[i].Line = lineOf(lines, problems[i].Field)
	}
	if err != nil {
		return Valid{}, problems, problems.Err() // now naming the lines
	}
	return v, problems, nil
}

func decodeJSON(data []byte) (*Site, error) {
	if d := jsonDepth(data); d > maxDepth {
		return nil, fmt.Errorf("registry JSON is nested %d levels deep, more than %d", d, maxDepth)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Site
	if err := dec.Decode(&s); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("registry JSON: line %d: %v", lineAt(data, se.Offset), err)
		case errors.As(err, &te):
			return nil, fmt.Errorf("registry JSON: line %d: field %s: want %s, got %s", lineAt(data, te.Offset), te.Field, te.Type, te.Value)
		}
		return nil, fmt.Errorf("registry JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("registry JSON: unexpected content after the site object")
	}
	return &s, nil
}

func decodeYAML(data []byte) (*Site, map[string]int, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, fmt.Errorf("registry YAML: %w", err)
	}
	if len(root.Content) == 0 {
		return nil, nil, errors.New("registry YAML: the file is empty")
	}
	if d, line := yamlDepth(&root, 0); d > maxDepth {
		return nil, nil, fmt.Errorf("registry YAML: line %d: nested more than %d levels deep", line, maxDepth)
	}
	if n := countAliases(&root); n > 0 {
		// Anchors and aliases can make a small file expand enormously, and a
		// registry never needs them.
		return nil, nil, errors.New("registry YAML: anchors and aliases (*name) are not allowed")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var s Site
	if err := dec.Decode(&s); err != nil {
		return nil, nil, fmt.Errorf("registry YAML: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, nil, errors.New("registry YAML: a registry file holds one document; remove the extra \"---\" section")
	}
	lines := map[string]int{}
	indexLines(root.Content[0], "", lines)
	return &s, lines, nil
}

// EncodeYAML writes the site as a registry file that Load reads back to an
// identical site.
func EncodeYAML(w io.Writer, s *Site) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return err
	}
	return enc.Close()
}

// EncodeJSON writes the site as indented JSON.
func EncodeJSON(w io.Writer, s *Site) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

func indexLines(n *yaml.Node, path string, lines map[string]int) {
	lines[path] = n.Line
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			p := key
			if path != "" {
				p = path + "." + key
			}
			lines[p] = n.Content[i].Line
			indexLines(n.Content[i+1], p, lines)
			lines[p] = n.Content[i].Line
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			indexLines(c, path+"["+strconv.Itoa(i)+"]", lines)
		}
	}
}

// lineOf finds the line of a field, or of its nearest parent present in the
// file (a missing required field is reported at its parent's line).
func lineOf(lines map[string]int, field string) int {
	for p := field; p != ""; {
		if l, ok := lines[p]; ok {
			return l
		}
		cut := max(bytes.LastIndexByte([]byte(p), '.'), bytes.LastIndexByte([]byte(p), '['))
		if cut < 0 {
			break
		}
		p = p[:cut]
	}
	return 0
}

func yamlDepth(n *yaml.Node, d int) (int, int) {
	deepest, line := d, n.Line
	if d > maxDepth {
		return d, n.Line
	}
	for _, c := range n.Content {
		if cd, cl := yamlDepth(c, d+1); cd > deepest {
			deepest, line = cd, cl
		}
	}
	return deepest, line
}

func countAliases(n *yaml.Node) int {
	c := 0
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		c++
	}
	for _, k := range n.Content {
		c += countAliases(k)
	}
	return c
}

// jsonDepth measures nesting without decoding, so a hostile file is refused
// before the decoder recurses into it.
func jsonDepth(data []byte) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for _, c := range data {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

func lineAt(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}
