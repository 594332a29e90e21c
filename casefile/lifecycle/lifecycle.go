// Package lifecycle holds the stages a case moves through, the moves
// allowed between them, and the guards that must hold for a move: each
// guard is a named rule in one table (Guards), and the README's table is
// generated from it.
//
// Guards are written so that once they hold they keep holding as the case
// moves on (a reassessment does not undo "risk recorded"), so validate can
// check that a case's stage agrees with its documents at any time: a stage
// requires every guard on the way to it (Requirements), except the guards a
// forced move overrode, which the stage history names. One exception:
// risk-recorded turns false when a member is assessed for the first time
// after the risk was recorded (only possible once household-assessed was
// forced over); the risk must then be recorded again in the same change.
package lifecycle

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
)

// Guard names.
const (
	IntakeEligibleConsented = "intake-eligible-consented"
	HouseholdAssessed       = "household-assessed"
	RiskRecorded            = "risk-recorded"
	PlanSMART               = "plan-smart"
	AgreementSigned         = "agreement-signed"
	ServicesUnderWay        = "services-under-way"
	ClosureComplete         = "closure-complete"
	FollowUpScheduled       = "follow-up-scheduled"
)

// Guard is one named condition of a move.
type Guard struct {
	Name     string
	Requires string // what must hold, in one line (for the README table)
	File     string // the document to fix when it does not hold
	check    func(f *casefile.Folder) (missing []string)
}

// Guards is the table of every lifecycle guard.
var Guards = []Guard{
	{IntakeEligibleConsented, "the intake records the client as eligible for the case's program and consenting to services", "intake.yaml", intakeEligibleConsented},
	{HouseholdAssessed, "every household member has at least one assessment", "assessments/<date>-<member>.yaml", householdAssessed},
	{RiskRecorded, "a risk score is recorded in case.yaml, on or after the day the last member's first assessment was done", "case.yaml (cases risk ID --record)", riskRecorded},
	{PlanSMART, "the plan has at least one goal, and every goal that is not dropped has a measure, a target, an owner and a due date", "plan.yaml (cases plan ID goal)", planSMART},
	{AgreementSigned, "the plan's agreement states the worker's and the client's roles and is signed by both", "plan.yaml (cases plan ID agreement, cases plan ID sign)", agreementSigned},
	{ServicesUnderWay, "some service has started: a task in progress or done, a referral that was ever accepted or completed, or a service note", "plan.yaml or notes/ (cases plan, cases note --type service)", servicesUnderWay},
	{ClosureComplete, "closure.yaml records a date and reason and reviews every goal of the plan; an ineligible client was referred out", "closure.yaml (cases close)", closureComplete},
	{FollowUpScheduled, "closure.yaml schedules at least one follow-up check-in", "closure.yaml (cases close --check-in DATE)", followUpScheduled},
}

// GuardByName returns the guard with the name.
func GuardByName(name string) (Guard, bool) {
	for _, g := range Guards {
		if g.Name == name {
			return g, true
		}
	}
	return Guard{}, false
}

// Move is an allowed change of stage and the guards it needs.
type Move struct {
	From, To string
	Guards   []string
	Note     string // what the move means, for the README
}

// openStages are the stages of a case still being served.
var openStages = []string{"intake", "assessment", "planning", "delivery", "monitoring"}

// Moves lists every allowed move; any other move is refused unless forced.
var Moves = func() []Move {
	m := []Move{
		{"intake", "assessment", []string{IntakeEligibleConsented}, "eligible, consented intake"},
		{"assessment", "planning", []string{HouseholdAssessed, RiskRecorded}, "household assessed and risk recorded"},
		{"planning", "delivery", []string{PlanSMART, AgreementSigned}, "SMART plan, agreement signed"},
		{"delivery", "monitoring", []string{ServicesUnderWay}, "services under way"},
		{"monitoring", "delivery", nil, "back to delivering services"},
		{"delivery", "planning", nil, "plan revision"},
		{"monitoring", "planning", nil, "plan revision"},
	}
	for _, s := range openStages {
		m = append(m,
			Move{s, "closed", []string{ClosureComplete}, "closure (from intake: ineligible, referred out)"},
			Move{s, "follow-up", []string{ClosureComplete, FollowUpScheduled}, "closure with follow-up check-ins"})
	}
	m = append(m,
		Move{"follow-up", "closed", nil, "follow-up finished"},
		Move{"closed", "assessment", nil, "reopen (with a reason)"},
		Move{"follow-up", "assessment", nil, "reopen (with a reason)"},
	)
	return m
}()

// Find returns the move from one stage to another, if it is allowed.
func Find(from, to string) (Move, bool) {
	for _, m := range Moves {
		if m.From == from && m.To == to {
			return m, true
		}
	}
	return Move{}, false
}

// Requirements lists the guards a case in the stage must satisfy: those of
// every move on the usual way to it.
func Requirements(stage string) []string {
	switch stage {
	case "assessment":
		return []string{IntakeEligibleConsented}
	case "planning":
		return []string{IntakeEligibleConsented, HouseholdAssessed, RiskRecorded}
	case "delivery":
		return []string{IntakeEligibleConsented, HouseholdAssessed, RiskRecorded, PlanSMART, AgreementSigned}
	case "monitoring":
		return []string{IntakeEligibleConsented, HouseholdAssessed, RiskRecorded, PlanSMART, AgreementSigned, ServicesUnderWay}
	case "follow-up":
		return []string{ClosureComplete, FollowUpScheduled}
	case "closed":
		return []string{ClosureComplete}
	}
	return nil
}

// Failure is a guard that does not hold, with what is missing.
type Failure struct {
	Guard   string
	File    string   // document to fix
	Missing []string // what is missing, in words (never document values)
}

// Message says what is missing and which file to fix.
func (f Failure) Message() string {
	return strings.Join(f.Missing, "; ") + "; fix " + f.File
}

// Evaluate checks the named guards on a case folder.
func Evaluate(f *casefile.Folder, names []string) []Failure {
	var out []Failure
	for _, n := range names {
		g, ok := GuardByName(n)
		if !ok {
			continue
		}
		if missing := g.check(f); len(missing) > 0 {
			out = append(out, Failure{Guard: g.Name, File: g.File, Missing: missing})
		}
	}
	return out
}

// Overridden lists the guards forced moves in the stage history overrode.
func Overridden(c *casefile.Case) []string {
	var out []string
	for _, m := range c.StageHistory {
		if m.Forced {
			out = append(out, m.Guards...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// StageFailures are the guards the case's current stage requires that its
// documents do not satisfy, leaving out the ones a forced move overrode.
func StageFailures(f *casefile.Folder) []Failure {
	if f.Case == nil {
		return nil
	}
	c := &f.Case.Data
	skip := Overridden(c)
	var names []string
	for _, n := range Requirements(c.Stage) {
		if !slices.Contains(skip, n) {
			names = append(names, n)
		}
	}
	return Evaluate(f, names)
}

func intakeEligibleConsented(f *casefile.Folder) []string {
	if f.Intake == nil {
		return []string{"no intake.yaml"}
	}
	var missing []string
	program := ""
	if f.Case != nil {
		program = f.Case.Data.Program
	}
	if !f.Intake.Data.Eligible(program) {
		missing = append(missing, "no eligibility decision marking the client eligible for program "+program)
	}
	if c := f.Intake.Data.Consent.Services; c == nil || !c.Given {
		missing = append(missing, "no consent to services (consent.services.given)")
	}
	return missing
}

// members lists household member ids.
func members(f *casefile.Folder) []string {
	if f.Intake == nil {
		return nil
	}
	var ids []string
	for _, m := range f.Intake.Data.Household {
		ids = append(ids, m.ID)
	}
	return ids
}

// firstAssessed maps each member to the date of their first assessment.
func firstAssessed(f *casefile.Folder) map[string]string {
	first := map[string]string{}
	for _, a := range f.Assessments {
		m, d := a.Data.Member, a.Data.Date
		if first[m] == "" || d < first[m] {
			first[m] = d
		}
	}
	return first
}

func householdAssessed(f *casefile.Folder) []string {
	if f.Intake == nil {
		return []string{"no intake.yaml to name the household"}
	}
	first := firstAssessed(f)
	var missing []string
	for _, m := range members(f) {
		if first[m] == "" {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return []string{"no assessment of " + strings.Join(missing, ", ")}
}

func riskRecorded(f *casefile.Folder) []string {
	if f.Case == nil || f.Case.Data.Risk == nil {
		return []string{"no risk recorded"}
	}
	at, err := time.Parse(time.RFC3339, f.Case.Data.Risk.At)
	if err != nil {
		return []string{"the recorded risk has no valid time"}
	}
	last := ""
	for _, d := range firstAssessed(f) {
		last = max(last, d)
	}
	if last != "" && at.Format(time.DateOnly) < last {
		return []string{"risk was recorded before the household's assessments were done; record it again"}
	}
	return nil
}

// GoalGaps says what keeps a goal from being SMART in structure: a measure,
// a target, an owner (a partner goal names its partner) and a due date.
func GoalGaps(g casefile.Goal) []string {
	var gaps []string
	if strings.TrimSpace(g.Measure) == "" {
		gaps = append(gaps, "no measure")
	}
	if strings.TrimSpace(g.Target) == "" {
		gaps = append(gaps, "no target")
	}
	if g.Owner == "" {
		gaps = append(gaps, "no owner")
	} else if g.Owner == "partner" && g.Partner == "" {
		gaps = append(gaps, "owner is a partner but no partner is named")
	}
	if g.Due == "" {
		gaps = append(gaps, "no due date")
	}
	return gaps
}

// GoalTimeGaps adds what keeps a goal from being time-bound on a day: a due
// date already past, or further away than maxDays.
func GoalTimeGaps(g casefile.Goal, today time.Time, maxDays int) []string {
	if g.Due == "" {
		return nil
	}
	due, err := casefile.ParseDate(g.Due, today.Location())
	if err != nil {
		return []string{"due date is not a date"}
	}
	switch days := casefile.DaysBetween(today, due); {
	case days < 0 && !doneGoal(g.Status):
		return []string{"due date has passed"}
	case days > maxDays:
		return []string{fmt.Sprintf("due date is more than %d days away", maxDays)}
	}
	return nil
}

func doneGoal(status string) bool {
	return status == "met" || status == "partly-met" || status == "not-met" || status == "dropped"
}

func planSMART(f *casefile.Folder) []string {
	if f.Plan == nil {
		return []string{"no plan.yaml"}
	}
	active := 0
	var missing []string
	for _, g := range f.Plan.Data.Goals {
		if g.Status == "dropped" {
			continue
		}
		active++
		if gaps := GoalGaps(g); len(gaps) > 0 {
			missing = append(missing, "goal "+g.ID+": "+strings.Join(gaps, ", "))
		}
	}
	if active == 0 {
		missing = append(missing, "the plan has no goals")
	}
	return missing
}

func agreementSigned(f *casefile.Folder) []string {
	if f.Plan == nil {
		return []string{"no plan.yaml"}
	}
	a := f.Plan.Data.Agreement
	if a == nil {
		return []string{"the plan has no agreement"}
	}
	var missing []string
	if strings.TrimSpace(a.WorkerRole) == "" {
		missing = append(missing, "the worker's role is not stated")
	}
	if strings.TrimSpace(a.ClientRole) == "" {
		missing = append(missing, "the client's role is not stated")
	}
	if a.Signed.Client == "" {
		missing = append(missing, "not signed by the client")
	}
	if a.Signed.Worker == "" {
		missing = append(missing, "not signed by the worker")
	}
	return missing
}

func servicesUnderWay(f *casefile.Folder) []string {
	if f.Plan != nil {
		for _, t := range f.Plan.Data.Tasks {
			if t.Status == "in-progress" || t.Status == "done" {
				return nil
			}
		}
		// A referral that was ever accepted or completed counts even when
		// it ended otherwise later, so the guard stays true once true.
		for _, r := range f.Plan.Data.Referrals {
			if startedReferral(r.Status) {
				return nil
			}
			for _, h := range r.History {
				if startedReferral(h.Status) {
					return nil
				}
			}
		}
	}
	for _, n := range f.Notes {
		if n.Data.Type == "service" {
			return nil
		}
	}
	return []string{"no task in progress or done, no referral accepted or completed, and no service note"}
}

func startedReferral(status string) bool { return status == "accepted" || status == "completed" }

func closureComplete(f *casefile.Folder) []string {
	if f.Closure == nil {
		return []string{"no closure.yaml"}
	}
	c := f.Closure.Data
	var missing []string
	if f.Plan != nil {
		reviewed := map[string]bool{}
		for _, g := range c.Goals {
			reviewed[g.Goal] = true
		}
		var unreviewed []string
		for _, g := range f.Plan.Data.Goals {
			if g.Status != "dropped" && !reviewed[g.ID] {
				unreviewed = append(unreviewed, g.ID)
			}
		}
		if len(unreviewed) > 0 {
			missing = append(missing, "goals not reviewed: "+strings.Join(unreviewed, ", "))
		}
	}
	if c.Reason == "ineligible-referred" {
		referred := len(c.ReferralsOut) > 0
		if f.Intake != nil {
			for _, e := range f.Intake.Data.Eligibility {
				if !e.Eligible && e.ReferralOut != nil {
					referred = true
				}
			}
		}
		if !referred {
			missing = append(missing, "an ineligible client needs a referral out (intake eligibility referral-out, or closure referrals-out)")
		}
	}
	return missing
}

func followUpScheduled(f *casefile.Folder) []string {
	if f.Closure == nil {
		return []string{"no closure.yaml"}
	}
	if len(f.Closure.Data.FollowUp) == 0 {
		return []string{"no follow-up check-in scheduled"}
	}
	return nil
}
