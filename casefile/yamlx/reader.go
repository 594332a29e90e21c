// Package yamlx is the one door through which cases reads and writes YAML.
//
// Plain YAML decoding changes data without a word: `zip: 012345` becomes an
// octal number, an unquoted date becomes a time value, a second `---`
// document is ignored, and an alias bomb expands. Case records cannot
// tolerate that, so Parse decodes into a yaml.Node tree and refuses anything
// that could change a value silently or hide content:
//
//   - anchors, aliases and merge keys (`<<`);
//   - explicit tags (`!!str 012`, `!custom x`): quote the value instead;
//   - more than one document, and an empty document;
//   - keys that are not plain strings, and duplicate keys;
//   - integers that are not plain decimal (leading zeros, a leading `+`,
//     `0x`, `0o`, underscores) and NaN or infinities;
//   - files over MaxSize bytes, nesting deeper than MaxDepth, invalid UTF-8
//     and control characters.
//
// Dates and timestamps stay strings (their text, never a time value). Every
// refusal is a diag.Problem with a line, a column and a rule name; messages
// never quote the document's values.
package yamlx

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/casesproject/cases/casefile/diag"
	"go.yaml.in/yaml/v3"
)

const (
	// MaxSize is the largest document the reader accepts, in bytes.
	MaxSize = 1 << 20
	// MaxDepth is the deepest nesting of mappings and sequences accepted.
	MaxDepth = 64
)

// Rule names reported by the reader.
const (
	RuleSize      = "yaml-size"
	RuleEncoding  = "yaml-encoding"
	RuleSyntax    = "yaml-syntax"
	RuleEmpty     = "yaml-empty"
	RuleMultiDoc  = "yaml-multiple-documents"
	RuleAlias     = "yaml-alias"
	RuleTag       = "yaml-tag"
	RuleMergeKey  = "yaml-merge-key"
	RuleKey       = "yaml-key"
	RuleDuplicate = "yaml-duplicate-key"
	RuleNumber    = "yaml-number"
	RuleDepth     = "yaml-depth"
)

// Doc is a parsed document: the document node and the path it came from.
type Doc struct {
	Path string
	Node *yaml.Node // a yaml.DocumentNode
}

// Root returns the document's top-level node (nil if the document is empty).
func (d *Doc) Root() *yaml.Node {
	if d == nil || d.Node == nil || len(d.Node.Content) == 0 {
		return nil
	}
	return d.Node.Content[0]
}

// Parse reads one YAML document strictly. It returns the document and the
// problems found; when any problem is returned the document must not be
// trusted (it is nil for problems that stop parsing).
func Parse(path string, data []byte) (doc *Doc, problems []diag.Problem) {
	report := func(line, col int, rule, msg string) {
		problems = append(problems, diag.Problem{Path: path, Line: line, Col: col, Rule: rule, Message: msg})
	}
	if len(data) > MaxSize {
		report(1, 1, RuleSize, "document is larger than "+strconv.Itoa(MaxSize>>20)+" MiB")
		return nil, problems
	}
	if line, col, msg, ok := checkEncoding(data); !ok {
		report(line, col, RuleEncoding, msg)
		return nil, problems
	}
	if len(bytes.TrimSpace(data)) == 0 {
		report(1, 1, RuleEmpty, "document is empty")
		return nil, problems
	}

	var node yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := safeDecode(dec, &node); errors.Is(err, io.EOF) {
		report(1, 1, RuleEmpty, "document is empty")
		return nil, problems
	} else if err != nil {
		line, msg := syntaxError(err)
		report(line, firstColumn(data, line), RuleSyntax, msg)
		return nil, problems
	}
	var extra yaml.Node
	switch err := safeDecode(dec, &extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		line, msg := syntaxError(err)
		report(line, firstColumn(data, line), RuleSyntax, msg)
		return nil, problems
	default:
		report(separatorLine(data, extra), 1, RuleMultiDoc, "more than one YAML document; a file holds exactly one")
		return nil, problems
	}
	if len(node.Content) == 0 || isNull(node.Content[0]) {
		report(1, 1, RuleEmpty, "document is empty")
		return nil, problems
	}
	walk(node.Content[0], 1, report)
	return &Doc{Path: path, Node: &node}, problems
}

// separatorLine finds the `---` line that starts the extra document.
func separatorLine(data []byte, extra yaml.Node) int {
	end := extra.Line
	if len(extra.Content) > 0 {
		end = extra.Content[0].Line
	}
	sep := 0
	for i, l := range bytes.Split(data, []byte("\n")) {
		if i+1 > end && sep > 0 {
			break
		}
		if bytes.HasPrefix(l, []byte("---")) && i > 0 {
			sep = i + 1
			if i+1 >= end {
				break
			}
		}
	}
	if sep == 0 {
		return max(end, 1)
	}
	return sep
}

// safeDecode decodes one document, turning a panic in the YAML library into
// an error so hostile input can never crash a command.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("yaml: the YAML parser could not read this document")
		}
	}()
	return dec.Decode(n)
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError turns a YAML library error into a line and a message without
// any quoted document text.
func syntaxError(err error) (int, string) {
	msg := err.Error()
	line := 1
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	// The parser's messages are fixed phrases, but some name an anchor or a
	// token in quotes: drop anything quoted so no document text leaks.
	msg = quotedRE.ReplaceAllString(msg, "…")
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return line, "YAML syntax error: " + msg
}

var quotedRE = regexp.MustCompile("'[^']*'|`[^`]*`|\"[^\"]*\"")

// firstColumn returns the column of the first non-blank character of a line.
func firstColumn(data []byte, line int) int {
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return 1
		}
		data = data[j+1:]
	}
	col := 1
	for _, c := range data {
		if c != ' ' && c != '\t' {
			break
		}
		col++
	}
	return col
}

// checkEncoding refuses invalid UTF-8 and control characters other than tab,
// newline and carriage return, with their position.
func checkEncoding(data []byte) (line, col int, msg string, ok bool) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		if c := data[i]; c >= 0x20 && c < 0x7f { // printable ASCII, the common case
			i++
			col++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, col, "not valid UTF-8 text", false
		case r == '\n':
			line++
			col = 0
		case r == '\t' || r == '\r' || (r == '\ufeff' && i == 0):
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return line, col, "control character in text; is this a binary file?", false
		}
		i += size
		col++
	}
	return 0, 0, "", true
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Style&yaml.TaggedStyle == 0
}

var decimalRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

// walk checks every node under n.
func walk(n *yaml.Node, depth int, report func(line, col int, rule, msg string)) {
	if depth > MaxDepth {
		report(n.Line, n.Column, RuleDepth, "nesting deeper than "+strconv.Itoa(MaxDepth)+" levels")
		return
	}
	if n.Anchor != "" {
		report(n.Line, n.Column, RuleAlias, "anchors are not allowed; write the value out in full")
	}
	if n.Style&yaml.TaggedStyle != 0 {
		report(n.Line, n.Column, RuleTag, "explicit tags are not allowed; quote the value if it is text")
	}
	switch n.Kind {
	case yaml.AliasNode:
		report(n.Line, n.Column, RuleAlias, "aliases are not allowed; write the value out in full")
	case yaml.MappingNode:
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			switch {
			case k.Kind == yaml.ScalarNode && k.Tag == "!!merge":
				report(k.Line, k.Column, RuleMergeKey, "merge keys (<<) are not allowed; write the keys out in full")
			case k.Kind != yaml.ScalarNode || k.Tag != "!!str":
				report(k.Line, k.Column, RuleKey, "keys must be plain text")
			case seen[k.Value]:
				report(k.Line, k.Column, RuleDuplicate, "key appears twice in this mapping")
			}
			if k.Kind == yaml.ScalarNode {
				seen[k.Value] = true
			}
			if k.Anchor != "" || k.Kind == yaml.AliasNode {
				report(k.Line, k.Column, RuleAlias, "anchors and aliases are not allowed")
			}
			walk(n.Content[i+1], depth+1, report)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			walk(c, depth+1, report)
		}
	case yaml.ScalarNode:
		checkScalar(n, report)
	}
}

func checkScalar(n *yaml.Node, report func(line, col int, rule, msg string)) {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return
	}
	switch n.Tag {
	case "!!int":
		if !decimalRE.MatchString(n.Value) {
			report(n.Line, n.Column, RuleNumber, "number is not plain decimal (leading zero, sign, base prefix or underscore); quote it if it is text such as a phone number or a code")
			return
		}
		if _, err := strconv.ParseInt(n.Value, 10, 64); err != nil {
			report(n.Line, n.Column, RuleNumber, "number is too large; quote it if it is text")
		}
	case "!!float":
		if decimalRE.MatchString(n.Value) {
			report(n.Line, n.Column, RuleNumber, "number is too large; quote it if it is text")
			return
		}
		v := strings.ToLower(strings.TrimLeft(n.Value, "+-"))
		if v == ".nan" || v == ".inf" || strings.Contains(v, "_") || strings.HasPrefix(n.Value, "+") {
			report(n.Line, n.Column, RuleNumber, "number is not plain decimal (NaN, infinity, sign or underscore); quote it if it is text")
		}
	}
}

// Line returns the 1-based line and column of a node, or 1,1.
func Line(n *yaml.Node) (int, int) {
	if n == nil || n.Line == 0 {
		return 1, 1
	}
	return n.Line, n.Column
}
