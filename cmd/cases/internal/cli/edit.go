package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/spf13/cobra"
)

type editOptions struct {
	id       string
	document string
	noCommit bool
}

func init() { register(newEditCmd) }

func newEditCmd(f *factory) *cobra.Command {
	opts := &editOptions{}
	cmd := &cobra.Command{
		Use:   "edit ID [DOCUMENT]",
		Short: "Edit one document of a case in $EDITOR",
		Long: `Edit opens one document of a case in $VISUAL or $EDITOR. On save it is
checked; if something is wrong it reopens with the problems at the top.
Save an empty file to give up. The accepted document is committed.

DOCUMENT is intake (the default), case, plan, closure, an assessment
(2026-11-30-m2) or a note id. A plan or closure that does not exist yet
starts from its commented template. Committed notes cannot be edited:
write a correcting note instead (cases note ID --corrects NOTE). A closed
case cannot be edited: reopen it first.

Comments and key order you write are kept by every command.`,
		Example: `  cases edit 2026-11-K7Q3M
  cases edit 2026-11-K7Q3M plan
  EDITOR=nano cases edit 2026-11-K7Q3M 2026-11-30-m2`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id, opts.document = args[0], "intake"
			if len(args) == 2 {
				opts.document = args[1]
			}
			return editRun(f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.noCommit, "no-commit", false, "stage the change instead of committing it")
	return cmd
}

// documentPath resolves the DOCUMENT argument of edit to a path and kind.
func documentPath(id, doc string) (string, casefile.Kind, error) {
	switch doc {
	case "case", "intake", "plan", "closure":
		k := casefile.Kind(doc)
		return casefile.DocPath(id, k), k, nil
	}
	name := strings.TrimSuffix(doc, ".yaml")
	name = strings.TrimPrefix(strings.TrimPrefix(name, "assessments/"), "notes/")
	for _, candidate := range []string{
		casefile.CaseDir(id) + "/assessments/" + name + ".yaml",
		casefile.CaseDir(id) + "/notes/" + name + ".yaml",
	} {
		if loc := casefile.Locate(candidate); loc.Kind != "" {
			return candidate, loc.Kind, nil
		}
	}
	return "", "", usagef("unknown document %q: use intake, case, plan, closure, an assessment such as 2026-11-30-m2, or a note id", doc)
}

func editRun(f *factory, opts *editOptions) error {
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	if err := r.RequireValidConfig(); err != nil {
		return err
	}
	folder, err := r.LoadCase(opts.id, casefile.Select{})
	if err != nil {
		return err
	}
	rel, kind, err := documentPath(opts.id, opts.document)
	if err != nil {
		return err
	}
	if folder.Case != nil && folder.Case.Data.Stage == "closed" {
		return &casefile.RefusedError{Rule: "closed-case", Msg: "case " + opts.id + " is closed; reopen it first (cases reopen ID --reason TEXT)"}
	}
	actor, err := r.ResolveActor(f.g.as)
	if err != nil {
		return err
	}
	original, err := r.ReadFile(rel)
	fresh := false
	switch {
	case errors.Is(err, fs.ErrNotExist) && (kind == casefile.KindPlan || kind == casefile.KindClosure):
		if original, err = r.Template(kind.Template()); err != nil {
			return err
		}
		fresh = true
	case errors.Is(err, fs.ErrNotExist):
		return usagef("case %s has no %s", opts.id, opts.document)
	case err != nil:
		return err
	}
	if kind == casefile.KindNote {
		if tracked, err := r.Tracked(rel); err != nil {
			return err
		} else if tracked {
			return &casefile.RefusedError{Rule: "note-append-only", Msg: "notes are append-only once committed; write a correction with cases note " + opts.id + " --corrects " + strings.TrimSuffix(rel[strings.LastIndex(rel, "/")+1:], ".yaml")}
		}
	}
	if !f.io.inTTY && !editorSet() {
		return usagef("edit needs a terminal or $EDITOR")
	}
	before := check.New(r).Folder(folder)
	session, err := f.newEditSession(r, "edit-"+strings.ReplaceAll(rel, "/", "_"), original, func(data []byte) ([]diag.Problem, error) {
		after, err := checkEdited(r, folder, rel, kind, data, fresh)
		if err != nil {
			return nil, err
		}
		var own, introduced []diag.Problem
		for _, p := range after {
			if p.Path == rel {
				own = append(own, p)
			}
		}
		introduced = check.Introduced(before, after)
		for _, p := range introduced {
			if p.Path != rel {
				own = append(own, p)
			}
		}
		return own, nil
	})
	if err != nil {
		return err
	}
	body, err := session.run()
	if errors.Is(err, errEditAborted) {
		if session.noChanges {
			fmt.Fprintln(f.io.ErrOut, "cases: no changes")
		}
		return nil
	}
	if err != nil {
		return err
	}
	if fresh {
		if body, err = pruneNew(rel, kind, body); err != nil {
			return err
		}
	}
	res, err := r.Update(casefile.UpdateOptions{Actor: actor, Verb: "edit", NoCommit: opts.noCommit}, func(tx *casefile.Tx) error {
		tx.CaseID, tx.Summary = opts.id, "edit "+string(kind)
		now, err := r.ReadFile(rel)
		if err != nil && !(fresh && errors.Is(err, fs.ErrNotExist)) {
			return err
		}
		if !fresh && !bytes.Equal(now, original) {
			return fmt.Errorf("%s changed while you were editing; your version is kept in %s", rel, session.draft)
		}
		return tx.Write(rel, body)
	})
	if err != nil {
		fmt.Fprintf(f.io.ErrOut, "cases: your edit is kept in %s\n", session.draft)
		return err
	}
	session.discard()
	fmt.Fprintf(f.io.Out, "Saved %s%s.\n", rel, committed(res))
	return nil
}

func editorSet() bool {
	return envSet("VISUAL") || envSet("EDITOR")
}

// checkEdited checks the case folder as it would be with one document
// replaced by data.
func checkEdited(r *casefile.Repo, folder *casefile.Folder, rel string, kind casefile.Kind, data []byte, fresh bool) ([]diag.Problem, error) {
	if fresh {
		var err error
		if data, err = pruneNew(rel, kind, data); err != nil {
			var inv *diag.InvalidError
			if errors.As(err, &inv) {
				return inv.Problems, nil
			}
			return nil, err
		}
	}
	f2 := folder.Replace(rel, kind, data)
	return check.New(r).Folder(f2), nil
}

// pruneNew drops the empty fields of a document started from a template.
func pruneNew(rel string, kind casefile.Kind, data []byte) ([]byte, error) {
	doc, problems := casefile.Check(rel, kind, data)
	if doc == nil {
		return nil, diag.Invalid(problems)
	}
	yamlx.Prune(doc.Node)
	return casefile.EncodeDoc(doc, kind)
}
