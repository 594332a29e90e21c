// Package review is what CI runs on a pull request to a case repository
// (cases review BASE..HEAD): everything validate checks, on the cases the
// range changed, plus the rules only history can show: stage moves that
// skip the lifecycle, committed notes changed, closed cases edited,
// documents deleted, a case id changed, a stage history rewritten, commits
// by someone not on the staff list, unresolved merge conflicts, and forced
// moves listed for a supervisor.
//
// Every rule has a stable name and one row in Rules; the README's table is
// generated from it. Messages name fields, ids, stages and guards (words
// the schemas fix), never what a person wrote.
package review

import "github.com/casesproject/cases/casefile/diag"

// Rule describes one review rule.
type Rule struct {
	Name     string
	Checks   string // what it checks, in one line
	Example  string // a change that breaks it
	Severity diag.Severity
	Fix      string // what to do about it
}

// Rule names.
const (
	StageSkip             = "stage-skip"
	StageHistoryRewritten = "stage-history-rewritten"
	ForcedMove            = "forced-move"
	NoteEdited            = "note-edited"
	ClosedCaseEdited      = "closed-case-edited"
	DocumentDeleted       = "document-deleted"
	CaseIDChanged         = "case-id-changed"
	AuthorNotStaff        = "author-not-staff"
	MergeConflict         = "merge-conflict"
)

// Rules is the table of review rules, in the order the README lists them.
var Rules = []Rule{
	{StageSkip, "every stage move added in the range is one the lifecycle allows, from the stage the case was in, or is recorded as forced", "stage-history gains intake -> delivery without forced: true, or stage: changed with no stage-history entry", diag.Error,
		"move with cases transition (which checks the guards), or record the move as forced with a reason"},
	{StageHistoryRewritten, "the stage history at BASE is kept as it was: entries are only appended", "an earlier entry's date, stage or forced flag edited, or an entry removed", diag.Error,
		"restore the earlier entries (git checkout BASE -- case.yaml) and append a new move instead"},
	{ForcedMove, "lists every forced stage move added in the range, with the guards it overrode, for a supervisor to read its reason (a notice: it does not fail)", "cases transition ID delivery --force --reason ...", diag.Notice,
		"read the reason in case.yaml; nothing to fix if it stands"},
	{NoteEdited, "a note committed at BASE is neither changed nor deleted in the range: notes are append-only", "a typo fixed in place in an existing note, or a note removed", diag.Error,
		"restore it (git checkout BASE -- <note>) and write a new note that corrects it (cases note ID --corrects NOTE)"},
	{ClosedCaseEdited, "a case closed at BASE is not changed in the range unless it is reopened there", "a plan edited on a closed case", diag.Error,
		"reopen the case first (cases reopen ID --reason TEXT), or undo the change"},
	{DocumentDeleted, "no document that existed at BASE is deleted (a reopen may remove closure.yaml)", "git rm of an assessment or a whole case folder", diag.Error,
		"restore it (git checkout BASE -- <file>); correct documents instead of deleting them"},
	{CaseIDChanged, "a case's id in case.yaml is the same at HEAD as at BASE", "id: edited in case.yaml", diag.Error,
		"restore the id; a case never changes its id"},
	{AuthorNotStaff, "every commit in the range is authored by an email on the staff list in cases.yaml (at HEAD)", "a commit made with a personal email, or by someone not yet added to the staff list", diag.Error,
		"add the person to staff in cases.yaml, or have the change made again by a staff member (git commit --amend --reset-author)"},
	{MergeConflict, "no document holds git's conflict markers (<<<<<<<, =======, >>>>>>>) left by a merge", "a plan.yaml committed with both versions of a goal's status", diag.Error,
		"keep one of the two versions of the field the message names, delete the marker lines, commit"},
}

// RuleByName returns a rule of the table.
func RuleByName(name string) (Rule, bool) {
	for _, r := range Rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}
