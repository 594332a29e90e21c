package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/casesproject/cases/casefile/history"
	"github.com/casesproject/cases/casefile/review"
	"github.com/spf13/cobra"
)

type reviewOptions struct {
	rng string
}

func init() { register(newReviewCmd) }

func newReviewCmd(f *factory) *cobra.Command {
	opts := &reviewOptions{}
	return &cobra.Command{
		Use:   "review BASE..HEAD",
		Short: "Review the case changes of a range of commits (what CI runs on a pull request)",
		Long: `Review checks the commits of BASE..HEAD the way a supervisor reviews a pull
request. On every case the range changes, it runs everything validate
checks, and adds what only history shows: stage moves that skip the
lifecycle without being forced, committed notes changed or deleted, closed
cases edited without a reopen, documents deleted, a changed case id, a
rewritten stage history, commits by someone not on the staff list, and
unresolved merge conflicts. Forced moves are listed as notices for a
human to read; they do not fail.

The cases are compared between the commit where HEAD's history meets
BASE's (their merge base, as a pull request shows it) and HEAD, and read
from HEAD's commits, not from the working tree: what is reviewed is what
the range commits, whatever is checked out. The history must be complete
(in CI: fetch-depth 0).

Each problem is one line, path:line:column: rule: message; messages never
repeat a document's values. Exit status: 0 no problems (notices allowed),
1 problems, 2 could not run. Formats: text (default), json, github
(workflow annotations), junit.`,
		Example: `  cases review origin/main..HEAD
  cases review main..feature --format json
  cases review origin/${GITHUB_BASE_REF}..HEAD --format github   # in GitHub Actions`,
		Args: exactArgs(1, "BASE..HEAD"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.rng = args[0]
			return reviewRun(cmd.Context(), f, opts)
		},
	}
}

func reviewRun(ctx context.Context, f *factory, opts *reviewOptions) error {
	format, err := f.format("text", "json", "github", "junit")
	if err != nil {
		return err
	}
	base, head, err := review.ParseRange(opts.rng)
	if err != nil {
		return usagef("%s", err)
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := review.Review(ctx, r, base, head)
	var rev *history.RevisionError
	var rng *review.RangeError
	switch {
	case errors.As(err, &rev), errors.As(err, &rng):
		return usagef("%s", err)
	case err != nil:
		return err
	}
	if err := writeReview(format, f.io, res); err != nil {
		return err
	}
	fmt.Fprintln(f.io.ErrOut, "cases: "+reviewSummary(res.Summary))
	if res.Summary.Problems > 0 {
		return &silentError{exitInvalid}
	}
	return nil
}

func reviewSummary(s review.Summary) string {
	what := fmt.Sprintf("reviewed %d %s changing %d %s", s.Commits, pluralize(s.Commits, "commit", "commits"), s.Cases, pluralize(s.Cases, "case", "cases"))
	notices := ""
	if s.Notices > 0 {
		notices = fmt.Sprintf("; %d %s for a supervisor", s.Notices, pluralize(s.Notices, "notice", "notices"))
	}
	if s.Problems == 0 {
		return what + ": no problems" + notices
	}
	return fmt.Sprintf("%s: %d %s in %d %s%s", what, s.Problems, pluralize(s.Problems, "problem", "problems"), s.Failed, pluralize(s.Failed, "file", "files"), notices)
}
