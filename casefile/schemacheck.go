package casefile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/casesproject/cases/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
)

// Rule names for schema problems and the first-line schema comment.
const (
	RuleSchemaLine     = "schema-line"
	RuleSchemaUnknown  = "schema-unknown-key"
	RuleSchemaRequired = "schema-required"
	RuleSchemaType     = "schema-type"
	RuleSchemaEnum     = "schema-enum"
	RuleSchemaFormat   = "schema-format"
	RuleSchemaPattern  = "schema-pattern"
	RuleSchemaLength   = "schema-length"
	RuleSchemaRange    = "schema-range"
	RuleSchemaItems    = "schema-items"
	RuleSchemaUnique   = "schema-unique"
	RuleSchemaShape    = "schema-shape"
)

var (
	compileOnce sync.Once
	compiled    map[Kind]*jsonschema.Schema
	compileErr  error
)

// schemas compiles every embedded schema once, with format assertions on
// (a date must be a real date, a timestamp must carry a zone).
func schemas() (map[Kind]*jsonschema.Schema, error) {
	compileOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		compiled = make(map[Kind]*jsonschema.Schema, len(Kinds))
		for _, k := range Kinds {
			data, err := fs.ReadFile(schema.FS, k.SchemaFile())
			if err != nil {
				compileErr = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				compileErr = fmt.Errorf("schema %s: %w", k.SchemaFile(), err)
				return
			}
			if err := c.AddResource(k.SchemaURL(), doc); err != nil {
				compileErr = err
				return
			}
		}
		for _, k := range Kinds {
			s, err := c.Compile(k.SchemaURL())
			if err != nil {
				compileErr = fmt.Errorf("schema %s: %w", k.SchemaFile(), err)
				return
			}
			compiled[k] = s
		}
	})
	return compiled, compileErr
}

// SchemaJSON returns the embedded schema of a kind, for export.
func SchemaJSON(k Kind) ([]byte, error) { return fs.ReadFile(schema.FS, k.SchemaFile()) }

// CheckSchemaLine checks that a document's first line names the schema of
// its kind. Any address is accepted as long as it ends in the kind's schema
// file name, so a team may point editors at a local copy made by
// `cases schema export`.
func CheckSchemaLine(path string, k Kind, data []byte) []diag.Problem {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	first = bytes.TrimSuffix(bytes.TrimPrefix(first, []byte("\ufeff")), []byte("\r"))
	line := string(first)
	if !strings.HasPrefix(line, SchemaLinePrefix) {
		return []diag.Problem{{Path: path, Line: 1, Col: 1, Rule: RuleSchemaLine,
			Message: "first line must be the schema comment: " + k.SchemaLine()}}
	}
	url := strings.TrimSpace(line[len(SchemaLinePrefix):])
	if url != k.SchemaURL() && !strings.HasSuffix(url, "/"+k.SchemaFile()) && url != k.SchemaFile() {
		return []diag.Problem{{Path: path, Line: 1, Col: len(SchemaLinePrefix) + 1, Rule: RuleSchemaLine,
			Message: "schema comment names the wrong schema; a " + string(k) + " document uses " + k.SchemaFile()}}
	}
	return nil
}

// CheckSchema validates a parsed document against its kind's schema and
// returns one problem per failure, located at the offending node.
func CheckSchema(doc *yamlx.Doc, k Kind) []diag.Problem {
	return checkSchemaValue(doc, k, yamlx.Value(doc.Node))
}

// checkSchemaValue is CheckSchema on the document's plain value, which the
// caller may use again.
func checkSchemaValue(doc *yamlx.Doc, k Kind, value any) []diag.Problem {
	all, err := schemas()
	if err != nil {
		// The embedded schemas are tested; this cannot happen in a release.
		return []diag.Problem{{Path: doc.Path, Line: 1, Col: 1, Rule: RuleSchemaShape, Message: "internal error: " + err.Error()}}
	}
	verr := all[k].Validate(value)
	if verr == nil {
		return nil
	}
	ve, ok := verr.(*jsonschema.ValidationError)
	if !ok {
		return []diag.Problem{{Path: doc.Path, Line: 1, Col: 1, Rule: RuleSchemaShape, Message: "document could not be checked against its schema"}}
	}
	var out []diag.Problem
	collect(doc, ve, &out)
	return out
}

func collect(doc *yamlx.Doc, ve *jsonschema.ValidationError, out *[]diag.Problem) {
	switch k := ve.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		for _, c := range ve.Causes {
			collect(doc, c, out)
		}
		return
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			key, _, _ := yamlx.Find(doc.Node, append(slices.Clone(ve.InstanceLocation), p))
			line, col := yamlx.Line(key)
			*out = append(*out, diag.Problem{Path: doc.Path, Line: line, Col: col, Rule: RuleSchemaUnknown,
				Message: fieldName(ve.InstanceLocation, p) + ": unknown field" + didYouMean(p)})
		}
		return
	}
	key, node, _ := yamlx.Find(doc.Node, ve.InstanceLocation)
	at := node
	rule, msg := describe(ve)
	if _, isRequired := ve.ErrorKind.(*kind.Required); isRequired && key != nil {
		at = key
	}
	line, col := yamlx.Line(at)
	*out = append(*out, diag.Problem{Path: doc.Path, Line: line, Col: col, Rule: rule, Message: msg})
}

// describe builds a message from the error's kind, the field's path and the
// schema's own values (allowed values, limits), never the document's value.
func describe(ve *jsonschema.ValidationError) (rule, msg string) {
	field := fieldName(ve.InstanceLocation, "")
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		return RuleSchemaRequired, field + ": missing required " + plural(len(k.Missing), "field", "fields") + " " + strings.Join(k.Missing, ", ")
	case *kind.Type:
		hint := ""
		if slices.Contains(k.Want, "string") && (k.Got == "number" || k.Got == "integer" || k.Got == "boolean") {
			hint = "; quote it to keep it as text"
		}
		if k.Got == "null" {
			hint = "; fill it in or remove the key"
		}
		return RuleSchemaType, field + ": is " + article(k.Got) + ", want " + strings.Join(k.Want, " or ") + hint
	case *kind.Enum:
		var want []string
		for _, w := range k.Want {
			want = append(want, fmt.Sprint(w))
		}
		return RuleSchemaEnum, field + ": must be one of " + strings.Join(want, ", ")
	case *kind.Const:
		return RuleSchemaEnum, field + ": must be " + fmt.Sprint(k.Want)
	case *kind.Format:
		switch k.Want {
		case "date":
			return RuleSchemaFormat, field + ": not a valid date; write YYYY-MM-DD"
		case "date-time":
			return RuleSchemaFormat, field + ": not a valid timestamp with a zone; write e.g. 2026-11-24T10:00:00Z or 2026-11-24T10:00:00-06:00"
		}
		return RuleSchemaFormat, field + ": not a valid " + k.Want
	case *kind.Pattern:
		return RuleSchemaPattern, field + ": not " + patternName(ve.SchemaURL)
	case *kind.PropertyNames:
		return RuleSchemaPattern, field + ": key " + strconv.Quote(safeKey(k.Property)) + " is not a valid id"
	case *kind.MinLength:
		if k.Want == 1 {
			return RuleSchemaLength, field + ": must not be empty"
		}
		return RuleSchemaLength, field + ": shorter than " + strconv.Itoa(k.Want) + " characters"
	case *kind.MaxLength:
		return RuleSchemaLength, field + ": longer than " + strconv.Itoa(k.Want) + " characters"
	case *kind.Minimum:
		return RuleSchemaRange, field + ": must be at least " + ratString(k.Want)
	case *kind.Maximum:
		return RuleSchemaRange, field + ": must be at most " + ratString(k.Want)
	case *kind.ExclusiveMinimum:
		return RuleSchemaRange, field + ": must be more than " + ratString(k.Want)
	case *kind.ExclusiveMaximum:
		return RuleSchemaRange, field + ": must be less than " + ratString(k.Want)
	case *kind.MinItems:
		return RuleSchemaItems, field + ": needs at least " + strconv.Itoa(k.Want) + " " + plural(k.Want, "item", "items")
	case *kind.MaxItems:
		return RuleSchemaItems, field + ": has more than " + strconv.Itoa(k.Want) + " items"
	case *kind.UniqueItems:
		return RuleSchemaUnique, field + ": items " + strconv.Itoa(k.Duplicates[0]+1) + " and " + strconv.Itoa(k.Duplicates[1]+1) + " are the same"
	case *kind.AnyOf, *kind.OneOf:
		return RuleSchemaShape, field + ": not any of the allowed forms (number, true/false, text, or a list of option ids)"
	case *kind.FalseSchema:
		return RuleSchemaUnknown, field + ": not allowed here"
	}
	return RuleSchemaShape, field + ": does not fit the schema"
}

// fieldName renders an instance location as household[0].name.given.
func fieldName(loc []string, extra string) string {
	var b strings.Builder
	for _, s := range append(slices.Clone(loc), extra) {
		if s == "" {
			continue
		}
		if _, err := strconv.Atoi(s); err == nil {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(safeKey(s))
	}
	if b.Len() == 0 {
		return "document"
	}
	return b.String()
}

var keyRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)

// safeKey shows a mapping key only when it looks like a field name; a key
// could itself be personal data typed in the wrong place.
func safeKey(k string) string {
	if keyRE.MatchString(k) {
		return k
	}
	return "(key not shown)"
}

// knownFields lists field names for suggestions, gathered from the schemas.
var knownFields = sync.OnceValue(func() []string {
	seen := map[string]bool{}
	for _, k := range Kinds {
		data, _ := SchemaJSON(k)
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				if props, ok := x["properties"].(map[string]any); ok {
					for name := range props {
						seen[name] = true
					}
				}
				for _, c := range x {
					walk(c)
				}
			case []any:
				for _, c := range x {
					walk(c)
				}
			}
		}
		var v any
		_ = json.Unmarshal(data, &v)
		walk(v)
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
})

// didYouMean suggests a known field name close to an unknown key (a typo
// such as stauts for status).
func didYouMean(key string) string {
	if !keyRE.MatchString(key) {
		return ""
	}
	best, bestD := "", 3
	for _, f := range knownFields() {
		if d := distance(key, f); d < bestD || (d == bestD && best == "" && d <= 2) {
			if d < bestD {
				best, bestD = f, d
			}
		}
	}
	if best == "" || best == key {
		return ""
	}
	return "; did you mean " + best + "?"
}

// distance is the optimal-string-alignment edit distance (a swap of two
// neighbouring letters counts once).
func distance(a, b string) int {
	if a == b {
		return 0
	}
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// patternName describes what a pattern expects, from the schema definition
// or property it belongs to.
func patternName(schemaURL string) string {
	_, frag, _ := strings.Cut(schemaURL, "#")
	parts := strings.Split(frag, "/")
	name := ""
	for i := len(parts) - 1; i >= 0; i-- {
		if p := parts[i]; p != "" && p != "pattern" && p != "properties" && p != "items" && p != "$defs" && p != "additionalProperties" && p != "propertyNames" {
			if _, err := strconv.Atoi(p); err != nil {
				name = p
				break
			}
		}
	}
	switch name {
	case "case-id", "id":
		if strings.Contains(frag, "case-id") {
			return "a case id such as 2026-11-K7Q3M"
		}
	case "slug":
		return "an id in lower-case kebab-case, such as general or food-bank"
	case "member-id":
		return "a member id such as m1"
	case "language":
		return "a language tag such as en, ar or fa-AF"
	case "note-id", "corrects":
		return "a note id such as 20261124T101500Z-K7Q3M"
	case "date":
		return "a date written YYYY-MM-DD"
	case "goal":
		return "a goal id such as g1"
	case "inputs-digest":
		return "a digest written sha256:<64 hex digits>"
	case "email":
		return "an email address"
	case "item":
		return "a maturity item id such as engagement.mature.emergency-protocol"
	}
	switch {
	case strings.Contains(frag, "goals"):
		return "a goal id such as g1"
	case strings.Contains(frag, "tasks"):
		return "a task id such as t1"
	case strings.Contains(frag, "referrals"), strings.Contains(frag, "referral"):
		return "a referral id such as r1"
	}
	return "in the expected form"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func article(t string) string {
	switch t {
	case "integer":
		return "an integer"
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "null":
		return "empty"
	}
	return "a " + t
}

func ratString(r interface{ FloatString(int) string }) string {
	s := strings.TrimRight(strings.TrimRight(r.FloatString(3), "0"), ".")
	if s == "" || s == "-" {
		return "0"
	}
	return s
}

// Check runs the strict reader, the schema-line check and the schema on one
// document's bytes. It returns the parsed document (nil when it could not be
// read) and every problem found.
func Check(path string, k Kind, data []byte) (*yamlx.Doc, []diag.Problem) {
	doc, _, problems := check(path, k, data)
	return doc, problems
}

// check is Check, also returning the document's plain value when the
// schema was checked (nil otherwise).
func check(path string, k Kind, data []byte) (*yamlx.Doc, any, []diag.Problem) {
	doc, problems := yamlx.Parse(path, data)
	if doc == nil {
		return nil, nil, problems
	}
	problems = append(problems, CheckSchemaLine(path, k, data)...)
	if len(problems) > 0 && hasReaderProblem(problems) {
		return doc, nil, problems
	}
	value := yamlx.Value(doc.Node)
	return doc, value, append(problems, checkSchemaValue(doc, k, value)...)
}

func hasReaderProblem(ps []diag.Problem) bool {
	for _, p := range ps {
		if strings.HasPrefix(p.Rule, "yaml-") {
			return true
		}
	}
	return false
}

// decode fills a typed struct from a checked node tree.
func decode[T any](n *yaml.Node) (T, error) {
	var v T
	err := n.Decode(&v)
	return v, err
}
