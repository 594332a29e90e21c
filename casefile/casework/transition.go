package casework

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/lifecycle"
	"github.com/casesproject/cases/casefile/yamlx"
)

// Move is a stage change as recorded.
type Move struct {
	From, To string
	Forced   bool
	Guards   []string // guards the forced move overrode
}

// Summary is how a move reads in a commit subject: "planning -> delivery",
// with "(forced)" when forced.
func (m Move) Summary() string {
	s := m.From + " -> " + m.To
	if m.Forced {
		s += " (forced)"
	}
	return s
}

// Outcome is what an operation did: the commit, any stage move, and the id
// of what it added (a goal, a note, ...).
type Outcome struct {
	*casefile.Result
	Move    *Move
	ID      string
	Summary string // the commit subject's summary
}

// ErrNoReason is returned when a forced move has no reason.
var ErrNoReason = errors.New("--force needs --reason TEXT: the stage history records why the guards were overridden")

// Transition moves a case to a stage. The move must be one of
// lifecycle.Moves and pass the guards lifecycle.Needs lists; otherwise it is
// refused with a *lifecycle.GuardError, unless force is set, which records
// the move as forced with the reason and the guards it overrode.
func Transition(r *casefile.Repo, opts casefile.UpdateOptions, id, to string, force bool, reason string) (*Outcome, error) {
	if !slices.Contains(casefile.Stages, to) {
		return nil, fmt.Errorf("unknown stage %q", to)
	}
	out := &Outcome{}
	var err error
	out.Result, err = update(r, opts, id, false, func(c *Change) error {
		m, err := c.move(to, force, reason)
		if err != nil {
			return err
		}
		out.Move = &m
		c.Tx.Summary = m.Summary()
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Summary = summaryOf(out)
	return out, nil
}

// move changes the stage of the case as it will be (c.After), checking the
// guards on the documents written so far in this change.
func (c *Change) move(to string, force bool, reason string) (Move, error) {
	if force && reason == "" {
		return Move{}, ErrNoReason
	}
	cs := &c.After.Case.Data
	from := cs.Stage
	if from == to {
		return Move{}, fmt.Errorf("case %s is already in stage %s", c.After.ID, to)
	}
	_, allowed := lifecycle.Find(from, to)
	fails := lifecycle.Evaluate(c.After, lifecycle.Needs(cs, to))
	if (!allowed || len(fails) > 0) && !force {
		return Move{}, &lifecycle.GuardError{Case: c.After.ID, From: from, To: to, NotMove: !allowed, Failures: fails}
	}
	m := Move{From: from, To: to, Forced: force && (!allowed || len(fails) > 0)}
	if m.Forced {
		for _, f := range fails {
			m.Guards = append(m.Guards, f.Guard)
		}
	}
	doc, err := c.Doc(casefile.KindCase)
	if err != nil {
		return Move{}, err
	}
	root := doc.Root()
	yamlx.Set(root, "stage", yamlx.Str(to), caseOrder)
	entry := yamlx.Map("from", yamlx.Str(from), "to", yamlx.Str(to),
		"at", yamlx.Plain(c.Now().Format(time.RFC3339)), "by", yamlx.Str(c.Tx.Actor().ID))
	if m.Forced {
		yamlx.Set(entry, "forced", yamlx.Bool(true), nil)
		if len(m.Guards) > 0 {
			yamlx.Set(entry, "guards", yamlx.StrSeq(m.Guards), nil)
		}
	}
	if reason != "" {
		yamlx.Set(entry, "reason", yamlx.Str(reason), nil)
	}
	hist := yamlx.EnsureSeq(root, "stage-history", caseOrder)
	hist.Content = append(hist.Content, entry)
	return m, c.Write(doc, casefile.KindCase)
}

var caseOrder = []string{"id", "program", "worker", "opened", "stage", "stage-history", "level", "level-history", "risk"}

func summaryOf(out *Outcome) string {
	if out.Summary != "" {
		return out.Summary
	}
	if out.Move != nil {
		return out.Move.Summary()
	}
	return ""
}
