// Package check holds the rules that look across documents: references
// that must exist, dates that must be in order, file names that must match
// their content. Every rule has a stable name and is one row of the Rules
// table; the README's table of rules is generated from it.
//
// Messages are built from the rule and the location, never from a
// document's value.
package check

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
)

// Rule describes one check.
type Rule struct {
	Name    string // stable name printed with every problem
	Checks  string // what it checks, in one line
	Example string // a mistake that breaks it
}

// Rule names.
const (
	CaseID        = "case-id"
	FileName      = "file-name"
	RefWorker     = "ref-worker"
	RefProgram    = "ref-program"
	RefMember     = "ref-member"
	HouseholdSelf = "household-self"
	MemberUnique  = "member-unique"
	DateOrder     = "date-order"
	DateFuture    = "date-future"
)

// Rules is the table of cross-document rules (schema and YAML rules are
// listed by their own packages).
var Rules = []Rule{
	{CaseID, "the id in case.yaml matches the case folder, and the folder sits under the month the id names", "case.yaml says id: 2026-11-AAAAA inside cases/2026-11/2026-11-BBBBB/"},
	{FileName, "an assessment's file name matches its date and member; a note's file name matches its timestamp", "assessments/2026-11-30-m2.yaml whose member is m1"},
	{RefWorker, "every staff id (worker, author, assessor, signer) is on the staff list in cases.yaml", "worker: anna when the staff list has ana"},
	{RefProgram, "every program id is in cases.yaml", "program: shelter when cases.yaml has no such program"},
	{RefMember, "every member id names a member of the intake's household", "an assessment of m4 in a household of three"},
	{HouseholdSelf, "exactly one household member has relationship self (the client)", "two members marked self, or none"},
	{MemberUnique, "member ids are unique within the household", "two members with id m2"},
	{DateOrder, "dates are in order: birth before intake, intake before assessments, stage history in time order", "a date of birth after the intake date"},
	{DateFuture, "no date or timestamp lies in the future beyond a small tolerance", "an intake dated next month"},
}

// Checker checks case folders against the repository's configuration.
type Checker struct {
	Repo *casefile.Repo
	Cfg  *casefile.Config
	Now  time.Time
}

// New makes a checker for the repository at its current time.
func New(r *casefile.Repo) *Checker {
	return &Checker{Repo: r, Cfg: r.Config, Now: r.Now()}
}

// Folder returns every problem of a case folder: those found reading its
// documents, then the cross-document rules.
func (c *Checker) Folder(f *casefile.Folder) []diag.Problem {
	ps := slices.Clone(f.Problems)
	add := func(p diag.Problem) { ps = append(ps, p) }
	if f.Case != nil {
		c.caseHeader(f, add)
	}
	if f.Intake != nil {
		c.intake(f, add)
	}
	for _, a := range f.Assessments {
		c.assessment(f, a, add)
	}
	for _, n := range f.Notes {
		c.note(n, add)
	}
	return ps
}

type adder func(diag.Problem)

// at locates a path of keys in a document.
func at(d *yamlx.Doc, rule, msg string, path ...string) diag.Problem {
	_, n, _ := yamlx.Find(d.Node, path)
	line, col := yamlx.Line(n)
	return diag.Problem{Path: d.Path, Line: line, Col: col, Rule: rule, Message: msg}
}

func (c *Checker) staff(id string) bool {
	_, ok := c.Cfg.StaffByID(id)
	return ok
}

func (c *Checker) caseHeader(f *casefile.Folder, add adder) {
	d, h := f.Case, f.Case.Data
	if h.ID != f.ID {
		add(at(d.Doc, CaseID, "id does not match the case folder "+f.ID, "id"))
	}
	if h.Program != "" {
		if _, ok := c.Cfg.Program(h.Program); !ok {
			add(at(d.Doc, RefProgram, "program is not in cases.yaml", "program"))
		}
	}
	if h.Worker != "" && !c.staff(h.Worker) {
		add(at(d.Doc, RefWorker, "worker is not on the staff list in cases.yaml", "worker"))
	}
	c.future(d.Doc, add, h.Opened, "opened")
	var prev time.Time
	for i, m := range h.StageHistory {
		idx := fmt.Sprint(i)
		if m.By != "" && !c.staff(m.By) {
			add(at(d.Doc, RefWorker, fmt.Sprintf("stage-history[%d].by is not on the staff list", i), "stage-history", idx, "by"))
		}
		t, err := time.Parse(time.RFC3339, m.At)
		if err != nil {
			continue
		}
		if !prev.IsZero() && t.Before(prev) {
			add(at(d.Doc, DateOrder, fmt.Sprintf("stage-history[%d] is earlier than the move before it", i), "stage-history", idx, "at"))
		}
		prev = t
		c.futureTime(d.Doc, add, t, "stage-history", idx, "at")
	}
}

func (c *Checker) intake(f *casefile.Folder, add adder) {
	d, in := f.Intake, f.Intake.Data
	if in.Worker != "" && !c.staff(in.Worker) {
		add(at(d.Doc, RefWorker, "worker is not on the staff list in cases.yaml", "worker"))
	}
	c.future(d.Doc, add, in.Date, "date")
	selves := 0
	seen := map[string]bool{}
	for i, m := range in.Household {
		idx := fmt.Sprint(i)
		if m.Relationship == "self" {
			selves++
		}
		if seen[m.ID] {
			add(at(d.Doc, MemberUnique, fmt.Sprintf("household[%d] repeats a member id", i), "household", idx, "id"))
		}
		seen[m.ID] = true
		if m.DOB != "" {
			if m.DOB > in.Date && in.Date != "" {
				add(at(d.Doc, DateOrder, fmt.Sprintf("household[%d].dob is after the intake date", i), "household", idx, "dob"))
			}
			c.future(d.Doc, add, m.DOB, "household", idx, "dob")
		}
	}
	if selves != 1 {
		add(at(d.Doc, HouseholdSelf, fmt.Sprintf("the household has %d members with relationship self; the client must be exactly one", selves), "household"))
	}
	for i, e := range in.Eligibility {
		idx := fmt.Sprint(i)
		if _, ok := c.Cfg.Program(e.Program); !ok {
			add(at(d.Doc, RefProgram, fmt.Sprintf("eligibility[%d].program is not in cases.yaml", i), "eligibility", idx, "program"))
		}
		if !c.staff(e.By) {
			add(at(d.Doc, RefWorker, fmt.Sprintf("eligibility[%d].by is not on the staff list", i), "eligibility", idx, "by"))
		}
		c.future(d.Doc, add, e.Decided, "eligibility", idx, "decided")
	}
}

func (c *Checker) assessment(f *casefile.Folder, d *casefile.Doc[casefile.Assessment], add adder) {
	a := d.Data
	loc := casefile.Locate(d.Path)
	if loc.Name[0] != a.Date || loc.Name[1] != a.Member {
		add(at(d.Doc, FileName, "file name must be <date>-<member>.yaml of the assessment's own date and member", "date"))
	}
	if a.Assessor != "" && !c.staff(a.Assessor) {
		add(at(d.Doc, RefWorker, "assessor is not on the staff list", "assessor"))
	}
	if f.Intake != nil {
		if f.Intake.Data.Member(a.Member) == nil {
			add(at(d.Doc, RefMember, "member is not in the intake's household", "member"))
		}
		if a.Date < f.Intake.Data.Date {
			add(at(d.Doc, DateOrder, "assessment date is before the intake date", "date"))
		}
	}
	c.future(d.Doc, add, a.Date, "date")
}

func (c *Checker) note(d *casefile.Doc[casefile.Note], add adder) {
	n := d.Data
	loc := casefile.Locate(d.Path)
	t, err := time.Parse(time.RFC3339, n.At)
	if err == nil && t.UTC().Format("20060102T150405Z") != loc.Name[0] {
		add(at(d.Doc, FileName, "file name must start with the note's timestamp in UTC (yyyymmddThhmmssZ)", "at"))
	}
	if n.Author != "" && !c.staff(n.Author) {
		add(at(d.Doc, RefWorker, "author is not on the staff list", "author"))
	}
	if err == nil {
		c.futureTime(d.Doc, add, t, "at")
	}
}

// future flags a date later than today plus the tolerance.
func (c *Checker) future(d *yamlx.Doc, add adder, date string, path ...string) {
	if date == "" {
		return
	}
	t, err := casefile.ParseDate(date, c.Now.Location())
	if err != nil {
		return
	}
	tol := time.Duration(c.Cfg.Deadlines.FutureToleranceMinutes) * time.Minute
	if t.After(c.Now.Add(tol)) {
		add(at(d, DateFuture, strings.Join(path, ".")+" is in the future", path...))
	}
}

func (c *Checker) futureTime(d *yamlx.Doc, add adder, t time.Time, path ...string) {
	tol := time.Duration(c.Cfg.Deadlines.FutureToleranceMinutes) * time.Minute
	if t.After(c.Now.Add(tol)) {
		add(at(d, DateFuture, strings.Join(path, ".")+" is in the future", path...))
	}
}

// Introduced returns the problems in after that were not in before,
// comparing rule, path and message (not position: an edit moves lines).
// Commands that change a document refuse only what the change introduced.
func Introduced(before, after []diag.Problem) []diag.Problem {
	key := func(p diag.Problem) string { return p.Path + "\x00" + p.Rule + "\x00" + p.Message }
	old := map[string]int{}
	for _, p := range before {
		old[key(p)]++
	}
	var out []diag.Problem
	for _, p := range after {
		if old[key(p)] > 0 {
			old[key(p)]--
			continue
		}
		out = append(out, p)
	}
	return out
}
