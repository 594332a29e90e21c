package docdiff

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// Class says how much of a field's value may be shown.
type Class int

const (
	// Plain values are shown as they are: ids, dates, stages, statuses,
	// numbers, yes/no answers.
	Plain Class = iota
	// Text is free text a person wrote about a client: shown shortened to
	// its first words.
	Text
	// Identifying values name or reach a person: names show their initial,
	// the others are masked.
	Identifying
)

// Field is one row of the table of fields that are not plain.
type Field struct {
	Names []string // field names (the last key of a path)
	Class Class
	What  string // what they hold, for the README
}

// Fields lists, by field name, the values diff shortens or masks unless
// --full. The free-text fields are the strings the JSON Schemas leave
// unconstrained (no enum, pattern or format); the identifying ones name
// or reach a person.
var Fields = []Field{
	{[]string{"given", "family", "preferred"}, Identifying, "names of household members"},
	{[]string{"dob", "phone", "email", "address"}, Identifying, "date of birth and contact details"},
	{[]string{"text", "client-view", "strengths", "feedback", "reason", "reason-note", "note", "outcome"}, Text, "what a note, an assessment or a closure says about the client, and why a move, an override or an eligibility decision was made"},
	{[]string{"medical", "psychological", "social"}, Text, "the brief histories taken at intake"},
	{[]string{"measure", "target", "worker-role", "client-role", "organization-role", "plan", "description", "resources-given", "services", "scope", "comment"}, Text, "goals, the agreement, supports, resources and the future-contact plan in the worker's words"},
	{[]string{"answers"}, Text, "answers to text questions of an instrument (scale points, options and yes/no answers are plain)"},
}

// ClassOf returns the class of a field by its name.
func ClassOf(field string) Class {
	for _, f := range Fields {
		if slices.Contains(f.Names, field) {
			return f.Class
		}
	}
	return Plain
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ShortText is how many characters of free text are shown.
const ShortText = 20

// ShowOld renders the value before a change for a reader: plain values
// as they are, free text shortened, identifying values masked (all of it
// as it is when full). Maps and lists are shown in YAML flow style, in the
// document's key order, each field by its own class.
func (c Change) ShowOld(full bool) string { return c.show(c.Old, c.oldNode, full) }

// ShowNew renders the value after a change (see ShowOld).
func (c Change) ShowNew(full bool) string { return c.show(c.New, c.newNode, full) }

// ShowPair renders both sides of a change. Where two free texts begin
// alike, each is shown from a little before the first difference, so the
// reader sees what changed and still not the whole text.
func (c Change) ShowPair(full bool) (old, new string) {
	a, okA := c.Old.(string)
	b, okB := c.New.(string)
	if full || !okA || !okB || classAt(c.Path, c.Field) != Text || slugRE.MatchString(a) || slugRE.MatchString(b) {
		return c.ShowOld(full), c.ShowNew(full)
	}
	ra, rb := []rune(a), []rune(b)
	d := 0
	for d < len(ra) && d < len(rb) && ra[d] == rb[d] {
		d++
	}
	if d < ShortText/2 {
		return c.ShowOld(full), c.ShowNew(full)
	}
	start := d - 6
	for start > 0 && ra[start-1] != ' ' && d-start < 12 {
		start--
	}
	return window(ra, start), window(rb, start)
}

// window shows ShortText characters of a text from start, marking what is
// left out on either side, and the text's length.
func window(r []rune, start int) string {
	end := min(len(r), start+ShortText)
	s := "…" + strings.ReplaceAll(string(r[start:end]), "\n", " ")
	if end < len(r) {
		s += "…"
	}
	return fmt.Sprintf("%q (%d characters)", s, len(r))
}

func (c Change) show(v any, n *yaml.Node, full bool) string {
	if n != nil {
		v = ordered(n)
	}
	return show(classAt(c.Path, c.Field), c.Field, v, full)
}

// orderedMap is a map with its keys in document order.
type orderedMap struct {
	keys []string
	vals map[string]any
}

// ordered is yamlx.Value keeping the key order of mappings.
func ordered(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := orderedMap{vals: map[string]any{}}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			m.keys = append(m.keys, k)
			m.vals[k] = ordered(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = ordered(c)
		}
		return s
	}
	return yamlx.Value(n)
}

// classAt is the class of the field at path: answers take the answers'
// class, other fields their own.
func classAt(path, field string) Class {
	if path == "answers" || strings.HasPrefix(path, "answers.") {
		return Text
	}
	return ClassOf(field)
}

func show(class Class, field string, v any, full bool) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, fieldOrder)
		return showMap(class, field, orderedMap{keys, x}, full)
	case orderedMap:
		return showMap(class, field, x, full)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = show(class, field, e, full)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case string:
		if full {
			return quote(x)
		}
		switch {
		case class == Identifying && isName(field):
			r, _ := utf8.DecodeRuneInString(x)
			return string(r) + "."
		case class == Identifying:
			return "***"
		case class == Text && slugRE.MatchString(x) && len(x) <= 40:
			return x // an option id such as with-others
		case class == Text:
			return shorten(x)
		}
		return quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func showMap(class Class, field string, m orderedMap, full bool) string {
	parts := make([]string, len(m.keys))
	for i, k := range m.keys {
		c := ClassOf(k)
		if c == Plain && field == "answers" {
			c = Text // an answer's class depends on its value (see show)
		}
		parts[i] = k + ": " + show(max(c, classUnder(class, k)), k, m.vals[k], full)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// classUnder is the class a whole map passes to its fields: a name map is
// identifying throughout.
func classUnder(parent Class, key string) Class {
	if parent == Identifying {
		return Identifying
	}
	return Plain
}

func isName(field string) bool {
	return field == "given" || field == "family" || field == "preferred" || field == "name"
}

// fieldOrder puts id first, then the usual leading keys, then the rest by
// name, so flow maps read the same every time.
func fieldOrder(a, b string) int {
	rank := func(k string) int {
		switch k {
		case "id":
			return 0
		case "from":
			return 1
		case "to":
			return 2
		}
		return 3
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra - rb
	}
	return strings.Compare(a, b)
}

// shorten keeps the first words of a text, up to ShortText characters, and
// says how long it was.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= ShortText && !strings.ContainsAny(s, "\n") {
		return quote(s)
	}
	runes := []rune(strings.ReplaceAll(s, "\n", " "))
	cut := string(runes[:min(len(runes), ShortText)])
	if i := strings.LastIndexByte(cut, ' '); i > ShortText/2 {
		cut = cut[:i]
	}
	return fmt.Sprintf("%q (%d characters)", strings.TrimSpace(cut)+"…", utf8.RuneCountInString(s))
}

// quote shows a string as it is unless it could be misread inside a flow
// map or list (or holds a character that is not printable), then
// double-quoted.
func quote(s string) string {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, "{}[]\"#'") ||
		strings.Contains(s, ", ") || strings.Contains(s, ": ") || strings.IndexFunc(s, notPrintable) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

func notPrintable(r rune) bool { return !unicode.IsPrint(r) }
