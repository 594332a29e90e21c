package lifecycle

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
)

// Rules that refuse a change for lifecycle reasons other than a guard.
const (
	// RuleMove refuses a move that is not in Moves (unless forced).
	RuleMove = "lifecycle-move"
	// RuleClosedCase refuses any change to a closed case but a reopen.
	RuleClosedCase = "closed-case"
)

// Needs lists the guards a move from one stage to another must pass: the
// move's own guards and every guard the new stage requires, less the guards
// a forced move earlier in the case's history overrode. Checking the new
// stage's requirements as well as the move's keeps a case's stage in
// agreement with its documents whichever way it got there.
func Needs(c *casefile.Case, to string) []string {
	var names []string
	if m, ok := Find(c.Stage, to); ok {
		names = append(names, m.Guards...)
	}
	for _, n := range Requirements(to) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	skip := Overridden(c)
	return slices.DeleteFunc(names, func(n string) bool { return slices.Contains(skip, n) })
}

// Allowed lists the stages a case in a stage may move to without --force.
func Allowed(from string) []string {
	var out []string
	for _, m := range Moves {
		if m.From == from {
			out = append(out, m.To)
		}
	}
	return out
}

// GuardError refuses a move, or a change that would leave a case's stage
// disagreeing with its documents: it names each failing guard, what is
// missing and which file to fix. Commands exit 1 for it.
type GuardError struct {
	Case     string
	From, To string // the move refused; To is empty for a change that is not a move
	NotMove  bool   // the move is not one of Moves
	Failures []Failure
}

// Refused marks the error as a refusal (exit status 1).
func (e *GuardError) Refused() bool { return true }

// Rule is the name of the first rule that refused.
func (e *GuardError) Rule() string {
	if e.NotMove {
		return RuleMove
	}
	if len(e.Failures) > 0 {
		return e.Failures[0].Guard
	}
	return RuleMove
}

func (e *GuardError) Error() string {
	var b strings.Builder
	switch {
	case e.To == "":
		fmt.Fprintf(&b, "this change would leave case %s in stage %s without what the stage requires:", e.Case, e.From)
	case e.NotMove:
		fmt.Fprintf(&b, "%s: %s -> %s is not an allowed move; from %s a case may move to %s", RuleMove, e.From, e.To, e.From, strings.Join(Allowed(e.From), ", "))
		if len(e.Failures) > 0 {
			b.WriteString("; and it lacks:")
		}
	default:
		fmt.Fprintf(&b, "case %s cannot move from %s to %s:", e.Case, e.From, e.To)
	}
	for _, f := range e.Failures {
		fmt.Fprintf(&b, "\n  %s: %s", f.Guard, f.Message())
	}
	if e.To != "" {
		b.WriteString("\nfix the documents, or override with --force --reason TEXT (the stage history records it)")
	} else if e.From == "delivery" || e.From == "monitoring" {
		b.WriteString("\nto revise the plan, move the case back first: cases transition " + e.Case + " planning")
	}
	return b.String()
}

// GoalReport says what keeps one goal of a plan from being SMART.
type GoalReport struct {
	Goal   string
	Status string
	Gaps   []string
}

// CheckGoals reports every goal of a plan that is not dropped or finished,
// with the gaps in its structure (GoalGaps) and its timing on a day
// (GoalTimeGaps, with goals due further than maxDays away flagged).
func CheckGoals(p *casefile.Plan, today time.Time, maxDays int) []GoalReport {
	out := []GoalReport{}
	for _, g := range p.Goals {
		if g.Status == "dropped" {
			continue
		}
		gaps := GoalGaps(g)
		if !doneGoal(g.Status) {
			gaps = append(gaps, GoalTimeGaps(g, today, maxDays)...)
		}
		out = append(out, GoalReport{Goal: g.ID, Status: g.Status, Gaps: gaps})
	}
	return out
}
