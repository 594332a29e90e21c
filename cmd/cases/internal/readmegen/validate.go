package main

import (
	"fmt"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
)

// The validate area: the decode rule next to the schema's, the table of
// what the top of a repository may hold, and the validate part of the tour.
func init() {
	readerRules = append(readerRules, check.Rule{Name: casefile.RuleSchemaShape, Checks: "the document has the shape its kind needs where no finer rule says more", Example: "answers: a list instead of a mapping"})
	tables["layout"] = layoutTable
	register(part{order: 60, name: "validate", steps: validateSteps})
	tourFiles[brokenCase] = `# yaml-language-server: $schema=https://raw.githubusercontent.com/casesproject/cases/main/schema/case.schema.json
# The case header. Commands keep it up to date: prefer cases transition,
# cases risk --record and cases level to editing it by hand.

id: 2026-11-B4DR2
program: resettlement
worker: bem
# Date of enrollment.
opened: 2026-11-20
stage: intak
# Every stage move: from, to, when, by whom; forced moves say why.
stage-history:
  - to: intake
    at: 2026-11-24T10:00:00Z
    by: ben
`
}

// brokenCase is overwritten with a mistake by the step that shows it, and
// restored from git right after.
const brokenCase = "cases/2026-11/2026-11-B4DR2/case.yaml"

var validateSteps = []step{
	// The input files of earlier parts are not part of the repository.
	{text: "`validate` checks every document against its schema and the rules across documents, and prints nothing when all is well; the summary goes to standard error.",
		cmd: "cases validate"},
	{text: "Someone edits a case header by hand and makes two mistakes:",
		cmd: "cat " + brokenCase},
	{text: "Each problem is one line, sorted, naming the place, the rule and what is wrong but never the value; the exit status is 1. `--format github` turns the same problems into annotations in a GitHub Actions run, `--format junit` into a test report.",
		cmd: "cases validate"},
	{hide: true, cmd: "git checkout -- " + brokenCase},
}

func layoutTable() (string, error) {
	var b strings.Builder
	b.WriteString("| name | what it is for |\n|---|---|\n")
	for _, e := range check.TopLevel {
		fmt.Fprintf(&b, "| `%s` | %s |\n", e.Name, cell(e.What))
	}
	return b.String(), nil
}
