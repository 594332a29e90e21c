package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/docdiff"
	"github.com/casesproject/cases/casefile/review"
)

// The review part of the tour: Ben works on a branch, a supervisor reads
// the case's log and last change, then reviews the branch as CI would.
func init() {
	register(part{order: 80, name: "review", steps: reviewSteps})
	tables["review-rules"] = reviewRules
	tables["diff-fields"] = diffFields
	tourFiles["note.patch"] = notePatch
	tourFiles["monday.patch"] = mondayPatch
}

const reviewNote = "cases/2026-11/2026-11-W2PQM/notes/20261124T093000Z-PH2NE.yaml"

var reviewSteps = []step{
	{hide: true, cmd: "cases new --id 2026-11-W2PQM --name 'Yusuf Demir' --dob 1975-06-30 --phone 555-0142 --eligible --consent --quiet --as ben"},
	{hide: true, cmd: "git apply ../note.patch"},
	{hide: true, cmd: "git add cases"},
	{hide: true, cmd: "git -c user.email=ben@example.org -c user.name=Ben commit -q -m 'phone note'"},
	{hide: true, cmd: "git switch -q -c ben/monday"},
	{hide: true, cmd: "cases level 2026-11-W2PQM targeted --reason 'lease ends this month, no new flat yet' --as ben"},
	{hide: true, cmd: "git apply ../monday.patch"},
	{hide: true, cmd: "git -c user.email=ben.okafor@mail.example -c user.name=Ben commit -q -a -m 'fix the viewing day'"},
	{text: "Ben has worked on a branch, `ben/monday`. Before it is merged, a supervisor reads what happened to the case: `cases log` lists its commits newest first, with what each did, read from the documents (stage moves, notes, plan items by id, risk, level; never what people wrote). A commit made by hand with git is attributed all the same.",
		cmd: "cases log 2026-11-W2PQM --format table"},
	{text: "`cases diff` shows a change field by field: here the last commit, which edited a note already committed. Free text is shortened to its first words; `--full` shows it all.",
		cmd: "cases diff 2026-11-W2PQM"},
	{text: "`cases review` checks the branch as CI does on the pull request: everything `validate` checks on the cases it changes, and what only history shows. Exit status 1: the note must be restored and corrected with a new note, and the commit made again by a staff member.",
		cmd: "cases review main..ben/monday"},
	{hide: true, cmd: "git switch -q main"},
}

const notePatch = `--- /dev/null
+++ b/` + reviewNote + `
@@ -0,0 +1,7 @@
+# yaml-language-server: $schema=https://raw.githubusercontent.com/casesproject/cases/main/schema/note.schema.json
+at: 2026-11-24T09:30:00Z
+author: ben
+type: phone
+minutes: 15
+text: Called about the lease. The landlord will show a two-bedroom flat
+  on Friday; Yusuf will bring his pay slips.
`

const mondayPatch = `--- a/` + reviewNote + `
+++ b/` + reviewNote + `
@@ -5,3 +5,3 @@
 minutes: 15
 text: Called about the lease. The landlord will show a two-bedroom flat
-  on Friday; Yusuf will bring his pay slips.
+  on Saturday; Yusuf will bring his pay slips.
`

func reviewRules() (string, error) {
	var b strings.Builder
	b.WriteString("| rule | checks | example | fails |\n|---|---|---|---|\n")
	for _, r := range review.Rules {
		fails := "yes"
		if r.Severity == diag.Notice {
			fails = "no: a notice"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.Name, cell(r.Checks), cell(r.Example), fails)
	}
	return b.String(), nil
}

func diffFields() (string, error) {
	var b strings.Builder
	b.WriteString("| fields | shown as |\n|---|---|\n")
	for _, f := range docdiff.Fields {
		how := "its first words (at most " + fmt.Sprint(docdiff.ShortText) + " characters) and its length; where two versions begin alike, the words around the first difference"
		switch {
		case f.Class == docdiff.Identifying && slices.Contains(f.Names, "given"):
			how = "the initial"
		case f.Class == docdiff.Identifying:
			how = "`***`"
		}
		fmt.Fprintf(&b, "| `%s`: %s | %s |\n", strings.Join(f.Names, "`, `"), cell(f.What), how)
	}
	return b.String(), nil
}
