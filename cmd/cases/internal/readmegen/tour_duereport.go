package main

import (
	"fmt"
	"strings"

	"github.com/casesproject/cases/casefile/due"
)

// The due and report part of the tour. Besides the foundation's two
// households (2026-11-K7Q3M, reopened into assessment; 2026-11-B4DR2, in
// intake), its hidden steps open two more: 2026-09-M4RTQ, enrolled in
// September and closed today with its goal met, and 2026-10-T7N4P, Ben's,
// enrolled in October, called once and never assessed.
func init() {
	register(part{order: 70, name: "due-report", steps: dueReportSteps})
	tables["due-rules"] = dueRulesTable
}

const (
	m4 = "2026-09-M4RTQ"
	t7 = "2026-10-T7N4P"
)

var dueReportSteps = []step{
	{hide: true, cmd: "cases new --id " + m4 + " --date 2026-09-07 --name 'Lena Petrova' --dob 1992-02-18 --gender woman --language uk --interpreter --eligible --consent --referral-source self"},
	{hide: true, cmd: "cases transition " + m4 + " assessment"},
	{hide: true, cmd: "cases assess " + m4 + " --member m1 --answers ../m1-answers.yaml --date 2026-09-10"},
	{hide: true, cmd: "cases risk " + m4 + " --record"},
	{hide: true, cmd: "cases transition " + m4 + " planning"},
	{hide: true, cmd: "cases plan " + m4 + " goal add --domain employment --text 'Work as a nurse again' --measure 'job offer' --target 'contract signed' --due 2026-12-31 --owner client --client-chose"},
	{hide: true, cmd: "cases plan " + m4 + " agreement --worker-role 'Help with the licence' --client-role 'Take the language course'"},
	{hide: true, cmd: "cases plan " + m4 + " sign --client 2026-09-21 --worker 2026-09-21"},
	{hide: true, cmd: "cases transition " + m4 + " delivery"},
	{hide: true, cmd: "cases plan " + m4 + " goal set g1 --status met"},
	{hide: true, cmd: "cases close " + m4 + " --reason goals-met --destination permanent-housing --no-interview"},
	{hide: true, cmd: "cases new --id " + t7 + " --date 2026-10-05 --name 'Yusuf Karimi' --dob 1979-08-30 --gender man --language fa --interpreter --eligible --consent --worker ben --as ben"},
	{hide: true, cmd: "cases note " + t7 + " --type phone --at 2026-10-20T15:00:00Z -m 'Called about the documents for the benefit claim' --as ben"},
	{hide: true, cmd: "cases transition " + t7 + " assessment --as ben"},

	{text: "`cases due` lists what falls due within `deadlines.due-window-days` (14 unless set) or is overdue, the most urgent first, each with why. Ben's case has not been contacted for 35 days, its member is not assessed 50 days after enrollment, and it has no signed plan; Amina's household, reopened, is at the intensive level; Rosa's case has no level yet, so it is held to the shortest interval.",
		cmd: "cases due --format table"},
	{text: "One worker's list, only what is overdue, for a script:",
		cmd: "cases due --worker ben --overdue --format json"},
	{text: "`--format ics` is a calendar a caseworker can subscribe to: one all-day event per item, with a UID made of the case, the kind and the ref, so a refreshed calendar moves an event instead of adding one. Overdue items sit on today. Summaries and descriptions hold ids, dates and rules only.",
		cmd: "cases due --worker ana --format ics"},
	{text: "`cases report` computes the program's reports from the documents; here the caseload (the period is the year up to today unless `--from` and `--to` say otherwise):",
		cmd: "cases report caseload --format table"},
	{cmd: "cases report outcomes --format table"},
	{text: "Every number has a figure id; `--explain` lists the cases behind it, ids only.",
		cmd: "cases report --explain caseload.open.stage.assessment"},
	{text: "The equity report breaks the outcome and timeliness rates down by age band, gender, race and ethnicity, language, interpreter need and disability. Four households are far below the small-cell size of 11: every count is withheld, and so is anything that would reveal one. `--format csv --out DIR` writes one file per table:",
		cmd: "cases report --format csv --out ../report"},
	{cmd: "cat ../report/equity.assessed-on-time.gender.csv"},
}

// dueRulesTable is the README's table of what cases due lists.
func dueRulesTable() (string, error) {
	var b strings.Builder
	b.WriteString("| kind | for | due on | set by |\n|---|---|---|---|\n")
	for _, r := range due.Rules {
		setting := "the documents"
		if r.Setting != "" {
			setting = "`" + r.Setting + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.Kind, r.Applies, r.DueOn, setting)
	}
	return b.String(), nil
}
