package yamlx

import (
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Value converts a checked node tree into plain Go values: map[string]any,
// []any, string, int64, float64, bool and nil. Dates and timestamps are their
// text. It is meant for nodes that Parse accepted; anything else it cannot
// represent becomes nil.
func Value(n *yaml.Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return Value(n.Content[0])
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = Value(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = Value(c)
		}
		return s
	case yaml.ScalarNode:
		return scalarValue(n)
	}
	return nil
}

func scalarValue(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
			return i
		}
		return n.Value
	case "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
		return n.Value
	case "!!bool":
		return n.Value == "true"
	case "!!null":
		return nil
	}
	return n.Value // strings, and dates/timestamps kept as their text
}

// Find follows a path of mapping keys and sequence indexes (as decimal
// strings, the way a JSON pointer names them) from n. It returns the key node
// of the last mapping step (nil for a sequence step) and the value node, or
// the deepest node reached when the path does not exist.
func Find(n *yaml.Node, path []string) (key, value *yaml.Node, found bool) {
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	value = n
	for _, step := range path {
		switch {
		case value == nil:
			return key, value, false
		case value.Kind == yaml.MappingNode:
			k, v := lookup(value, step)
			if v == nil {
				return key, value, false
			}
			key, value = k, v
		case value.Kind == yaml.SequenceNode:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(value.Content) {
				return key, value, false
			}
			key, value = nil, value.Content[i]
		default:
			return key, value, false
		}
	}
	return key, value, true
}

func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}
