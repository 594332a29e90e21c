package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/casework"
	"github.com/casesproject/cases/casefile/lifecycle"
	"github.com/spf13/cobra"
)

func init() {
	register(newPlanCmd)
	rewriters = append(rewriters, idFirst("plan", "show"))
}

func newPlanCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plan ID [SUBCOMMAND]",
		Short: "Show and change a case's service plan: goals, tasks, referrals, agreement",
		Long: `Plan shows and changes plan.yaml: SMART goals, tasks under goals,
referrals to providers' services (a closed loop: sent, accepted, completed,
declined or no-show, each with its date), informal supports, the planning
meeting and the agreement that client and worker sign.

The case id comes first: cases plan ID alone shows the plan, cases plan ID
check says what keeps each goal from being SMART, and cases plan ID goal
add ... changes it. Ids are given in order within the plan: goals g1, g2,
..., tasks t1, ..., referrals r1, .... Each change is one commit.

In delivery and monitoring a change may not break what the stage requires
(a SMART plan, a signed agreement): move the case back to planning to
revise the plan. Dates are YYYY-MM-DD, or today.`,
		Example: `  cases plan 2026-11-K7Q3M
  cases plan 2026-11-K7Q3M goal add --domain housing --text "Move to a two-bedroom flat" \
      --measure "signed lease" --target "lease signed" --due 2027-03-31 --owner client --client-chose
  cases plan 2026-11-K7Q3M task add --goal g1 --text "Apply for housing benefit" --owner worker --due 2026-12-15
  cases plan 2026-11-K7Q3M refer --provider city-food-bank --service food-pantry --goal g2
  cases plan 2026-11-K7Q3M referral set r1 --status accepted
  cases plan 2026-11-K7Q3M sign --client today --worker today
  cases plan 2026-11-K7Q3M check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newPlanShowCmd(f), newPlanCheckCmd(f), newGoalCmd(f), newTaskCmd(f), newReferCmd(f), newReferralCmd(f),
		newSupportCmd(f), newAgreementCmd(f), newSignCmd(f), newMeetingCmd(f))
	return cmd
}

// rewriters adjust the arguments before cobra sees them.
var rewriters []func(root *cobra.Command, args []string) []string

// idFirst lets "cases VERB ID SUB... [args]" mean "cases VERB SUB... ID
// [args]", so a case's commands read with the case first; with no
// subcommand after the id it runs def.
func idFirst(verb, def string) func(*cobra.Command, []string) []string {
	return func(root *cobra.Command, args []string) []string {
		i := 0
		for i < len(args) && strings.HasPrefix(args[i], "-") {
			a := args[i]
			i++
			if !strings.Contains(a, "=") && (a == "--repo" || a == "--format" || a == "--as") {
				i++
			}
		}
		if i+1 >= len(args) || args[i] != verb || !casefile.ValidCaseID(args[i+1]) {
			return args
		}
		cmd, _, err := root.Find([]string{verb})
		if err != nil || cmd.Name() != verb {
			return args
		}
		id, rest := args[i+1], args[i+2:]
		var path []string
		for len(rest) > 0 {
			next := cmd
			for _, c := range cmd.Commands() {
				if c.Name() == rest[0] {
					next = c
				}
			}
			if next == cmd {
				break
			}
			cmd = next
			path, rest = append(path, rest[0]), rest[1:]
		}
		if len(path) == 0 {
			path = []string{def}
		}
		out := append([]string{}, args[:i+1]...)
		out = append(out, path...)
		out = append(out, id)
		return append(out, rest...)
	}
}

// planWrite runs one plan operation and reports it.
func planWrite(f *factory, id string, noCommit bool, op func(r *casefile.Repo) (casework.PlanOp, error)) error {
	r, actor, err := f.openForWrite()
	if err != nil {
		return err
	}
	o, err := op(r)
	if err != nil {
		return err
	}
	out, err := casework.EditPlan(r, casefile.UpdateOptions{Actor: actor, Verb: "plan", NoCommit: noCommit}, id, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.io.Out, "Plan of %s: %s%s.\n", id, out.Summary, committed(out.Result))
	return nil
}

// day turns "today" into today's date.
func day(r *casefile.Repo, v string) string {
	if v == "today" {
		return r.Today()
	}
	return v
}

func boolFlag(cmd *cobra.Command, name string, v bool) *bool {
	if !cmd.Flags().Changed(name) {
		return nil
	}
	return &v
}

func goalFlags(cmd *cobra.Command, g *casework.GoalFields, clientChose *bool) {
	fl := cmd.Flags()
	fl.StringVar(&g.Text, "text", "", "what the goal is, in the client's words where possible")
	fl.StringVar(&g.Domain, "domain", "", "life domain, e.g. housing, employment, health")
	fl.StringVar(&g.Measure, "measure", "", "how progress is measured")
	fl.StringVar(&g.Target, "target", "", "the value of the measure that means the goal is met")
	fl.StringVar(&g.Due, "due", "", "due date, YYYY-MM-DD")
	fl.StringVar(&g.Owner, "owner", "", "who owns it: client, worker or partner")
	fl.StringVar(&g.Partner, "partner", "", "the provider id when a partner owns it")
	fl.StringVar(&g.Status, "status", "", strings.Join(casework.GoalStatuses, ", "))
	fl.BoolVar(clientChose, "client-chose", false, "the client chose or co-wrote the goal")
}

func newGoalCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "goal",
		Short:   "Add or change a goal",
		Example: "  cases plan 2026-11-K7Q3M goal add --text \"Find work\" --measure \"hours a week\" --target 20 --due 2027-05-01 --owner client",
	}
	var add casework.GoalAdd
	var addNoCommit, addChose bool
	addCmd := &cobra.Command{
		Use:   "add ID",
		Short: "Add a goal (g1, g2, ...)",
		Long: `Add a goal. A SMART goal has a measure, a target, an owner and a due date;
the planning stage may hold drafts, but moving to delivery needs them all.`,
		Example: `  cases plan 2026-11-K7Q3M goal add --domain housing --text "Move to a two-bedroom flat" \
      --measure "signed lease" --target "lease signed" --due 2027-03-31 --owner client --client-chose`,
		Args: exactArgs(1, "ID"),
		RunE: func(c *cobra.Command, args []string) error {
			add.ClientChose = boolFlag(c, "client-chose", addChose)
			return planWrite(f, args[0], addNoCommit, func(r *casefile.Repo) (casework.PlanOp, error) {
				add.Due = day(r, add.Due)
				return add, nil
			})
		},
	}
	goalFlags(addCmd, &add.GoalFields, &addChose)
	addCmd.Flags().BoolVar(&addNoCommit, "no-commit", false, "stage the change instead of committing it")

	var set casework.GoalSet
	var setNoCommit, setChose bool
	setCmd := &cobra.Command{
		Use:     "set ID GOAL",
		Short:   "Change a goal's fields or status",
		Example: "  cases plan 2026-11-K7Q3M goal set g1 --status met\n  cases plan 2026-11-K7Q3M goal set g2 --due 2027-06-30",
		Args:    exactArgs(2, "ID and GOAL"),
		RunE: func(c *cobra.Command, args []string) error {
			set.Goal = args[1]
			set.ClientChose = boolFlag(c, "client-chose", setChose)
			return planWrite(f, args[0], setNoCommit, func(r *casefile.Repo) (casework.PlanOp, error) {
				set.Due = day(r, set.Due)
				return set, nil
			})
		},
	}
	goalFlags(setCmd, &set.GoalFields, &setChose)
	setCmd.Flags().BoolVar(&setNoCommit, "no-commit", false, "stage the change instead of committing it")
	cmd.AddCommand(addCmd, setCmd)
	return cmd
}

func taskFlags(cmd *cobra.Command, t *casework.TaskFields) {
	fl := cmd.Flags()
	fl.StringVar(&t.Goal, "goal", "", "the goal the task serves (g1, ...)")
	fl.StringVar(&t.Text, "text", "", "what is to be done")
	fl.StringVar(&t.Owner, "owner", "", "who does it: client, worker or partner")
	fl.StringVar(&t.Partner, "partner", "", "the provider id when a partner does it")
	fl.StringVar(&t.Due, "due", "", "due date, YYYY-MM-DD")
	fl.StringVar(&t.Status, "status", "", strings.Join(casework.TaskStatuses, ", "))
}

func newTaskCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "task",
		Short:   "Add or change a task under a goal",
		Example: "  cases plan 2026-11-K7Q3M task add --goal g1 --text \"Visit two flats\" --owner client --due 2026-12-20",
	}
	var add casework.TaskAdd
	var addNoCommit bool
	addCmd := &cobra.Command{
		Use:     "add ID",
		Short:   "Add a task (t1, t2, ...) under a goal",
		Example: "  cases plan 2026-11-K7Q3M task add --goal g1 --text \"Apply for housing benefit\" --owner worker --due 2026-12-15",
		Args:    exactArgs(1, "ID"),
		RunE: func(c *cobra.Command, args []string) error {
			return planWrite(f, args[0], addNoCommit, func(r *casefile.Repo) (casework.PlanOp, error) {
				add.Due = day(r, add.Due)
				return add, nil
			})
		},
	}
	taskFlags(addCmd, &add.TaskFields)
	addCmd.Flags().BoolVar(&addNoCommit, "no-commit", false, "stage the change instead of committing it")

	var set casework.TaskSet
	var setNoCommit bool
	setCmd := &cobra.Command{
		Use:   "set ID TASK",
		Short: "Change a task; status done records today as its done date",
		Example: `  cases plan 2026-11-K7Q3M task set t1 --status in-progress
  cases plan 2026-11-K7Q3M task set t1 --status done --done 2026-12-02`,
		Args: exactArgs(2, "ID and TASK"),
		RunE: func(c *cobra.Command, args []string) error {
			set.Task = args[1]
			return planWrite(f, args[0], setNoCommit, func(r *casefile.Repo) (casework.PlanOp, error) {
				set.Due, set.Done = day(r, set.Due), day(r, set.Done)
				return set, nil
			})
		},
	}
	taskFlags(setCmd, &set.TaskFields)
	setCmd.Flags().StringVar(&set.Done, "done", "", "the date it was done (default today, with --status done)")
	setCmd.Flags().BoolVar(&setNoCommit, "no-commit", false, "stage the change instead of committing it")
	cmd.AddCommand(addCmd, setCmd)
	return cmd
}

func newReferCmd(f *factory) *cobra.Command {
	var o casework.Refer
	var noCommit bool
	cmd := &cobra.Command{
		Use:   "refer ID",
		Short: "Refer the client to a provider's service (r1, r2, ...)",
		Long: `Refer records a referral to a service in providers.yaml, with status sent.
Record what happens next with cases plan ID referral set r1 --status ...:
accepted, then completed, or declined or no-show, each with its date, so
every referral's loop is closed.`,
		Example: "  cases plan 2026-11-K7Q3M refer --provider city-food-bank --service food-pantry --goal g2",
		Args:    exactArgs(1, "ID"),
		RunE: func(c *cobra.Command, args []string) error {
			if o.Provider == "" || o.Service == "" {
				return usagef("refer needs --provider and --service (see cases provider list)")
			}
			return planWrite(f, args[0], noCommit, func(r *casefile.Repo) (casework.PlanOp, error) {
				o.Sent = day(r, o.Sent)
				return o, nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Provider, "provider", "", "provider id (providers.yaml)")
	fl.StringVar(&o.Service, "service", "", "the provider's service id")
	fl.StringVar(&o.Goal, "goal", "", "the goal it serves (g1, ...)")
	fl.StringVar(&o.Sent, "sent", "", "date sent (default today)")
	fl.BoolVar(&noCommit, "no-commit", false, "stage the change instead of committing it")
	return cmd
}

func newReferralCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "referral",
		Short:   "Record what happened to a referral",
		Example: "  cases plan 2026-11-K7Q3M referral set r1 --status accepted",
	}
	var o casework.ReferralSet
	var noCommit bool
	set := &cobra.Command{
		Use:   "set ID REFERRAL",
		Short: "Record a referral's next status (with its date) or its outcome",
		Long: `Set records the referral's next status: from sent it can be accepted,
declined or no-show; from accepted, completed, declined or no-show. The
last three close the loop. Each status is kept with its date.`,
		Example: `  cases plan 2026-11-K7Q3M referral set r1 --status accepted
  cases plan 2026-11-K7Q3M referral set r1 --status completed --date 2026-12-10 --outcome "weekly parcels"`,
		Args: exactArgs(2, "ID and REFERRAL"),
		RunE: func(c *cobra.Command, args []string) error {
			o.Referral = args[1]
			return planWrite(f, args[0], noCommit, func(r *casefile.Repo) (casework.PlanOp, error) {
				o.Date = day(r, o.Date)
				return o, nil
			})
		},
	}
	fl := set.Flags()
	fl.StringVar(&o.Status, "status", "", strings.Join(casework.ReferralStatuses[1:], ", "))
	fl.StringVar(&o.Date, "date", "", "date of the status (default today)")
	fl.StringVar(&o.Outcome, "outcome", "", "what came of it")
	fl.BoolVar(&noCommit, "no-commit", false, "stage the change instead of committing it")
	cmd.AddCommand(set)
	return cmd
}

func newSupportCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "support",
		Short:   "Record informal supports",
		Example: "  cases plan 2026-11-K7Q3M support add --kind family --description \"Sister nearby\" --helps-with childcare",
	}
	var o casework.SupportAdd
	var noCommit bool
	add := &cobra.Command{
		Use:     "add ID",
		Short:   "Add an informal support: family, friend, mentor, volunteer, ...",
		Example: "  cases plan 2026-11-K7Q3M support add --kind family --description \"Sister nearby\" --helps-with childcare,transport",
		Args:    exactArgs(1, "ID"),
		RunE: func(c *cobra.Command, args []string) error {
			return planWrite(f, args[0], noCommit, func(*casefile.Repo) (casework.PlanOp, error) { return o, nil })
		},
	}
	fl := add.Flags()
	fl.StringVar(&o.Kind, "kind", "", strings.Join(casework.SupportKinds, ", "))
	fl.StringVar(&o.Description, "description", "", "who they are, in a few words")
	fl.StringSliceVar(&o.HelpsWith, "helps-with", nil, "what they can help with (kebab-case, comma-separated)")
	fl.BoolVar(&noCommit, "no-commit", false, "stage the change instead of committing it")
	cmd.AddCommand(add)
	return cmd
}

func newAgreementCmd(f *factory) *cobra.Command {
	var o casework.AgreementSet
	var noCommit, discussed bool
	cmd := &cobra.Command{
		Use:   "agreement ID",
		Short: "State what the worker, the client and the organization each undertake",
		Example: `  cases plan 2026-11-K7Q3M agreement --worker-role "Find listings; help with forms" \
      --client-role "Visit flats; bring documents" --organization-role "Deposit help" --expectations-discussed`,
		Args: exactArgs(1, "ID"),
		RunE: func(c *cobra.Command, args []string) error {
			o.ExpectationsDiscussed = boolFlag(c, "expectations-discussed", discussed)
			return planWrite(f, args[0], noCommit, func(*casefile.Repo) (casework.PlanOp, error) { return o, nil })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.WorkerRole, "worker-role", "", "what the caseworker undertakes")
	fl.StringVar(&o.ClientRole, "client-role", "", "what the client undertakes")
	fl.StringVar(&o.OrganizationRole, "organization-role", "", "what the organization undertakes")
	fl.BoolVar(&discussed, "expectations-discussed", false, "what cannot be expected was discussed")
	fl.BoolVar(&noCommit, "no-commit", false, "stage the change instead of committing it")
	return cmd
}

func newSignCmd(f *factory) *cobra.Command {
	var o casework.Sign
	var noCommit bool
	cmd := &cobra.Command{
		Use:     "sign ID",
		Short:   "Record the dates client and worker signed the agreement",
		Example: "  cases plan 2026-11-K7Q3M sign --client today --worker today",
		Args:    exactArgs(1, "ID"),
		RunE: func(c *cobra.Command, args []string) error {
			return planWrite(f, args[0], noCommit, func(r *casefile.Repo) (casework.PlanOp, error) {
				o.Client, o.Worker = day(r, o.Client), day(r, o.Worker)
				return o, nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Client, "client", "", "date the client signed (or today)")
	fl.StringVar(&o.Worker, "worker", "", "date the worker signed (or today)")
	fl.BoolVar(&noCommit, "no-commit", false, "stage the change instead of committing it")
	return cmd
}

func newMeetingCmd(f *factory) *cobra.Command {
	var o casework.MeetingSet
	var noCommit bool
	cmd := &cobra.Command{
		Use:     "meeting ID",
		Short:   "Record the planning meeting",
		Example: "  cases plan 2026-11-K7Q3M meeting --date today --interpreter ar",
		Args:    exactArgs(1, "ID"),
		RunE: func(c *cobra.Command, args []string) error {
			return planWrite(f, args[0], noCommit, func(r *casefile.Repo) (casework.PlanOp, error) {
				o.Date = day(r, o.Date)
				return o, nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Date, "date", "", "date of the meeting (or today)")
	fl.StringVar(&o.Interpreter, "interpreter", "", "the interpreter's language, if one took part")
	fl.BoolVar(&noCommit, "no-commit", false, "stage the change instead of committing it")
	return cmd
}

func newPlanCheckCmd(f *factory) *cobra.Command {
	var maxDays int
	cmd := &cobra.Command{
		Use:   "check ID",
		Short: "Say what keeps each goal from being SMART",
		Long: `Check lists each goal that is not dropped with what keeps it from being
SMART: no measure, no target, no owner (or a partner owner without the
partner), no due date, a due date already past, or one further away than
deadlines.goal-max-days in cases.yaml (default 365). Exit status 1 when any
goal has a gap or the plan has no goals.

Formats: table (default on a terminal), tsv (default when piped), json.`,
		Example: "  cases plan 2026-11-K7Q3M check\n  cases plan 2026-11-K7Q3M check --format json",
		Args:    exactArgs(1, "ID"),
		RunE: func(c *cobra.Command, args []string) error {
			return planCheckRun(f, args[0], maxDays)
		},
	}
	cmd.Flags().IntVar(&maxDays, "max-days", 0, "flag goals due further away than this (default: deadlines.goal-max-days)")
	return cmd
}

type goalCheckJSON struct {
	Goal   string   `json:"goal"`
	Status string   `json:"status"`
	SMART  bool     `json:"smart"`
	Gaps   []string `json:"gaps"`
}

func planCheckRun(f *factory, id string, maxDays int) error {
	format, err := f.format("table", "tsv", "json")
	if err != nil {
		return err
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	folder, err := r.LoadCase(id, casefile.Select{Kinds: []casefile.Kind{casefile.KindCase, casefile.KindPlan}})
	if err != nil {
		return err
	}
	if err := folder.Valid(); err != nil {
		return err
	}
	if maxDays <= 0 {
		maxDays = r.Config.Deadlines.GoalMaxDays
	}
	var reports []lifecycle.GoalReport
	if folder.Plan != nil {
		reports = lifecycle.CheckGoals(&folder.Plan.Data, r.Now(), maxDays)
	}
	bad := len(reports) == 0
	rows := [][]string{}
	out := []goalCheckJSON{}
	for _, g := range reports {
		gaps := "SMART"
		if len(g.Gaps) > 0 {
			gaps, bad = strings.Join(g.Gaps, "; "), true
		}
		rows = append(rows, []string{g.Goal, g.Status, gaps})
		out = append(out, goalCheckJSON{g.Goal, g.Status, len(g.Gaps) == 0, nonNil(g.Gaps)})
	}
	switch format {
	case "json":
		err = writeJSON(f.io.Out, out)
	case "tsv":
		err = writeTSV(f.io.Out, []string{"goal", "status", "gaps"}, rows)
	default:
		err = writeTable(f.io.Out, []string{"GOAL", "STATUS", "GAPS"}, rows)
	}
	if err != nil {
		return err
	}
	if len(reports) == 0 {
		fmt.Fprintf(f.io.ErrOut, "cases: the plan of %s has no goals\n", id)
	}
	if bad {
		return &silentError{code: exitInvalid}
	}
	return nil
}

func newPlanShowCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show the plan (also: cases plan ID)",
		Long: `Show prints the plan: the meeting, goals with their measure, target, owner
and due date, tasks, referrals with their status history, informal
supports and the agreement's roles and signatures.

Formats: table (default), json.`,
		Example: "  cases plan 2026-11-K7Q3M\n  cases plan 2026-11-K7Q3M show --format json",
		Args:    exactArgs(1, "ID"),
		RunE: func(c *cobra.Command, args []string) error {
			return planShowRun(f, args[0])
		},
	}
}

func planShowRun(f *factory, id string) error {
	format, err := f.format("table", "json")
	if err != nil {
		return err
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	folder, err := r.LoadCase(id, casefile.Select{Kinds: []casefile.Kind{casefile.KindCase, casefile.KindPlan}})
	if err != nil {
		return err
	}
	if err := folder.Valid(); err != nil {
		return err
	}
	var p casefile.Plan
	if folder.Plan != nil {
		p = folder.Plan.Data
	}
	if format == "json" {
		return writeJSON(f.io.Out, toPlanJSON(&p))
	}
	return printPlan(f.io.Out, id, folder, &p)
}

type planJSON struct {
	Meeting   *meetingJSON   `json:"meeting"`
	Goals     []goalJSON     `json:"goals"`
	Tasks     []taskJSON     `json:"tasks"`
	Referrals []referralJSON `json:"referrals"`
	Supports  []supportJSON  `json:"supports"`
	Agreement *agreementJSON `json:"agreement"`
}

type meetingJSON struct {
	Date        string `json:"date,omitempty"`
	Interpreter string `json:"interpreter,omitempty"`
}

type goalJSON struct {
	ID          string `json:"id"`
	Domain      string `json:"domain,omitempty"`
	Text        string `json:"text"`
	Measure     string `json:"measure,omitempty"`
	Target      string `json:"target,omitempty"`
	Due         string `json:"due,omitempty"`
	Owner       string `json:"owner,omitempty"`
	Partner     string `json:"partner,omitempty"`
	Status      string `json:"status"`
	ClientChose bool   `json:"client_chose"`
}

type taskJSON struct {
	ID      string `json:"id"`
	Goal    string `json:"goal"`
	Text    string `json:"text"`
	Owner   string `json:"owner,omitempty"`
	Partner string `json:"partner,omitempty"`
	Due     string `json:"due,omitempty"`
	Status  string `json:"status"`
	Done    string `json:"done,omitempty"`
}

type referralJSON struct {
	ID       string               `json:"id"`
	Provider string               `json:"provider"`
	Service  string               `json:"service"`
	Goal     string               `json:"goal,omitempty"`
	Sent     string               `json:"sent"`
	Status   string               `json:"status"`
	Closed   bool                 `json:"closed"`
	History  []referralStatusJSON `json:"history"`
	Outcome  string               `json:"outcome,omitempty"`
}

type referralStatusJSON struct {
	Status string `json:"status"`
	Date   string `json:"date"`
}

type supportJSON struct {
	Kind        string   `json:"kind"`
	Description string   `json:"description,omitempty"`
	HelpsWith   []string `json:"can_help_with"`
}

type agreementJSON struct {
	WorkerRole            string `json:"worker_role,omitempty"`
	ClientRole            string `json:"client_role,omitempty"`
	OrganizationRole      string `json:"organization_role,omitempty"`
	ExpectationsDiscussed *bool  `json:"expectations_discussed"`
	SignedClient          string `json:"signed_client,omitempty"`
	SignedWorker          string `json:"signed_worker,omitempty"`
}

func toPlanJSON(p *casefile.Plan) planJSON {
	out := planJSON{Goals: []goalJSON{}, Tasks: []taskJSON{}, Referrals: []referralJSON{}, Supports: []supportJSON{}}
	if m := p.Meeting; m != nil {
		out.Meeting = &meetingJSON{Date: m.Date}
		if m.Interpreter != nil && m.Interpreter.Used {
			out.Meeting.Interpreter = m.Interpreter.Language
		}
	}
	for _, g := range p.Goals {
		out.Goals = append(out.Goals, goalJSON{g.ID, g.Domain, g.Text, g.Measure, g.Target, g.Due, g.Owner, g.Partner, g.Status, casefile.IsTrue(g.ClientChose)})
	}
	for _, t := range p.Tasks {
		out.Tasks = append(out.Tasks, taskJSON{t.ID, t.Goal, t.Text, t.Owner, t.Partner, t.Due, t.Status, t.Done})
	}
	for _, r := range p.Referrals {
		h := []referralStatusJSON{}
		for _, s := range r.History {
			h = append(h, referralStatusJSON{s.Status, s.Date})
		}
		out.Referrals = append(out.Referrals, referralJSON{r.ID, r.Provider, r.Service, r.Goal, r.Sent, r.Status, r.Closed(), h, r.Outcome})
	}
	for _, s := range p.Supports {
		out.Supports = append(out.Supports, supportJSON{s.Kind, s.Description, nonNil(s.CanHelpWith)})
	}
	if a := p.Agreement; a != nil {
		out.Agreement = &agreementJSON{a.WorkerRole, a.ClientRole, a.OrganizationRole, a.ExpectationsDiscussed, a.Signed.Client, a.Signed.Worker}
	}
	return out
}

func printPlan(w io.Writer, id string, folder *casefile.Folder, p *casefile.Plan) error {
	stage := ""
	if folder.Case != nil {
		stage = " (stage " + folder.Case.Data.Stage + ")"
	}
	fmt.Fprintf(w, "plan of %s%s\n", id, stage)
	if folder.Plan == nil {
		fmt.Fprintln(w, "no plan yet: add a goal with cases plan "+id+" goal add --text ...")
		return nil
	}
	if m := p.Meeting; m != nil && m.Date != "" {
		line := "meeting: " + m.Date
		if m.Interpreter != nil && m.Interpreter.Used {
			line += ", interpreter " + m.Interpreter.Language
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, "\ngoals:")
	if len(p.Goals) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, g := range p.Goals {
		owner := g.Owner
		if g.Partner != "" {
			owner += " " + g.Partner
		}
		fmt.Fprintf(w, "  %-4s %-12s due %-10s  owner %-8s  %s", g.ID, g.Status, orDash(g.Due), orDash(owner), g.Text)
		if casefile.IsTrue(g.ClientChose) {
			fmt.Fprint(w, " (client's choice)")
		}
		fmt.Fprintln(w)
		if g.Measure != "" || g.Target != "" {
			fmt.Fprintf(w, "       measure: %s; target: %s\n", orDash(g.Measure), orDash(g.Target))
		}
	}
	if len(p.Tasks) > 0 {
		fmt.Fprintln(w, "\ntasks:")
		for _, t := range p.Tasks {
			status := t.Status
			if t.Done != "" {
				status += " " + t.Done
			}
			fmt.Fprintf(w, "  %-4s %-4s %-16s due %-10s  %-8s  %s\n", t.ID, t.Goal, status, orDash(t.Due), orDash(t.Owner), t.Text)
		}
	}
	if len(p.Referrals) > 0 {
		fmt.Fprintln(w, "\nreferrals:")
		for _, r := range p.Referrals {
			var steps []string
			for _, h := range r.History {
				steps = append(steps, h.Status+" "+h.Date)
			}
			loop := "open"
			if r.Closed() {
				loop = "closed"
			}
			fmt.Fprintf(w, "  %-4s %s/%s for %s: %s (%s loop)\n", r.ID, r.Provider, r.Service, orDash(r.Goal), strings.Join(steps, ", "), loop)
		}
	}
	if len(p.Supports) > 0 {
		fmt.Fprintln(w, "\ninformal supports:")
		for _, s := range p.Supports {
			line := "  " + s.Kind
			if s.Description != "" {
				line += ": " + s.Description
			}
			if len(s.CanHelpWith) > 0 {
				line += " (helps with " + strings.Join(s.CanHelpWith, ", ") + ")"
			}
			fmt.Fprintln(w, line)
		}
	}
	fmt.Fprintln(w, "\nagreement:")
	a := p.Agreement
	if a == nil {
		fmt.Fprintln(w, "  none yet")
		return nil
	}
	for _, role := range [][2]string{{"worker", a.WorkerRole}, {"client", a.ClientRole}, {"organization", a.OrganizationRole}} {
		fmt.Fprintf(w, "  %-13s %s\n", role[0]+":", orDash(role[1]))
	}
	if a.ExpectationsDiscussed != nil {
		fmt.Fprintf(w, "  %-13s %t\n", "expectations:", *a.ExpectationsDiscussed)
	}
	fmt.Fprintf(w, "  %-13s client %s, worker %s\n", "signed:", orDash(a.Signed.Client), orDash(a.Signed.Worker))
	return nil
}
