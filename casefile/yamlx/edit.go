package yamlx

import (
	"bytes"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Documents are changed by editing their node tree in place and encoding it
// again, never by marshalling a struct: the comments and key order a person
// wrote survive every rewrite. These helpers are the only way commands edit.

// Get returns the value node under key in a mapping, or nil.
func Get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	_, v := lookup(m, key)
	return v
}

// GetPath follows mapping keys from m.
func GetPath(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		m = Get(m, k)
	}
	return m
}

// Set puts v under key in mapping m. An existing value is replaced in place
// (its comments are kept when v has none); a new key is inserted before the
// first existing key that comes after it in order, or appended when order
// does not name it.
func Set(m *yaml.Node, key string, v *yaml.Node, order []string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			old := m.Content[i+1]
			if v.HeadComment == "" {
				v.HeadComment = old.HeadComment
			}
			if v.LineComment == "" {
				v.LineComment = old.LineComment
			}
			if v.FootComment == "" {
				v.FootComment = old.FootComment
			}
			m.Content[i+1] = v
			return
		}
	}
	at := len(m.Content)
	if rank := slices.Index(order, key); rank >= 0 {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if r := slices.Index(order, m.Content[i].Value); r > rank {
				at = i
				break
			}
		}
	}
	m.Content = slices.Insert(m.Content, at, Str(key), v)
}

// Delete removes key from mapping m and reports whether it was there.
func Delete(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			return true
		}
	}
	return false
}

// Ensure returns the mapping under key, creating an empty one (inserted by
// order) when absent or null.
func Ensure(m *yaml.Node, key string, order []string) *yaml.Node {
	v := Get(m, key)
	if v == nil || v.Kind != yaml.MappingNode {
		v = Map()
		Set(m, key, v, order)
	}
	return v
}

// EnsureSeq returns the sequence under key, creating an empty block sequence
// when absent or null.
func EnsureSeq(m *yaml.Node, key string, order []string) *yaml.Node {
	v := Get(m, key)
	if v == nil || v.Kind != yaml.SequenceNode {
		v = Seq()
		Set(m, key, v, order)
	}
	if len(v.Content) == 0 {
		v.Style &^= yaml.FlowStyle // an empty `[]` grows as a block list
	}
	return v
}

// Str makes a string scalar; the encoder quotes it when its text would read
// back as another type. Multi-line text is written as a literal block.
func Str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if bytes.ContainsRune([]byte(s), '\n') {
		n.Style = yaml.LiteralStyle
	}
	return n
}

// Plain makes a scalar written without quotes, for dates and timestamps: they
// read back as text through Parse.
func Plain(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: s}
}

// Int makes an integer scalar.
func Int(i int64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(i, 10)}
}

// Float makes a number scalar.
func Float(f float64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(f, 'f', -1, 64)}
}

// Bool makes a boolean scalar.
func Bool(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

// Map makes a block mapping from alternating keys and value nodes; a nil
// value skips its key, so optional fields can be passed inline.
func Map(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(kv); i += 2 {
		v, _ := kv[i+1].(*yaml.Node)
		if v == nil {
			continue
		}
		m.Content = append(m.Content, Str(kv[i].(string)), v)
	}
	return m
}

// Seq makes a block sequence.
func Seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

// StrSeq makes a flow sequence of strings, e.g. [food, housing].
func StrSeq(items []string) *yaml.Node {
	s := Seq()
	s.Style = yaml.FlowStyle
	for _, it := range items {
		s.Content = append(s.Content, Str(it))
	}
	return s
}

// FromValue builds a node tree from plain values (as Value returns them).
// Mapping keys are written in the order given by order when they appear in
// it, then alphabetically.
func FromValue(v any, order []string) *yaml.Node {
	switch x := v.(type) {
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case string:
		return Str(x)
	case bool:
		return Bool(x)
	case int:
		return Int(int64(x))
	case int64:
		return Int(x)
	case float64:
		return Float(x)
	case []string:
		return StrSeq(x)
	case []any:
		s := Seq()
		for _, it := range x {
			s.Content = append(s.Content, FromValue(it, order))
		}
		return s
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int {
			ra, rb := slices.Index(order, a), slices.Index(order, b)
			switch {
			case ra >= 0 && rb >= 0:
				return ra - rb
			case ra >= 0:
				return -1
			case rb >= 0:
				return 1
			}
			if a < b {
				return -1
			}
			return 1
		})
		m := Map()
		for _, k := range keys {
			m.Content = append(m.Content, Str(k), FromValue(x[k], order))
		}
		return m
	}
	return Str("")
}

// Encode writes a document node as YAML with two-space indentation.
func Encode(doc *yaml.Node) ([]byte, error) {
	spellFlowNulls(doc, false)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// spellFlowNulls writes an empty null inside a flow collection as `null`:
// the encoder would otherwise write an empty quoted string, turning a
// null into text.
func spellFlowNulls(n *yaml.Node, inFlow bool) {
	if n.Kind == yaml.ScalarNode && inFlow && n.Value == "" && n.ShortTag() == "!!null" {
		n.Value = "null"
	}
	flow := inFlow || n.Style&yaml.FlowStyle != 0
	for _, c := range n.Content {
		spellFlowNulls(c, flow)
	}
}

// Document wraps a top-level node as a document with a head comment.
func Document(root *yaml.Node, head string) *yaml.Node {
	return &yaml.Node{Kind: yaml.DocumentNode, HeadComment: head, Content: []*yaml.Node{root}}
}

// Prune removes, recursively, mapping keys whose value is null or an empty
// list, then keys whose mapping became empty through that (a mapping that
// was empty to begin with, such as answers: {}, stays). It is applied to new documents
// made from templates, where empty fields mean "not known"; documents a
// person already wrote are never pruned.
func Prune(n *yaml.Node) {
	if n == nil {
		return
	}
	if n.Kind == yaml.DocumentNode {
		for _, c := range n.Content {
			Prune(c)
		}
		return
	}
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			Prune(c)
		}
		return
	}
	if n.Kind != yaml.MappingNode {
		return
	}
	out := n.Content[:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if (v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null") || (v.Kind == yaml.SequenceNode && len(v.Content) == 0) {
			continue
		}
		hadContent := len(v.Content) > 0
		Prune(v)
		if v.Kind == yaml.MappingNode && hadContent && len(v.Content) == 0 {
			continue
		}
		out = append(out, k, v)
	}
	n.Content = out
}
