package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
)

// The editor flow works like kubectl edit: the document opens in $VISUAL or
// $EDITOR; on save it is validated; if invalid it reopens with the problems
// as comments at the top; saving an empty file gives up. What was typed is
// kept in a draft under .git/cases/drafts until the change is committed, so
// nothing typed is ever lost: the next edit of the same document resumes it.

const problemPrefix = "# cases: "

// errEditAborted means the person gave up (an empty save) or changed
// nothing.
var errEditAborted = errors.New("edit aborted")

// editSession edits one document through drafts.
type editSession struct {
	f         *factory
	draft     string // draft file path
	original  []byte // what the document holds now (or the template)
	validate  func(data []byte) ([]diag.Problem, error)
	resumed   bool
	noChanges bool
}

func (f *factory) newEditSession(r *casefile.Repo, draftName string, original []byte, validate func([]byte) ([]diag.Problem, error)) (*editSession, error) {
	draft, err := r.DraftPath(draftName)
	if err != nil {
		return nil, err
	}
	return &editSession{f: f, draft: draft, original: original, validate: validate}, nil
}

// run edits until the document validates. It returns the accepted bytes;
// the draft stays on disk until discard is called after a successful write.
func (s *editSession) run() ([]byte, error) {
	content := s.original
	if prev, err := os.ReadFile(s.draft); err == nil && len(bytes.TrimSpace(prev)) > 0 && !bytes.Equal(prev, s.original) {
		content = prev
		s.resumed = true
		fmt.Fprintf(s.f.io.ErrOut, "cases: resuming your unsaved draft (%s)\n", s.draft)
	}
	var lastShown []byte
	for {
		if err := os.WriteFile(s.draft, content, 0o600); err != nil {
			return nil, err
		}
		if err := s.f.runEditor(s.draft); err != nil {
			return nil, err
		}
		saved, err := os.ReadFile(s.draft)
		if err != nil {
			return nil, err
		}
		body := stripProblems(saved)
		if len(bytes.TrimSpace(stripComments(body))) == 0 {
			_ = os.Remove(s.draft)
			fmt.Fprintln(s.f.io.ErrOut, "cases: the file was emptied; nothing saved")
			return nil, errEditAborted
		}
		if bytes.Equal(body, s.original) {
			_ = os.Remove(s.draft)
			s.noChanges = true
			return nil, errEditAborted
		}
		if lastShown != nil && bytes.Equal(saved, lastShown) {
			fmt.Fprintf(s.f.io.ErrOut, "cases: saved without changes after problems were shown; nothing written, your draft is kept in %s\n", s.draft)
			return nil, &silentError{code: exitInvalid}
		}
		problems, err := s.validate(body)
		if err != nil {
			return nil, err
		}
		if len(problems) == 0 {
			return body, nil
		}
		content = withProblems(body, problems)
		lastShown = content
		fmt.Fprintf(s.f.io.ErrOut, "cases: %d %s; reopening the editor\n", len(problems), pluralize(len(problems), "problem", "problems"))
	}
}

// discard removes the draft once its content is safely written.
func (s *editSession) discard() { _ = os.Remove(s.draft) }

// withProblems puts the problems as comments above the document. Line
// numbers are shifted to match the file as the person sees it.
func withProblems(body []byte, problems []diag.Problem) []byte {
	header := []string{problemPrefix + "fix the problems below and save; save an empty file to give up."}
	for _, p := range diag.Sort(problems) {
		p.Line += len(problems) + 2
		header = append(header, problemPrefix+p.String())
	}
	header = append(header, "#")
	return append([]byte(strings.Join(header, "\n")+"\n"), body...)
}

// stripProblems removes the problem comments a previous round added.
func stripProblems(data []byte) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	i := 0
	for i < len(lines) && bytes.HasPrefix(lines[i], []byte(problemPrefix)) {
		i++
	}
	if i > 0 && i < len(lines) && bytes.Equal(bytes.TrimSpace(lines[i]), []byte("#")) {
		i++
	}
	return bytes.Join(lines[i:], nil)
}

// stripComments drops comment-only lines, to tell an empty save.
func stripComments(data []byte) []byte {
	var out [][]byte
	for _, l := range bytes.Split(data, []byte("\n")) {
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' {
			out = append(out, l)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

// runEditor opens a file in $VISUAL, $EDITOR or vi, attached to the
// terminal. The variable may hold arguments ("code --wait").
func (f *factory) runEditor(path string) error {
	editor := os.Getenv("VISUAL")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	cmd := exec.Command("sh", "-c", editor+` "$1"`, "sh", path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("editor %q failed: %w; your text is kept in %s", editor, err, path)
	}
	return nil
}
