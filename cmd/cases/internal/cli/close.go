package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/casework"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/spf13/cobra"
)

type closeOptions struct {
	id          string
	in          casework.ClosureInput
	goals       []string
	interview   string
	noInterview bool
	told        bool
	feedback    string
	satisfied   int
	referred    bool
	from        string
	edit        bool
	final       bool
	force       bool
	forceReason string
	noCommit    bool
}

func init() {
	register(newCloseCmd)
	register(newReopenCmd)
}

func newCloseCmd(f *factory) *cobra.Command {
	opts := &closeOptions{}
	cmd := &cobra.Command{
		Use:   "close ID --reason REASON",
		Short: "Close a case: closure.yaml, then follow-up or closed",
		Long: `Close records closure.yaml and moves the case in the same commit: to
follow-up when check-ins are scheduled (--check-in DATE), else to closed.
The closure comes from flags, a YAML file (--from FILE, or - for standard
input), the case's closure.yaml if it has one, or $EDITOR (--edit), in
that order of precedence for each field.

Goals of the plan whose status is already met, partly-met or not-met are
reviewed with that result; review the others with --goal g1=partly-met.
The move needs closure-complete (a date, a reason, every goal reviewed, a
referral out for an ineligible client) and, for follow-up,
follow-up-scheduled. --force --force-reason TEXT overrides them.

--final ends follow-up (follow-up -> closed). A follow-up note can end it
too (see cases note). Reasons: ` + strings.Join(casework.ClosureReasons, ", ") + `.`,
		Example: `  cases close 2026-11-K7Q3M --reason goals-met --destination permanent-housing \
      --interview today --told-in-advance --satisfaction 5 --feedback "Felt listened to" \
      --resource "Tenant rights leaflet" --continuing "english classes" \
      --future-contact "Call the office if anything changes" --signed-client today --signed-worker today \
      --check-in 2027-01-15 --check-in 2027-03-15
  cases close 2026-11-B4DR2 --reason ineligible-referred --referral-out county-legal-aid/advice
  cases close 2026-11-K7Q3M --final`,
		Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			if opts.force && strings.TrimSpace(opts.forceReason) == "" {
				return usagef("--force needs --force-reason TEXT: the stage history records why the guards were overridden")
			}
			if opts.final {
				for _, n := range []string{"reason", "from", "edit", "check-in", "goal", "interview"} {
					if cmd.Flags().Changed(n) {
						return usagef("--final only ends follow-up; it takes no closure fields (change closure.yaml with cases edit %s closure)", opts.id)
					}
				}
				return closeFinalRun(f, opts)
			}
			if opts.interview != "" && opts.noInterview {
				return usagef("--interview and --no-interview cannot be used together")
			}
			if opts.edit && opts.from == "-" {
				return usagef("--edit and --from - cannot be used together")
			}
			for _, g := range opts.goals {
				goal, result, ok := strings.Cut(g, "=")
				if !ok {
					return usagef("--goal takes GOAL=RESULT, e.g. g1=met")
				}
				opts.in.Goals = append(opts.in.Goals, casework.GoalReview{Goal: goal, Result: result})
			}
			if opts.interview != "" || opts.noInterview || cmd.Flags().Changed("told-in-advance") || opts.feedback != "" || opts.satisfied != 0 {
				opts.in.Interview = &casework.InterviewInput{Held: !opts.noInterview, Date: opts.interview,
					ToldInAdvance: boolFlag(cmd, "told-in-advance", opts.told), Feedback: opts.feedback, Satisfaction: opts.satisfied}
			}
			opts.in.ContinuingReferred = boolFlag(cmd, "continuing-referred", opts.referred)
			return closeRun(f, opts)
		},
	}
	fl := cmd.Flags()
	in := &opts.in
	fl.StringVar(&in.Reason, "reason", "", "why the case closes: "+strings.Join(casework.ClosureReasons, ", "))
	fl.StringVar(&in.ReasonNote, "reason-note", "", "the reason in a few words")
	fl.StringVar(&in.Date, "date", "", "closure date (default today)")
	fl.StringVar(&in.Destination, "destination", "", strings.Join(casework.Destinations, ", "))
	fl.StringArrayVar(&opts.goals, "goal", nil, "review a goal: GOAL=met|partly-met|not-met (repeat)")
	fl.StringVar(&opts.interview, "interview", "", "the close-out interview was held on DATE (or today)")
	fl.BoolVar(&opts.noInterview, "no-interview", false, "no close-out interview was held")
	fl.BoolVar(&opts.told, "told-in-advance", false, "the client was told of the end of services in advance")
	fl.StringVar(&opts.feedback, "feedback", "", "the client's feedback at the interview")
	fl.IntVar(&opts.satisfied, "satisfaction", 0, "the client's satisfaction, 1 to 5")
	fl.StringArrayVar(&in.Resources, "resource", nil, "a resource given (repeat)")
	fl.StringArrayVar(&in.ReferralsOut, "referral-out", nil, "a referral out, PROVIDER/SERVICE (repeat)")
	fl.StringArrayVar(&in.Continuing, "continuing", nil, "a continuing service of yours that was mentioned (repeat)")
	fl.BoolVar(&opts.referred, "continuing-referred", false, "a formal referral to a continuing service was made")
	fl.StringVar(&in.FutureContact, "future-contact", "", "the plan for future contact")
	fl.StringVar(&in.FutureSignedClient, "signed-client", "", "date the client signed the future-contact plan (or today)")
	fl.StringVar(&in.FutureSignedWorker, "signed-worker", "", "date the worker signed the future-contact plan (or today)")
	fl.StringArrayVar(&in.CheckIns, "check-in", nil, "a follow-up check-in due on DATE (repeat); the case enters follow-up")
	fl.StringVar(&opts.from, "from", "", "start from a closure YAML file, or - for standard input")
	fl.BoolVar(&opts.edit, "edit", false, "finish the closure in $EDITOR")
	fl.BoolVar(&opts.final, "final", false, "end follow-up: follow-up -> closed")
	fl.BoolVar(&opts.force, "force", false, "override failing guards (needs --force-reason)")
	fl.StringVar(&opts.forceReason, "force-reason", "", "why the guards are overridden, recorded in the stage history")
	fl.BoolVar(&opts.noCommit, "no-commit", false, "stage the change instead of committing it")
	return cmd
}

func closeRun(f *factory, opts *closeOptions) error {
	r, actor, err := f.openForWrite()
	if err != nil {
		return err
	}
	in := &opts.in
	in.Date, in.FutureSignedClient, in.FutureSignedWorker = day(r, in.Date), day(r, in.FutureSignedClient), day(r, in.FutureSignedWorker)
	if in.Interview != nil {
		in.Interview.Date = day(r, in.Interview.Date)
	}
	for i := range in.CheckIns {
		in.CheckIns[i] = day(r, in.CheckIns[i])
	}
	if opts.from != "" {
		if in.Document, err = readFrom(f, opts.from); err != nil {
			return err
		}
	}
	var session *editSession
	if opts.edit {
		draft, err := casework.DraftClosure(r, opts.id, *in)
		if err != nil {
			return err
		}
		rel := casefile.DocPath(opts.id, casefile.KindClosure)
		session, err = f.newEditSession(r, "close-"+opts.id+".yaml", draft, func(data []byte) ([]diag.Problem, error) {
			_, problems := casefile.Check(rel, casefile.KindClosure, data)
			if len(problems) > 0 && pruned(rel, data) {
				return nil, nil
			}
			return problems, nil
		})
		if err != nil {
			return err
		}
		body, err := session.run()
		if errors.Is(err, errEditAborted) {
			if !session.noChanges {
				return nil
			}
			body = draft
		} else if err != nil {
			return err
		}
		// The edited document holds every field the flags gave.
		*in = casework.ClosureInput{Document: body}
	} else if in.Document == nil && in.Reason == "" {
		if folder, err := r.LoadCase(opts.id, casefile.Select{Kinds: []casefile.Kind{casefile.KindClosure}}); err == nil && folder.Closure == nil {
			return usagef("--reason is required: one of %s", strings.Join(casework.ClosureReasons, ", "))
		}
	}
	out, err := casework.Close(r, casefile.UpdateOptions{Actor: actor, Verb: "close", NoCommit: opts.noCommit}, opts.id, *in, opts.force, opts.forceReason)
	if err != nil {
		if session != nil {
			fmt.Fprintf(f.io.ErrOut, "cases: your closure is kept in %s\n", session.draft)
		}
		return err
	}
	if session != nil {
		session.discard()
	}
	printMove(f, opts.id, out)
	return nil
}

// pruned reports whether a closure with template placeholders left empty
// is valid once its empty fields are dropped (as it will be written).
func pruned(rel string, data []byte) bool {
	out, err := pruneNew(rel, casefile.KindClosure, data)
	if err != nil {
		return false
	}
	_, problems := casefile.Check(rel, casefile.KindClosure, out)
	return len(problems) == 0
}

func closeFinalRun(f *factory, opts *closeOptions) error {
	r, actor, err := f.openForWrite()
	if err != nil {
		return err
	}
	out, err := casework.Finish(r, casefile.UpdateOptions{Actor: actor, Verb: "close", NoCommit: opts.noCommit}, opts.id)
	if err != nil {
		return err
	}
	printMove(f, opts.id, out)
	return nil
}

type reopenOptions struct {
	id, reason string
	force      bool
	noCommit   bool
}

func newReopenCmd(f *factory) *cobra.Command {
	opts := &reopenOptions{}
	cmd := &cobra.Command{
		Use:   "reopen ID --reason TEXT",
		Short: "Reopen a closed case, or one in follow-up, in assessment",
		Long: `Reopen moves a closed case, or one in follow-up, back to assessment, with
the reason in the stage history. closure.yaml is removed in the same
commit: the case reads as open again and a later closure starts afresh,
while git keeps the old closure (cases log ID; git show COMMIT^:PATH).
The plan, notes and assessments stay.`,
		Example: `  cases reopen 2026-11-K7Q3M --reason "lost her job; asked for help again"`,
		Args:    exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			if strings.TrimSpace(opts.reason) == "" {
				return usagef("--reason TEXT is required: the stage history records why the case was reopened")
			}
			r, actor, err := f.openForWrite()
			if err != nil {
				return err
			}
			out, err := casework.Reopen(r, casefile.UpdateOptions{Actor: actor, Verb: "reopen", NoCommit: opts.noCommit}, opts.id, opts.reason, opts.force)
			if err != nil {
				return err
			}
			printMove(f, opts.id, out)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.reason, "reason", "", "why the case is reopened")
	fl.BoolVar(&opts.force, "force", false, "override a failing guard of the assessment stage")
	fl.BoolVar(&opts.noCommit, "no-commit", false, "stage the change instead of committing it")
	return cmd
}
