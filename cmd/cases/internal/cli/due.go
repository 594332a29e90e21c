package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
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
		return writeJSONItems(f.io.Out, res)
	case "ics":
		return writeICS(f.io.Out, res.Items(), now, opts.worker)
	case "tsv":
		if err := writeTSV(f.io.Out, []string{"due", "days", "case", "worker", "kind", "ref", "why"}, nil); err != nil {
			return err
		}
		return res.Each(func(it due.Item) error {
			return writeTSV(f.io.Out, []string{it.Due, strconv.Itoa(it.Days), it.Case, it.Worker, it.Kind, orDash(it.Ref), it.Why}, nil) // one line
		})
	}
	if res.Len() == 0 {
		what := fmt.Sprintf("due within %d days", within)
		if opts.overdue {
			what = "overdue"
		}
		fmt.Fprintf(f.io.ErrOut, "nothing %s in %d %s\n", what, res.Cases, pluralize(res.Cases, "case", "cases"))
		return nil
	}
	rows := make([][]string, 0, res.Len())
	overdue := 0
	_ = res.Each(func(it due.Item) error {
		rows = append(rows, []string{it.Due, when(it.Days), it.Case, it.Worker, it.Kind, orDash(it.Ref), it.Why})
		if it.Overdue() {
			overdue++
		}
		return nil
	})
	if err := writeTable(f.io.Out, []string{"DUE", "WHEN", "CASE", "WORKER", "KIND", "REF", "WHY"}, rows); err != nil {
		return err
	}
	fmt.Fprintf(f.io.ErrOut, "%d %s, %d overdue, in %d %s\n", res.Len(), pluralize(res.Len(), "item", "items"), overdue, res.Cases, pluralize(res.Cases, "case", "cases"))
	return nil
}

// writeJSONItems prints the items as a JSON array, one item at a time.
func writeJSONItems(w io.Writer, res *due.Result) error {
	if res.Len() == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	sep := "\n"
	err := res.Each(func(it due.Item) error {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("  ", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(it); err != nil {
			return err
		}
		_, err := io.WriteString(w, sep+"  "+strings.TrimRight(b.String(), "\n"))
		sep = ",\n"
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n]\n")
	return err
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
