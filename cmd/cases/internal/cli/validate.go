package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	// The time zone database is built in, so that config-timezone judges
	// cases.yaml the same on every machine, even a CI image without one.
	_ "time/tzdata"
)

type validateOptions struct {
	paths []string
}

func init() { register(newValidateCmd) }

func newValidateCmd(f *factory) *cobra.Command {
	opts := &validateOptions{}
	return &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check every document against its schema and the rules across documents",
		Long: `Validate checks the case repository the way CI should on every push: every
document against its JSON Schema, then the rules across documents (references
exist, dates are in order, the stage agrees with the documents, answers fit
their instrument, the configuration is consistent, nothing lies outside the
layout, no committed note was edited). The rules are listed in the README.

With PATHs (case folders, case ids, documents, month folders, configuration
files) it checks only those, plus the configuration they depend on.

Each problem is one line, path:line:column: rule: message, sorted; messages
never repeat a document's values. A one-line summary goes to standard error.
Exit status: 0 no problems, 1 problems, 2 could not run.

Formats: text (default), json, github (workflow annotations on standard
output, plain lines on standard error for the log), junit (XML, one test
case per document).`,
		Example: `  cases validate
  cases validate 2026-11-K7Q3M cases.yaml
  cases validate --format github        # a GitHub Actions step
  cases validate --format junit > validate.xml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			return validateRun(cmd.Context(), f, opts)
		},
	}
}

func validateRun(ctx context.Context, f *factory, opts *validateOptions) error {
	format, err := f.format("text", "json", "github", "junit")
	if err != nil {
		return err
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	paths, err := repoPaths(r, opts.paths)
	if err != nil {
		return err
	}
	p := newProgress(f.io)
	w := newProblemWriter(format, f.io, p.clear)
	if ctx == nil {
		ctx = context.Background()
	}
	// A whole caseload streams through a small live heap: collecting
	// garbage less often buys time, and a soft limit keeps the peak where
	// it was (unless GOGC or GOMEMLIMIT say otherwise).
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(32 << 20))
	}
	sum, err := check.Validate(ctx, r, check.Options{Paths: paths, Progress: p.update}, w.file)
	p.done()
	var pathErr *check.PathError
	if errors.As(err, &pathErr) {
		return usagef("%s", pathErr.Error())
	}
	if err != nil {
		return err
	}
	if err := w.finish(sum); err != nil {
		return err
	}
	fmt.Fprintln(f.io.ErrOut, "cases: "+summaryLine(sum))
	if sum.Problems > 0 {
		return &silentError{exitInvalid}
	}
	return nil
}

func summaryLine(s check.Summary) string {
	cases := fmt.Sprintf("%d %s", s.Cases, pluralize(s.Cases, "case", "cases"))
	if s.Problems == 0 {
		return fmt.Sprintf("%d %s checked (%s); no problems", s.Files, pluralize(s.Files, "file", "files"), cases)
	}
	return fmt.Sprintf("%d %s in %d of %d files (%s)", s.Problems, pluralize(s.Problems, "problem", "problems"), s.Failed, s.Files, cases)
}

// repoPaths turns command-line paths into repository-relative ones: a case
// id names its folder; a relative path is taken from the current folder
// when that lies in the repository, else from the repository's root.
func repoPaths(r *casefile.Repo, args []string) ([]string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	base := r.Root
	if rel, err := filepath.Rel(r.Root, wd); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		base = wd
	}
	var out []string
	for _, a := range args {
		if casefile.ValidCaseID(a) {
			if _, err := os.Lstat(filepath.Join(base, a)); err != nil {
				out = append(out, casefile.CaseDir(a))
				continue
			}
		}
		abs := a
		if !filepath.IsAbs(a) {
			abs = filepath.Join(base, a)
		}
		rel, err := filepath.Rel(r.Root, filepath.Clean(abs))
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, usagef("%s is outside the case repository %s", a, r.Root)
		}
		if rel == "." {
			return nil, nil // the whole repository
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out, nil
}

// progress shows how far a long run is, on a terminal only: it starts
// after a second and redraws one line at most ten times a second.
type progress struct {
	w       *os.File
	start   time.Time
	last    time.Time
	shown   bool
	enabled bool
}

func newProgress(s *Streams) *progress {
	p := &progress{start: time.Now()}
	if f, ok := s.ErrOut.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.w, p.enabled = f, true
	}
	return p
}

func (p *progress) update(done, total int) {
	if !p.enabled {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < time.Second || p.shown && now.Sub(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.last, p.shown = now, true
	fmt.Fprintf(p.w, "\rchecking case folders: %d of %d", done, total)
}

// clear erases the progress line (the next update draws it again).
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

func (p *progress) done() { p.clear() }
