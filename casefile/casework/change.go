// Package casework holds the operations that move a case through its
// lifecycle and record the work done on it: stage transitions, the service
// plan (goals, tasks, referrals, the agreement), contact notes, closure,
// follow-up and reopening, and the service-provider directory.
//
// Every operation runs inside one Repo.Update, so it reads the case under
// the writer lock, writes its documents atomically and makes exactly one
// commit. Before anything is written, two safety nets run on the case as it
// would be: no problem that validate would report may be introduced
// (check.Folder), and the case's stage must still agree with its documents
// (lifecycle.StageFailures): a change never breaks a guard the stage
// requires unless a forced move overrode it.
package casework

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/lifecycle"
	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// Change is one operation's change to one case: the folder as it was, the
// folder as it will be once written, and the transaction collecting the
// files.
type Change struct {
	Repo   *casefile.Repo
	Tx     *casefile.Tx
	Before *casefile.Folder
	After  *casefile.Folder

	fresh map[string]bool // documents started from a template in this change
	now   time.Time       // when there is no transaction (drafts)
}

// Update runs fn on a case inside one Repo.Update, then the safety nets;
// a closed case is refused. Other commands that change a case (assess,
// risk, level) can run through it to keep the same guarantees: c.Write adds
// a document, c.After is the case as it will be.
func Update(r *casefile.Repo, opts casefile.UpdateOptions, id string, fn func(c *Change) error) (*casefile.Result, error) {
	return update(r, opts, id, false, fn)
}

// update is Update; allowClosed lets reopen change a closed case.
func update(r *casefile.Repo, opts casefile.UpdateOptions, id string, allowClosed bool, fn func(c *Change) error) (*casefile.Result, error) {
	if err := r.RequireValidConfig(); err != nil {
		return nil, err
	}
	return r.Update(opts, func(tx *casefile.Tx) error {
		tx.CaseID = id
		f, err := r.LoadCase(id, casefile.Select{})
		if err != nil {
			return err
		}
		if err := f.Valid(); err != nil {
			return err
		}
		if f.Case == nil {
			return fmt.Errorf("case %s has no case.yaml", id)
		}
		if f.Case.Data.Stage == "closed" && !allowClosed {
			return &casefile.RefusedError{Rule: lifecycle.RuleClosedCase, Msg: "case " + id + " is closed; reopen it first (cases reopen " + id + " --reason TEXT)"}
		}
		chk := check.New(r)
		problems := chk.Folder(f)
		failing := names(lifecycle.StageFailures(f))
		c := &Change{Repo: r, Tx: tx, Before: f, After: f, fresh: map[string]bool{}}
		if err := fn(c); err != nil {
			return err
		}
		// A change that breaks what the stage requires is refused as the
		// guards it breaks (the clearer message), before any other problem
		// it introduces; validate reports the same as stage-documents.
		var broken []lifecycle.Failure
		for _, fl := range lifecycle.StageFailures(c.After) {
			if !slices.Contains(failing, fl.Guard) {
				broken = append(broken, fl)
			}
		}
		if len(broken) > 0 {
			return &lifecycle.GuardError{Case: id, From: c.After.Case.Data.Stage, Failures: broken}
		}
		if introduced := check.Introduced(problems, chk.Folder(c.After)); len(introduced) > 0 {
			return diag.Invalid(introduced)
		}
		return nil
	})
}

func names(fs []lifecycle.Failure) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Guard
	}
	return out
}

// NewDoc starts a document at rel from its kind's template (empty fields
// are dropped when it is written).
func (c *Change) NewDoc(rel string, k casefile.Kind) (*yamlx.Doc, error) {
	doc, err := c.Repo.NewDoc(rel, k)
	if err != nil {
		return nil, err
	}
	c.fresh[rel] = true
	return doc, nil
}

// Doc returns a case document of a fixed-name kind as a node tree to
// change: a fresh parse of the current one, or the kind's template when the
// case has none yet (its empty fields are dropped when written).
func (c *Change) Doc(k casefile.Kind) (*yamlx.Doc, error) {
	rel := casefile.DocPath(c.After.ID, k)
	var raw []byte
	switch k {
	case casefile.KindCase:
		raw = c.After.Case.Raw
	case casefile.KindPlan:
		if c.After.Plan != nil {
			raw = c.After.Plan.Raw
		}
	case casefile.KindClosure:
		if c.After.Closure != nil {
			raw = c.After.Closure.Raw
		}
	default:
		return nil, fmt.Errorf("no fixed document of kind %s", k)
	}
	if raw == nil {
		doc, err := c.Repo.NewDoc(rel, k)
		if err != nil {
			return nil, err
		}
		c.fresh[rel] = true
		return doc, nil
	}
	doc, problems := yamlx.Parse(rel, raw)
	if doc == nil || len(problems) > 0 {
		return nil, diag.Invalid(problems)
	}
	return doc, nil
}

// Write checks a document strictly and against its schema and adds it to
// the change. Documents started from a template lose their empty fields.
func (c *Change) Write(doc *yamlx.Doc, k casefile.Kind) error {
	if c.fresh[doc.Path] {
		dropUnusedInterpreters(doc.Root())
		yamlx.Prune(doc.Node)
	}
	data, err := casefile.EncodeDoc(doc, k)
	if err != nil {
		return err
	}
	if _, problems := casefile.Check(doc.Path, k, data); len(problems) > 0 {
		return diag.Invalid(problems)
	}
	if err := c.Tx.Write(doc.Path, data); err != nil {
		return err
	}
	c.After = c.After.Replace(doc.Path, k, data)
	return c.After.Valid()
}

// dropUnusedInterpreters removes the template's placeholder interpreter
// blocks (used: false, no language) from a new document, so a document
// says nothing about an interpreter unless someone recorded it.
func dropUnusedInterpreters(n *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "interpreter" && v.Kind == yaml.MappingNode {
			used, lang := yamlx.Get(v, "used"), yamlx.Get(v, "language")
			if used != nil && used.Value == "false" && (lang == nil || lang.ShortTag() == "!!null") {
				n.Content = append(n.Content[:i], n.Content[i+2:]...)
				i -= 2
				continue
			}
		}
		dropUnusedInterpreters(v)
	}
}

// Delete removes the closure document (its content stays in git history).
func (c *Change) deleteClosure() error {
	rel := casefile.DocPath(c.After.ID, casefile.KindClosure)
	if c.After.Closure == nil && !slices.Contains(c.After.Files, rel) {
		return nil
	}
	if err := c.Tx.Delete(rel); err != nil {
		return err
	}
	g := *c.After
	g.Closure = nil
	g.Files = slices.DeleteFunc(slices.Clone(g.Files), func(p string) bool { return p == rel })
	c.After = &g
	return nil
}

// Now is the time the change is recorded at.
func (c *Change) Now() time.Time {
	if c.Tx == nil {
		return c.now
	}
	return c.Tx.Now()
}

// Today is the change's date in the organization's time zone.
func (c *Change) Today() string { return c.Now().Format(time.DateOnly) }

// date checks a YYYY-MM-DD value given for a field; when past is set it
// must not lie after today.
func (c *Change) date(field, v string, past bool) error {
	d, err := time.Parse(time.DateOnly, v)
	if err != nil || d.Format(time.DateOnly) != v {
		return fmt.Errorf("%s must be a date, YYYY-MM-DD", field)
	}
	if past && v > c.Today() {
		return fmt.Errorf("%s cannot be in the future", field)
	}
	return nil
}

// oneOf checks an enumerated value.
func oneOf(field, v string, allowed []string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("%s must be one of %s", field, strings.Join(allowed, ", "))
	}
	return nil
}

// nextID allocates the next id of a list (g1, g2, ...): one more than the
// highest in use, so ids are never reused within a plan.
func nextID(seq *yaml.Node, prefix string) string {
	high := 0
	if seq != nil {
		for _, item := range seq.Content {
			if v := yamlx.Get(item, "id"); v != nil && strings.HasPrefix(v.Value, prefix) {
				var n int
				if _, err := fmt.Sscanf(v.Value[len(prefix):], "%d", &n); err == nil && n > high {
					high = n
				}
			}
		}
	}
	return fmt.Sprintf("%s%d", prefix, high+1)
}

// item finds the entry with the id in a list of mappings.
func item(seq *yaml.Node, id string) *yaml.Node {
	if seq == nil {
		return nil
	}
	for _, it := range seq.Content {
		if v := yamlx.Get(it, "id"); v != nil && v.Value == id {
			return it
		}
	}
	return nil
}

// setStr sets a string field when v is not empty.
func setStr(m *yaml.Node, key, v string, order []string) {
	if v != "" {
		yamlx.Set(m, key, yamlx.Str(v), order)
	}
}

// setDate sets a date field when v is not empty.
func setDate(m *yaml.Node, key, v string, order []string) {
	if v != "" {
		yamlx.Set(m, key, yamlx.Plain(v), order)
	}
}

type yamlNode = yaml.Node

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return yamlx.Str(s)
}
