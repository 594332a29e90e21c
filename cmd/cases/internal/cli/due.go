package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/casesproject/cases/casefile/due"
	"github.com/spf13/cobra"
)

type dueOptions struct {
	worker  string
	within  int
	overdue bool
}

func init() { register(newDueCmd) }

func newDueCmd(f *factory) *cobra.Command {
	opts := &dueOptions{within: -1}
	cmd := &cobra.Command{
		Use:   "due",
		Short: "List what falls due: contacts, assessments, tasks, goals, referrals, check-ins",
		Long: `Due lists everything in the caseload that falls due within a window
(deadlines.due-window-days in cases.yaml, 14 days unless set) or is already
overdue, the most urgent first, each with why: the contact the case's level
calls for, assessments and reassessments, an unsigned plan, tasks and goals
with due dates, referrals with no answer, and follow-up check-ins.

Formats: table (default on a terminal), tsv (default when piped), json, and
ics: an iCalendar file of all-day events a calendar can subscribe to. Each
event's UID is made from the case id, the kind and the ref, so a refreshed
calendar updates its events instead of adding new ones; an overdue item is
placed on today. Summaries name the case id, the kind and goal or task ids
only, never a client's details.`,
		Example: `  cases due
  cases due --worker ana --within 7
  cases due --overdue --format json
  cases due --worker ana --format ics > ana.ics`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("within") && opts.within < 0 {
				return usagef("--within must be a number of days, 0 or more")
			}
			return dueRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.worker, "worker", "", "only cases of this worker (staff id)")
	fl.IntVar(&opts.within, "within", -1, "items due within this many days (default: deadlines.due-window-days)")
	fl.BoolVar(&opts.overdue, "overdue", false, "only items whose due date has passed")
	return cmd
}

func dueRun(f *factory, opts *dueOptions) error {
	format, err := f.format("table", "tsv", "json", "ics")
	if err != nil {
		return err
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	if opts.worker != "" {
		if _, ok := r.Config.StaffByID(opts.worker); !ok {
			return usagef("no staff member %q in cases.yaml", opts.worker)
		}
	}
	within := opts.within
	if within < 0 {
		within = r.Config.Deadlines.DueWindowDays
	}
	now := r.Now()
	res, err := due.Collect(context.Background(), r, due.Options{Today: now, Worker: opts.worker, Within: within, Overdue: opts.overdue})
	if err != nil {
		return err
	}
	if res.Unreadable > 0 {
		fmt.Fprintf(f.io.ErrOut, "cases: %d %s could not be read; run cases validate\n", res.Unreadable, pluralize(res.Unreadable, "case", "cases"))
	}
	switch format {
	case "json":
		return writeJSON(f.io.Out, res.Items)
	case "ics":
		return writeICS(f.io.Out, res.Items, now, opts.worker)
	}
	header := []string{"DUE", "WHEN", "CASE", "WORKER", "KIND", "REF", "WHY"}
	rows := make([][]string, 0, len(res.Items))
	for _, it := range res.Items {
		rows = append(rows, []string{it.Due, when(it.Days), it.Case, it.Worker, it.Kind, orDash(it.Ref), it.Why})
	}
	if format == "tsv" {
		return writeTSV(f.io.Out, []string{"due", "days", "case", "worker", "kind", "ref", "why"}, tsvDays(res.Items, rows))
	}
	if len(rows) == 0 {
		what := fmt.Sprintf("due within %d days", within)
		if opts.overdue {
			what = "overdue"
		}
		fmt.Fprintf(f.io.ErrOut, "nothing %s in %d %s\n", what, res.Cases, pluralize(res.Cases, "case", "cases"))
		return nil
	}
	if err := writeTable(f.io.Out, header, rows); err != nil {
		return err
	}
	overdue := 0
	for _, it := range res.Items {
		if it.Overdue() {
			overdue++
		}
	}
	fmt.Fprintf(f.io.ErrOut, "%d %s, %d overdue, in %d %s\n", len(res.Items), pluralize(len(res.Items), "item", "items"), overdue, res.Cases, pluralize(res.Cases, "case", "cases"))
	return nil
}

// when says how far away a due date is, in words.
func when(days int) string {
	switch {
	case days == 0:
		return "today"
	case days == -1:
		return "1 day overdue"
	case days < 0:
		return strconv.Itoa(-days) + " days overdue"
	case days == 1:
		return "tomorrow"
	}
	return "in " + strconv.Itoa(days) + " days"
}

// tsvDays replaces the words of the WHEN column with the signed number of
// days, which scripts can compare.
func tsvDays(items []due.Item, rows [][]string) [][]string {
	for i, it := range items {
		rows[i][1] = strconv.Itoa(it.Days)
	}
	return rows
}

// writeICS writes the items as an iCalendar file of all-day events.
func writeICS(w io.Writer, items []due.Item, now time.Time, worker string) error {
	cal := ics.NewCalendarFor("casesproject")
	cal.SetProductId("-//casesproject//cases due//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	name := "cases due"
	if worker != "" {
		name += " (" + worker + ")"
	}
	cal.SetXWRCalName(name)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for _, it := range items {
		day, err := time.Parse(time.DateOnly, it.Due)
		if err != nil {
			continue
		}
		what := it.Kind
		if it.Ref != "" {
			what += " " + it.Ref
		}
		if it.Goal != "" {
			what += " (goal " + it.Goal + ")"
		}
		summary := it.Case + ": " + what + " due"
		desc := it.Why + ". Due " + it.Due + "."
		if it.Overdue() {
			// An overdue item is placed on today, and moves with each
			// refresh until it is done: it is today's work.
			summary = it.Case + ": " + what + " overdue since " + it.Due
			desc = it.Why + ". Due " + it.Due + ", " + when(it.Days) + "."
			day = today
		}
		e := cal.AddEvent(it.UID())
		e.SetDtStampTime(now)
		e.SetAllDayStartAt(day)
		e.SetAllDayEndAt(day.AddDate(0, 0, 1))
		e.SetSummary(summary)
		e.SetDescription(desc)
		e.AddProperty(ics.ComponentPropertyCategories, it.Kind)
		e.SetTimeTransparency(ics.TransparencyTransparent)
	}
	return cal.SerializeTo(w)
}
