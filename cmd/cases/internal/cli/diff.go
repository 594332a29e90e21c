package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/docdiff"
	"github.com/casesproject/cases/casefile/history"
	"github.com/spf13/cobra"
)

type diffOptions struct {
	id   string
	rev  string
	full bool
}

func init() { register(newDiffCmd) }

func newDiffCmd(f *factory) *cobra.Command {
	opts := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff ID [REV | REV..REV]",
		Short: "Show what changed in a case, field by field",
		Long: `Diff shows what changed in a case's documents field by field, not line by
line: plan.goals[g2].status: in-progress -> met. Items of lists are matched
by their id (goals g1, tasks t1, referrals r1, members m1), so a new goal
does not shift the others; documents added and removed are listed.
Comments, key order and layout are not changes.

What is compared:
  (nothing)   the working tree against HEAD when the case folder has
              uncommitted changes; otherwise the case's last commit
              against its parent
  REV         the change commit REV made (REV against its parent)
  A..B        A against B (an empty side is HEAD)

Free text about the client (notes, reasons, histories, goals in the
worker's words, ...) is shortened to its first words, names show their
initial, and dates of birth and contact details are masked; --full shows
every value. A document left with git's conflict markers after a merge is
explained: which fields the two versions disagree on.`,
		Example: `  cases diff 2026-11-K7Q3M
  cases diff 2026-11-K7Q3M HEAD~3..HEAD
  cases diff 2026-11-K7Q3M 3f2a1b9 --full
  cases diff 2026-11-K7Q3M main..feature --format json`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			if !casefile.ValidCaseID(opts.id) {
				return usagef("%s", casefile.ErrBadCaseID)
			}
			if len(args) == 2 {
				opts.rev = args[1]
			}
			return diffRun(f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.full, "full", false, "show every value in full (free text, names, contact details)")
	return cmd
}

// side is one end of a comparison: a commit, or the working tree.
type side struct {
	commit history.Hash
	tree   bool // the working tree
}

func (s side) name() string {
	if s.tree {
		return "the working tree"
	}
	if s.commit.IsZero() {
		return "nothing (before the case existed)"
	}
	return s.commit.String()[:7]
}

type diffJSON struct {
	Case      string         `json:"case"`
	From      string         `json:"from"`
	To        string         `json:"to"`
	Documents []diffDocument `json:"documents"`
}

type diffDocument struct {
	Path       string      `json:"path"`
	Kind       string      `json:"kind"`
	Change     string      `json:"change"`
	Fields     []diffField `json:"fields"`
	Unreadable string      `json:"unreadable,omitempty"`
	Conflict   string      `json:"conflict,omitempty"`
}

type diffField struct {
	Path   string `json:"path"`
	Change string `json:"change"`
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
}

func diffRun(f *factory, opts *diffOptions) error {
	format, err := f.format("text", "json")
	if err != nil {
		return err
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	h, err := history.Open(r.Root)
	if err != nil {
		return err
	}
	defer h.Close()
	from, to, why, err := diffSides(r, h, opts)
	if err != nil {
		return err
	}
	var docs []docdiff.Doc
	if to.tree {
		now, err := worktreeCase(r, opts.id)
		if err != nil {
			return err
		}
		docs, err = h.CaseDocsTo(from.commit, opts.id, now)
		if err != nil {
			return err
		}
	} else if docs, err = h.CaseDocs(from.commit, to.commit, opts.id); err != nil {
		return err
	}
	if format == "json" {
		out := diffJSON{Case: opts.id, From: sideJSON(from), To: sideJSON(to), Documents: []diffDocument{}}
		for _, d := range docs {
			out.Documents = append(out.Documents, documentJSON(d, opts.full))
		}
		return writeJSON(f.io.Out, out)
	}
	w := f.io.Out
	fmt.Fprintf(w, "Case %s: %s.\n", opts.id, why)
	if len(docs) == 0 {
		fmt.Fprintln(w, "No change to its documents.")
		return nil
	}
	dir := casefile.CaseDir(opts.id) + "/"
	for _, d := range docs {
		fmt.Fprintln(w)
		writeDoc(w, dir, d, opts.full)
	}
	return nil
}

func sideJSON(s side) string {
	switch {
	case s.tree:
		return "worktree"
	case s.commit.IsZero():
		return ""
	}
	return s.commit.String()
}

// diffSides works out what diff compares and says so in words.
func diffSides(r *casefile.Repo, h *history.History, opts *diffOptions) (from, to side, why string, err error) {
	head, err := h.Head()
	if err != nil {
		return side{}, side{}, "", err
	}
	resolve := func(rev string) (history.Hash, error) {
		if rev == "" || rev == "HEAD" {
			return head, nil
		}
		return h.Resolve(rev)
	}
	describe := func(c history.Hash) string {
		ci, err := h.Commit(c)
		if err != nil {
			return c.String()[:7]
		}
		verb := history.Verb(ci.Message)
		if verb == "" {
			verb = "git"
		}
		who := ci.Author.Email
		if s, ok := r.Config.StaffByEmail(who); ok {
			who = s.ID
		}
		return fmt.Sprintf("%s (%s by %s, %s)", c.String()[:7], verb, who, ci.Author.When.In(r.Config.Location()).Format("2006-01-02 15:04"))
	}
	parentOf := func(c history.Hash) (history.Hash, error) {
		ci, err := h.Commit(c)
		if err != nil || len(ci.Parents) == 0 {
			return history.Hash{}, err
		}
		return ci.Parents[0], nil
	}
	switch a, b, isRange := strings.Cut(opts.rev, ".."); {
	case isRange:
		if from.commit, err = resolve(a); err != nil {
			return
		}
		if to.commit, err = resolve(b); err != nil {
			return
		}
		why = fmt.Sprintf("%s against %s", from.name(), to.name())
		return
	case opts.rev != "":
		if to.commit, err = resolve(opts.rev); err != nil {
			return
		}
		if from.commit, err = parentOf(to.commit); err != nil {
			return
		}
		why = "the change made by commit " + describe(to.commit)
		return
	}
	if head.IsZero() {
		return side{}, side{}, "", errors.New("the repository has no commits yet")
	}
	// No revision: uncommitted changes first, else the last commit.
	now, err := worktreeCase(r, opts.id)
	if err != nil {
		return
	}
	files, err := h.CaseFiles(head, opts.id)
	if err != nil {
		return
	}
	if len(now) == 0 && len(files) == 0 {
		return side{}, side{}, "", &casefile.NotFoundError{ID: opts.id}
	}
	if dirty(now, files) {
		return side{commit: head}, side{tree: true}, "uncommitted changes in the working tree against HEAD " + head.String()[:7], nil
	}
	var last history.Hash
	err = h.Log(head, history.LogOptions{CaseID: opts.id}, func(e history.Entry) error {
		last = e.Hash
		return history.Stop
	})
	if err != nil {
		return
	}
	if from.commit, err = parentOf(last); err != nil {
		return
	}
	to.commit = last
	why = "its last change, commit " + describe(last) + ", against its parent"
	return
}

// dirty reports whether the working tree's files of a case differ from a
// commit's.
func dirty(now history.Snapshot, files []history.File) bool {
	n := 0
	for _, f := range files {
		if !f.IsRegular() {
			continue
		}
		n++
		data, ok := now[f.Path]
		if !ok || history.BlobHash(data) != f.Hash {
			return true
		}
	}
	return n != len(now)
}

// worktreeCase reads a case folder's files from the working tree (none
// when the folder does not exist).
func worktreeCase(r *casefile.Repo, id string) (history.Snapshot, error) {
	out := history.Snapshot{}
	folder, err := r.LoadCase(id, casefile.Select{Kinds: []casefile.Kind{casefile.KindCase}})
	var nf *casefile.NotFoundError
	if errors.As(err, &nf) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, p := range folder.Files {
		data, err := r.ReadFile(p)
		if err != nil {
			continue // not a regular file: validate reports it
		}
		out[p] = data
	}
	return out, nil
}

func documentJSON(d docdiff.Doc, full bool) diffDocument {
	out := diffDocument{Path: d.Path, Kind: string(d.Kind), Change: string(d.Op), Fields: []diffField{}, Unreadable: d.Unreadable}
	if d.Conflict != nil {
		out.Conflict = d.Conflict.Message(d.Path)
	}
	for _, c := range d.Changes {
		fj := diffField{Path: c.Path, Change: string(c.Op)}
		switch c.Op {
		case docdiff.Added:
			fj.New = c.ShowNew(full)
		case docdiff.Removed:
			fj.Old = c.ShowOld(full)
		default:
			fj.Old, fj.New = c.ShowPair(full)
		}
		out.Fields = append(out.Fields, fj)
	}
	return out
}

// writeDoc prints one document's changes: a header, then one line per
// field (path: old -> new, + path: new, - path: old).
func writeDoc(w io.Writer, dir string, d docdiff.Doc, full bool) {
	name := strings.TrimPrefix(d.Path, dir)
	switch d.Op {
	case docdiff.Added:
		fmt.Fprintf(w, "+ %s (added)\n", name)
	case docdiff.Removed:
		fmt.Fprintf(w, "- %s (removed)\n", name)
		return
	default:
		fmt.Fprintln(w, name)
	}
	switch {
	case d.Conflict != nil:
		fmt.Fprintf(w, "  line %d: %s\n", d.Conflict.Line, d.Conflict.Message(d.Path))
		return
	case d.Unreadable != "":
		fmt.Fprintf(w, "  cannot be read: %s\n", d.Unreadable)
		return
	case d.Kind == "":
		fmt.Fprintln(w, "  (not a document of the case layout)")
		return
	case len(d.Changes) == 0:
		fmt.Fprintln(w, "  (comments or layout only)")
		return
	}
	for _, c := range d.Changes {
		switch {
		case d.Op == docdiff.Added:
			fmt.Fprintf(w, "  %s: %s\n", c.Path, c.ShowNew(full))
		case c.Op == docdiff.Added:
			fmt.Fprintf(w, "  + %s: %s\n", c.Path, c.ShowNew(full))
		case c.Op == docdiff.Removed:
			fmt.Fprintf(w, "  - %s: %s\n", c.Path, c.ShowOld(full))
		default:
			old, new := c.ShowPair(full)
			fmt.Fprintf(w, "  %s: %s -> %s\n", c.Path, old, new)
		}
	}
}
