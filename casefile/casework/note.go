package casework

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/yamlx"
)

// NoteTypes are the contact types of a note; casefile.IsContact tells
// which reset the contact clock.
var NoteTypes = []string{"office-visit", "home-visit", "phone", "message", "service", "incident", "collateral"}

// CheckInOutcomes are the outcomes of a follow-up check-in.
var CheckInOutcomes = []string{"reached-stable", "reached-needs-help", "not-reached"}

// NoteInput is a note to add.
type NoteInput struct {
	Type         string
	Text         string
	At           time.Time // default: now
	Minutes      *int
	Interpreter  string   // language of the interpreter, if one took part
	Goals        []string // goals of the plan it concerns
	Referral     string   // the referral it concerns
	Service      string   // "provider/service", or "service" for the organization's own
	FollowUp     bool     // a check-in after closure
	Outcome      string   // the check-in's outcome (with FollowUp)
	Corrects     string   // the id of the note it corrects
	Confidential bool
}

var noteOrder = []string{"at", "author", "type", "minutes", "interpreter", "goals", "referral", "service", "follow-up", "feedback", "text", "corrects", "confidential"}

// AddNote writes one note (notes/<UTC timestamp>-<suffix>.yaml) and commits
// it. Notes are append-only: a correction is a new note naming the one it
// corrects. The commit subject names the type and the note id, never the
// text.
//
// A follow-up note on a case in follow-up also records the check-in in
// closure.yaml: the earliest check-in not yet done is marked done on the
// note's date, with the outcome if given. When that leaves no check-in
// open, or the note falls on or after the last check-in's due date,
// follow-up is over and the case moves to closed in the same commit.
func AddNote(r *casefile.Repo, opts casefile.UpdateOptions, id string, in NoteInput) (*Outcome, error) {
	if err := oneOf("note type", in.Type, NoteTypes); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Text) == "" {
		return nil, fmt.Errorf("a note needs its text")
	}
	if in.Service != "" && in.Type != "service" {
		return nil, fmt.Errorf("a service delivered is recorded in a note of type service")
	}
	if in.Type == "service" && in.Service == "" {
		return nil, fmt.Errorf("a service note names the service delivered (provider/service, or service for your own)")
	}
	if in.Outcome != "" {
		if !in.FollowUp {
			return nil, fmt.Errorf("a check-in outcome belongs to a follow-up note")
		}
		if err := oneOf("check-in outcome", in.Outcome, CheckInOutcomes); err != nil {
			return nil, err
		}
	}
	out := &Outcome{}
	var err error
	out.Result, err = update(r, opts, id, false, func(c *Change) error {
		var err error
		at := in.At
		if at.IsZero() {
			at = c.Now()
		}
		tol := time.Duration(r.Config.Deadlines.FutureToleranceMinutes) * time.Minute
		if at.After(c.Now().Add(tol)) {
			return fmt.Errorf("a note cannot be dated in the future")
		}
		at = at.In(c.Now().Location()).Truncate(time.Second)
		// A note is never overwritten: draw again should the name be taken.
		var noteID, rel string
		for try := 0; ; try++ {
			if try == 100 {
				return fmt.Errorf("could not find a free note name")
			}
			if noteID, err = casefile.NoteID(at, r.Rand); err != nil {
				return err
			}
			rel = casefile.NotePath(id, noteID)
			if !slices.Contains(c.After.Files, rel) {
				break
			}
		}
		doc, err := r.NewDoc(rel, casefile.KindNote)
		if err != nil {
			return err
		}
		c.fresh[rel] = true
		root := doc.Root()
		yamlx.Set(root, "at", yamlx.Plain(at.Format(time.RFC3339)), noteOrder)
		yamlx.Set(root, "author", yamlx.Str(c.Tx.Actor().ID), noteOrder)
		yamlx.Set(root, "type", yamlx.Str(in.Type), noteOrder)
		if in.Minutes != nil {
			yamlx.Set(root, "minutes", yamlx.Int(int64(*in.Minutes)), noteOrder)
		}
		if in.Interpreter != "" {
			yamlx.Set(root, "interpreter", yamlx.Map("used", yamlx.Bool(true), "language", yamlx.Str(in.Interpreter)), noteOrder)
		}
		if len(in.Goals) > 0 {
			for _, g := range in.Goals {
				if c.After.Plan == nil || c.After.Plan.Data.Goal(g) == nil {
					return fmt.Errorf("the plan has no goal %s", g)
				}
			}
			yamlx.Set(root, "goals", yamlx.StrSeq(in.Goals), noteOrder)
		}
		if in.Referral != "" {
			if !hasReferral(c.After, in.Referral) {
				return fmt.Errorf("the plan has no referral %s", in.Referral)
			}
			yamlx.Set(root, "referral", yamlx.Str(in.Referral), noteOrder)
		}
		if in.Service != "" {
			svc, err := serviceNode(r, in.Service)
			if err != nil {
				return err
			}
			yamlx.Set(root, "service", svc, noteOrder)
		}
		if in.FollowUp {
			yamlx.Set(root, "follow-up", yamlx.Bool(true), noteOrder)
		}
		yamlx.Set(root, "text", yamlx.Str(in.Text), noteOrder)
		if in.Corrects != "" {
			if !hasNote(c.Before, in.Corrects) {
				return fmt.Errorf("case %s has no note %s to correct", id, in.Corrects)
			}
			yamlx.Set(root, "corrects", yamlx.Str(in.Corrects), noteOrder)
		}
		if in.Confidential {
			yamlx.Set(root, "confidential", yamlx.Bool(true), noteOrder)
		}
		if err := c.Write(doc, casefile.KindNote); err != nil {
			return err
		}
		out.ID = noteID
		c.Tx.Summary = in.Type + " note " + noteID
		if in.FollowUp {
			m, err := c.checkIn(at.Format(time.DateOnly), in.Outcome)
			if err != nil {
				return err
			}
			if m != nil {
				out.Move = m
				c.Tx.Summary += ", " + m.Summary()
			}
		}
		out.Summary = c.Tx.Summary
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Summary = summaryOf(out)
	return out, nil
}

// checkIn records a follow-up contact in closure.yaml and ends follow-up
// when it is over (see AddNote).
func (c *Change) checkIn(day, outcome string) (*Move, error) {
	if c.After.Case.Data.Stage != "follow-up" || c.After.Closure == nil {
		return nil, fmt.Errorf("a follow-up note is for a case in follow-up (this one is in %s)", c.After.Case.Data.Stage)
	}
	doc, err := c.Doc(casefile.KindClosure)
	if err != nil {
		return nil, err
	}
	var checkIns []*yamlNode
	if seq := yamlx.Get(doc.Root(), "follow-up"); seq != nil {
		checkIns = seq.Content
	}
	last, open := "", 0
	marked := false
	for _, ci := range checkIns {
		due := yamlx.Get(ci, "due").Value
		last = max(last, due)
		if yamlx.Get(ci, "done") != nil {
			continue
		}
		if !marked {
			yamlx.Set(ci, "done", yamlx.Plain(day), checkInOrder)
			if outcome != "" {
				yamlx.Set(ci, "outcome", yamlx.Str(outcome), checkInOrder)
			}
			marked = true
			continue
		}
		open++
	}
	if marked {
		if err := c.Write(doc, casefile.KindClosure); err != nil {
			return nil, err
		}
	}
	if open > 0 && day < last {
		return nil, nil
	}
	m, err := c.move("closed", false, "")
	if err != nil {
		return nil, err
	}
	return &m, nil
}

var checkInOrder = []string{"due", "done", "outcome"}

func hasReferral(f *casefile.Folder, id string) bool {
	if f.Plan == nil {
		return false
	}
	for _, r := range f.Plan.Data.Referrals {
		if r.ID == id {
			return true
		}
	}
	return false
}

func hasNote(f *casefile.Folder, id string) bool {
	for _, n := range f.Notes {
		if strings.TrimSuffix(path.Base(n.Path), ".yaml") == id {
			return true
		}
	}
	return false
}

// serviceNode checks "provider/service" against providers.yaml (or a bare
// service id, for the organization's own services) and builds the note's
// service field.
func serviceNode(r *casefile.Repo, spec string) (*yamlNode, error) {
	prov, svc, ok := strings.Cut(spec, "/")
	if !ok {
		prov, svc = "", spec
	}
	if !casefile.ValidSlug(svc) || (prov != "" && !casefile.ValidSlug(prov)) {
		return nil, fmt.Errorf("a service is provider/service or service, in kebab-case ids")
	}
	if prov != "" {
		d, problems, err := r.Providers()
		if err != nil {
			return nil, err
		}
		if len(problems) > 0 {
			return nil, fmt.Errorf("providers.yaml has problems; run cases validate")
		}
		p := d.Data.Provider(prov)
		if p == nil {
			return nil, fmt.Errorf("no provider %s in providers.yaml", prov)
		}
		if p.Service(svc) == nil {
			return nil, fmt.Errorf("provider %s has no service %s", prov, svc)
		}
	}
	m := yamlx.Map("provider", strOrNil(prov), "service", yamlx.Str(svc))
	return m, nil
}
