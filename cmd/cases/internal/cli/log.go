package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/docdiff"
	"github.com/casesproject/cases/casefile/gitstore"
	"github.com/casesproject/cases/casefile/history"
	"github.com/spf13/cobra"
)

type logOptions struct {
	id     string
	since  string
	author string
}

func init() { register(newLogCmd) }

func newLogCmd(f *factory) *cobra.Command {
	opts := &logOptions{}
	cmd := &cobra.Command{
		Use:   "log [ID]",
		Short: "Show the history of a case, or of the repository, from git",
		Long: `Log lists commits newest first, one line each: when, who (the staff id
of the author, or their email when they are not on the staff list), the
cases command that made it (git for a commit made another way, merge for
a merge) and what it did.

For one case, what it did is read from the documents themselves: stage
moves (forced ones marked), notes added, assessments, plan changes (goals,
tasks and referrals by id), risk recorded and level changes. Only ids,
stages, levels and statuses are shown, never what people wrote. For the
whole repository it is the commit's subject.

Which cases each commit touched is cached in .git/cases/touched (keyed by
commit id, so it is never stale); the first run in a clone builds it.`,
		Example: `  cases log 2026-11-K7Q3M
  cases log 2026-11-K7Q3M --since 2026-11-01 --format json
  cases log --author ben --since 2026-11-20`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.id = args[0]
				if !casefile.ValidCaseID(opts.id) {
					return usagef("%s", casefile.ErrBadCaseID)
				}
			}
			return logRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.since, "since", "", "only commits made on or after this date (YYYY-MM-DD) or time (RFC 3339)")
	cmd.Flags().StringVar(&opts.author, "author", "", "only commits by this staff id or email (or whose author name contains it)")
	return cmd
}

// logLine is the stable JSON shape of one commit.
type logLine struct {
	Commit    string        `json:"commit"`
	Parents   []string      `json:"parents"`
	At        string        `json:"at"`
	Staff     string        `json:"staff"`
	Email     string        `json:"email"`
	Verb      string        `json:"verb"`
	Cases     []string      `json:"cases"`
	Summary   string        `json:"summary"`
	Forced    bool          `json:"forced"`
	Documents []logDocument `json:"documents,omitempty"`
}

type logDocument struct {
	Path   string `json:"path"`
	Change string `json:"change"`
}

func logRun(f *factory, opts *logOptions) error {
	format, err := f.format("table", "tsv", "json")
	if err != nil {
		return err
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	lo := history.LogOptions{CaseID: opts.id}
	if opts.since != "" {
		if lo.Since, err = parseSince(opts.since, r.Config.Location()); err != nil {
			return err
		}
	}
	if opts.author != "" {
		lo.Match = authorMatcher(r.Config, opts.author)
	}
	h, err := history.Open(r.Root)
	if err != nil {
		return err
	}
	defer h.Close()
	head, err := h.Head()
	if err != nil {
		return err
	}
	lines := []logLine{}
	err = h.Log(head, lo, func(e history.Entry) error {
		l := logLine{Commit: e.Hash.String(), Parents: []string{}, Cases: e.Cases, Verb: e.Verb,
			At: e.Author.When.In(r.Config.Location()).Format(time.RFC3339), Email: e.Author.Email}
		if l.Cases == nil {
			l.Cases = []string{}
		}
		for _, p := range e.Parents {
			l.Parents = append(l.Parents, p.String())
		}
		if s, ok := r.Config.StaffByEmail(e.Author.Email); ok {
			l.Staff = s.ID
		}
		switch {
		case l.Verb != "":
		case len(e.Parents) > 1:
			l.Verb = "merge"
		default:
			l.Verb = "git"
		}
		if opts.id == "" {
			l.Summary = history.Summary(e.Message)
			lines = append(lines, l)
			return nil
		}
		var parent history.Hash
		if len(e.Parents) > 0 {
			parent = e.Parents[0]
		}
		docs, err := h.CaseDocs(parent, e.Hash, opts.id)
		if err != nil {
			return err
		}
		sum := docdiff.Summarize(docs)
		l.Summary, l.Forced = sum.String(), sum.Forced
		for _, d := range docs {
			l.Documents = append(l.Documents, logDocument{Path: d.Path, Change: string(d.Op)})
		}
		lines = append(lines, l)
		return nil
	})
	if err != nil {
		return err
	}
	if opts.id != "" && len(lines) == 0 && opts.since == "" && opts.author == "" && !r.Exists(opts.id) {
		// A case deleted since still has its history; one never committed
		// does not exist.
		return &casefile.NotFoundError{ID: opts.id}
	}
	if format == "json" {
		return writeJSON(f.io.Out, lines)
	}
	header := []string{"COMMIT", "WHEN", "WHO", "VERB", "CASE", "SUMMARY"}
	if opts.id != "" {
		header = []string{"COMMIT", "WHEN", "WHO", "VERB", "SUMMARY"}
	}
	rows := make([][]string, 0, len(lines))
	for _, l := range lines {
		who := l.Staff
		if who == "" {
			who = "<" + l.Email + ">"
		}
		at, _ := time.Parse(time.RFC3339, l.At)
		row := []string{l.Commit[:7], at.Format("2006-01-02 15:04"), who, l.Verb}
		if opts.id == "" {
			row = append(row, orDash(strings.Join(l.Cases, " ")))
		}
		rows = append(rows, append(row, oneLine(l.Summary)))
	}
	if format == "tsv" {
		return writeTSV(f.io.Out, header, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(f.io.ErrOut, "No commits.")
		return nil
	}
	return writeTable(f.io.Out, header, rows)
}

// oneLine keeps a summary on one line.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// parseSince reads a date (the start of that day in the organization's
// time zone) or an RFC 3339 time.
func parseSince(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("--since %q: use a date (2026-11-01) or a time (2026-11-01T09:00:00Z)", s)
}

// authorMatcher matches a staff id (through their email), an email, or a
// part of the author's name, ignoring case.
func authorMatcher(cfg *casefile.Config, who string) func(*gitstore.CommitInfo) bool {
	email := who
	if s, ok := cfg.StaffByID(who); ok {
		email = s.Email
	}
	lower := strings.ToLower(who)
	return func(ci *gitstore.CommitInfo) bool {
		return strings.EqualFold(ci.Author.Email, email) || strings.Contains(strings.ToLower(ci.Author.Name), lower)
	}
}
