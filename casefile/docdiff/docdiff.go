// Package docdiff compares case documents field by field, the way a
// supervisor reads a change: `goals[g2].status: in-progress -> met`, not a
// line diff of YAML. Items of lists are matched by their id (g1, t1, r1,
// m1, ...) or another key that names them, never by position, so
// inserting a goal does not show every later goal as changed; histories,
// which only grow, are matched by position. Comments, key order and
// formatting are not changes.
//
// It also shows values with no more personal data than a reader needs
// (see fields.go) and explains merge conflicts in case terms (conflict.go).
package docdiff

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// Op is what happened to a field or an item.
type Op string

// The operations.
const (
	Added   Op = "added"
	Removed Op = "removed"
	Changed Op = "changed"
)

// Change is one field or list item that differs.
type Change struct {
	Path  string // "goals[g2].status", "stage-history[3]", "answers.housing-status"
	Op    Op
	Old   any // the value before (plain values, see yamlx.Value); nil when added
	New   any // the value after; nil when removed
	Line  int // where it is in the document after (before, for a removal)
	Field string

	oldNode, newNode *yaml.Node // for showing maps in the document's key order
}

// Diff compares two documents' top-level nodes (nil for a document that
// does not exist) and returns what changed, in document order.
func Diff(old, new *yaml.Node) []Change {
	d := &differ{}
	d.node("", "", unwrap(old), unwrap(new))
	return d.out
}

func unwrap(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return n.Content[0]
	}
	return n
}

type differ struct{ out []Change }

func (d *differ) add(c Change) { d.out = append(d.out, c) }

// node compares two values at path; field is the key they are under.
func (d *differ) node(path, field string, a, b *yaml.Node) {
	switch {
	case a == nil && b == nil:
		return
	case a == nil:
		if b.Kind == yaml.MappingNode && path == "" {
			d.mapping(path, emptyMap, b)
			return
		}
		if b.Kind == yaml.SequenceNode && len(b.Content) > 0 && !allScalars(b) {
			d.sequence(path, field, emptySeq, b)
			return
		}
		d.add(Change{Path: path, Op: Added, New: yamlx.Value(b), Line: b.Line, Field: field, newNode: b})
		return
	case b == nil:
		if a.Kind == yaml.MappingNode && path == "" {
			d.mapping(path, a, emptyMap)
			return
		}
		if a.Kind == yaml.SequenceNode && len(a.Content) > 0 && !allScalars(a) {
			d.sequence(path, field, a, emptySeq)
			return
		}
		d.add(Change{Path: path, Op: Removed, Old: yamlx.Value(a), Line: a.Line, Field: field, oldNode: a})
		return
	}
	switch {
	case a.Kind == yaml.MappingNode && b.Kind == yaml.MappingNode:
		d.mapping(path, a, b)
	case a.Kind == yaml.SequenceNode && b.Kind == yaml.SequenceNode && !allScalars(a) && !allScalars(b):
		d.sequence(path, field, a, b)
	default:
		va, vb := yamlx.Value(a), yamlx.Value(b)
		if !reflect.DeepEqual(va, vb) {
			d.add(Change{Path: path, Op: Changed, Old: va, New: vb, Line: b.Line, Field: field, oldNode: a, newNode: b})
		}
	}
}

var (
	emptyMap = &yaml.Node{Kind: yaml.MappingNode}
	emptySeq = &yaml.Node{Kind: yaml.SequenceNode}
)

func (d *differ) mapping(path string, a, b *yaml.Node) {
	for i := 0; i+1 < len(b.Content); i += 2 {
		k := b.Content[i].Value
		d.node(dot(path, k), k, get(a, k), b.Content[i+1])
	}
	for i := 0; i+1 < len(a.Content); i += 2 {
		k := a.Content[i].Value
		if get(b, k) == nil {
			d.node(dot(path, k), k, a.Content[i+1], nil)
		}
	}
}

func get(m *yaml.Node, k string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return m.Content[i+1]
		}
	}
	return nil
}

func dot(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func allScalars(s *yaml.Node) bool {
	for _, n := range s.Content {
		if n.Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}

// itemKeys names the field that identifies the items of lists that have
// no id field, by the list's own name.
var itemKeys = map[string]string{
	"goals":       "goal", // closure.yaml reviews goals by their id
	"eligibility": "program",
	"sharing":     "partner",
}

// keyOf returns the field that identifies every item of the lists: "id"
// when every item of each has a distinct one, else the list's known key; ""
// when items can only be matched by position.
func keyOf(field string, lists ...[]*yaml.Node) string {
	for _, k := range []string{"id", itemKeys[field]} {
		if k == "" {
			continue
		}
		ok, any := true, false
		for _, items := range lists {
			if len(items) == 0 {
				continue
			}
			any = true
			ok = ok && distinct(items, k)
		}
		if ok && any {
			return k
		}
	}
	return ""
}

func distinct(items []*yaml.Node, k string) bool {
	if len(items) == 0 {
		return false
	}
	seen := map[string]bool{}
	for _, it := range items {
		if it.Kind != yaml.MappingNode {
			return false
		}
		v := get(it, k)
		if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" || seen[v.Value] {
			return false
		}
		seen[v.Value] = true
	}
	return true
}

func (d *differ) sequence(path, field string, a, b *yaml.Node) {
	key := keyOf(field, a.Content, b.Content)
	if key == "" {
		for i := range max(len(a.Content), len(b.Content)) {
			var x, y *yaml.Node
			if i < len(a.Content) {
				x = a.Content[i]
			}
			if i < len(b.Content) {
				y = b.Content[i]
			}
			d.node(path+"["+strconv.Itoa(i)+"]", field, x, y)
		}
		return
	}
	at := func(s *yaml.Node, id string) *yaml.Node {
		for _, it := range s.Content {
			if v := get(it, key); v != nil && v.Value == id {
				return it
			}
		}
		return nil
	}
	for _, it := range b.Content {
		id := get(it, key).Value
		d.node(fmt.Sprintf("%s[%s]", path, id), field, at(a, id), it)
	}
	for _, it := range a.Content {
		id := get(it, key).Value
		if at(b, id) == nil {
			d.node(fmt.Sprintf("%s[%s]", path, id), field, it, nil)
		}
	}
}
