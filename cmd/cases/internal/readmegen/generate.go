package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
	"github.com/casesproject/cases/casefile/lifecycle"
	"github.com/casesproject/cases/casefile/yamlx"
)

// tables maps a generated table's name to what produces it. Areas add
// their tables in their own files' init functions.
var tables = map[string]func() (string, error){
	"moves":  moves,
	"guards": guards,
	"rules":  rules,
}

// sections maps every generated section's name to what produces it: the
// tables, and one section per part of the tour.
func sections() map[string]func() (string, error) {
	all := map[string]func() (string, error){}
	for name, gen := range tables {
		all[name] = gen
	}
	for _, p := range parts {
		name := "tour"
		if p.name != "" {
			name += "-" + p.name
		}
		all[name] = func() (string, error) { return tourSection(p.name) }
	}
	return all
}

var sectionRE = regexp.MustCompile(`(?s)(<!-- BEGIN generated:([a-z-]+) -->\n).*?(<!-- END generated:([a-z-]+) -->)`)

// Generate fills every generated section of a README.
func Generate(readme []byte) ([]byte, error) {
	sections := sections()
	var firstErr error
	seen := map[string]bool{}
	out := sectionRE.ReplaceAllFunc(readme, func(m []byte) []byte {
		sub := sectionRE.FindSubmatch(m)
		name := string(sub[2])
		if string(sub[4]) != name {
			firstErr = fmt.Errorf("section %s ends with %s", name, sub[4])
			return m
		}
		gen, ok := sections[name]
		if !ok {
			firstErr = fmt.Errorf("unknown generated section %q", name)
			return m
		}
		seen[name] = true
		body, err := gen()
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("section %s: %w", name, err)
		}
		var b bytes.Buffer
		b.Write(sub[1])
		b.WriteString(strings.TrimRight(body, "\n") + "\n")
		b.Write(sub[3])
		return b.Bytes()
	})
	if firstErr != nil {
		return nil, firstErr
	}
	for name := range sections {
		if !seen[name] {
			return nil, fmt.Errorf("README has no generated section %q", name)
		}
	}
	return out, nil
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func moves() (string, error) {
	var b strings.Builder
	b.WriteString("| from | to | guards | meaning |\n|---|---|---|---|\n")
	for _, m := range lifecycle.Moves {
		g := "none"
		if len(m.Guards) > 0 {
			g = "`" + strings.Join(m.Guards, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", m.From, m.To, g, cell(m.Note))
	}
	return b.String(), nil
}

func guards() (string, error) {
	var b strings.Builder
	b.WriteString("| guard | requires | fix in |\n|---|---|---|\n")
	for _, g := range lifecycle.Guards {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", g.Name, cell(g.Requires), cell(g.File))
	}
	b.WriteString("\nA stage requires the guards of every move on the usual way to it:\n\n")
	b.WriteString("| stage | requires |\n|---|---|\n")
	for _, s := range casefile.Stages {
		req := lifecycle.Requirements(s)
		r := "an intake"
		if len(req) > 0 {
			r = "`" + strings.Join(req, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| %s | %s |\n", s, r)
	}
	return b.String(), nil
}

// readerRules describes the strict reader's and the schema's rules, which
// live as constants in their packages.
var readerRules = []check.Rule{
	{Name: yamlx.RuleSyntax, Checks: "the file is YAML", Example: "an unclosed [ or a tab used for indentation"},
	{Name: yamlx.RuleEncoding, Checks: "the file is UTF-8 text without control characters", Example: "a binary file named .yaml"},
	{Name: yamlx.RuleSize, Checks: "the file is at most 1 MiB", Example: "a pasted scan"},
	{Name: yamlx.RuleEmpty, Checks: "the file holds a document", Example: "an empty file"},
	{Name: yamlx.RuleMultiDoc, Checks: "the file holds one document", Example: "a second --- document"},
	{Name: yamlx.RuleAlias, Checks: "no anchors or aliases", Example: "&a and *a, or an alias bomb"},
	{Name: yamlx.RuleMergeKey, Checks: "no merge keys", Example: "<<: *defaults"},
	{Name: yamlx.RuleTag, Checks: "no explicit tags", Example: "!!str 012 or !custom"},
	{Name: yamlx.RuleKey, Checks: "keys are plain text", Example: "1: a, or true: a"},
	{Name: yamlx.RuleDuplicate, Checks: "no key appears twice in a mapping", Example: "stage: twice"},
	{Name: yamlx.RuleNumber, Checks: "numbers are plain decimal; anything else must be quoted", Example: "zip: 012345 (would read as octal), phone: +15551234"},
	{Name: yamlx.RuleDepth, Checks: "nesting at most 64 levels", Example: "a deeply nested list"},
	{Name: casefile.RuleSchemaLine, Checks: "the first line names the document's schema", Example: "a note whose first line names case.schema.json"},
	{Name: casefile.RuleSchemaUnknown, Checks: "every key is a field of the document", Example: "stauts: intake"},
	{Name: casefile.RuleSchemaRequired, Checks: "required fields are present", Example: "a case.yaml without stage"},
	{Name: casefile.RuleSchemaType, Checks: "values have the right type", Example: "minutes: thirty"},
	{Name: casefile.RuleSchemaEnum, Checks: "values are one of the allowed words", Example: "stage: finished"},
	{Name: casefile.RuleSchemaFormat, Checks: "dates are YYYY-MM-DD and timestamps carry a zone", Example: "at: 2026-11-24T10:00:00"},
	{Name: casefile.RuleSchemaPattern, Checks: "ids have their form", Example: "member: 2 instead of m2"},
	{Name: casefile.RuleSchemaLength, Checks: "text is neither empty where required nor too long", Example: "text: \"\""},
	{Name: casefile.RuleSchemaRange, Checks: "numbers are within their range", Example: "satisfaction: 7"},
	{Name: casefile.RuleSchemaItems, Checks: "lists have the required number of items", Example: "household: []"},
	{Name: casefile.RuleSchemaUnique, Checks: "list items that must differ do", Example: "urgent-needs: [food, food]"},
	{Name: casefile.RuleLayoutSymlink, Checks: "no symbolic links or special files", Example: "plan.yaml linking to a file outside"},
}

func rules() (string, error) {
	var b strings.Builder
	b.WriteString("| rule | checks | example of a mistake |\n|---|---|---|\n")
	all := append(append([]check.Rule{}, readerRules...), check.Rules...)
	all = append(all, answerRules...)
	seen := map[string]bool{}
	for _, r := range all {
		if seen[r.Name] {
			return "", fmt.Errorf("rule %s listed twice", r.Name)
		}
		seen[r.Name] = true
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.Name, cell(r.Checks), cell(r.Example))
	}
	return b.String(), nil
}

var answerRules = []check.Rule{
	{Name: casefile.RuleAnswerUnknown, Checks: "every answer names a question of its instrument", Example: "an answer to housing-stabilty"},
	{Name: casefile.RuleAnswerFit, Checks: "every answer fits its question: a point of the scale, an option, a number in range", Example: "housing-status: 7 on a five-point scale"},
	{Name: casefile.RuleAnswerRequired, Checks: "required questions that apply at the member's age are answered", Example: "no answer to safety-violence"},
}
