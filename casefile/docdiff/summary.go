package docdiff

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
)

// Summary is a one-line account of a change to a case, for a log: stage
// moves, notes added, plan changes, risk recorded, level changes. It holds
// only ids, stage names, levels and statuses (words the schemas fix),
// never free text or personal data.
type Summary struct {
	Parts  []string
	Forced bool // a forced stage move
}

func (s Summary) String() string {
	if len(s.Parts) == 0 {
		return "no change to the documents"
	}
	return strings.Join(s.Parts, "; ")
}

var (
	wordRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	itemRE = regexp.MustCompile(`^(goals|tasks|referrals)\[([a-z][0-9]{1,3})\](\.([a-z-]+))?`)
)

// word returns v when it is a plain lower-case word (what enums are), else
// "?": a summary never carries text a person typed.
func word(v any) string {
	if s, ok := v.(string); ok && wordRE.MatchString(s) && len(s) <= 40 {
		return s
	}
	return "?"
}

// Summarize describes the documents changed in one commit to one case.
func Summarize(docs []Doc) Summary {
	var s Summary
	var notesAdded []string
	for _, d := range docs {
		name := strings.TrimSuffix(d.Path[strings.LastIndexByte(d.Path, '/')+1:], ".yaml")
		switch {
		case d.Conflict != nil:
			s.Parts = append(s.Parts, fmt.Sprintf("unresolved merge conflict in %s", name))
			continue
		case d.Unreadable != "":
			s.Parts = append(s.Parts, fmt.Sprintf("%s %s (unreadable)", d.Kind, d.Op))
			continue
		}
		switch d.Kind {
		case casefile.KindCase:
			s.caseDoc(d)
		case casefile.KindNote:
			switch d.Op {
			case Added:
				notesAdded = append(notesAdded, noteType(d))
			default:
				s.Parts = append(s.Parts, "note "+name+" "+string(d.Op)+" (notes are append-only)")
			}
		case casefile.KindAssessment:
			s.Parts = append(s.Parts, "assessment "+name+" "+string(d.Op))
		case casefile.KindPlan:
			s.plan(d)
		case casefile.KindIntake, casefile.KindClosure:
			switch {
			case d.Op != Changed:
				s.Parts = append(s.Parts, string(d.Kind)+" "+string(d.Op))
			case len(d.Changes) == 0:
				s.Parts = append(s.Parts, string(d.Kind)+": comments or layout")
			default:
				s.Parts = append(s.Parts, fmt.Sprintf("%s: %s", d.Kind, fieldCount(len(d.Changes))))
			}
		default:
			s.Parts = append(s.Parts, "file "+name+" "+string(d.Op))
		}
	}
	switch len(notesAdded) {
	case 0:
	case 1:
		s.Parts = append(s.Parts, "note added ("+notesAdded[0]+")")
	default:
		s.Parts = append(s.Parts, fmt.Sprintf("%d notes added", len(notesAdded)))
	}
	return s
}

func fieldCount(n int) string {
	if n == 1 {
		return "1 field changed"
	}
	return fmt.Sprintf("%d fields changed", n)
}

func noteType(d Doc) string {
	for _, c := range d.Changes {
		if c.Path == "type" {
			return word(c.New)
		}
	}
	return "?"
}

func (s *Summary) caseDoc(d Doc) {
	if d.Op == Added {
		s.Parts = append(s.Parts, "case opened")
	}
	if d.Op == Removed {
		s.Parts = append(s.Parts, "case.yaml removed")
		return
	}
	moved, other := false, 0
	for _, c := range d.Changes {
		switch {
		case strings.HasPrefix(c.Path, "stage-history[") && c.Op == Added && !strings.Contains(c.Path, "]."):
			m, _ := c.New.(map[string]any)
			from, to := word(m["from"]), word(m["to"])
			part := to
			if _, ok := m["from"]; ok {
				part = from + " -> " + to
			} else if d.Op == Added {
				continue // the first entry of a new case
			}
			if f, _ := m["forced"].(bool); f {
				part += " (forced)"
				s.Forced = true
			}
			s.Parts = append(s.Parts, "stage "+part)
			moved = true
		case strings.HasPrefix(c.Path, "level-history[") && c.Op == Added && !strings.Contains(c.Path, "]."):
			m, _ := c.New.(map[string]any)
			part := "level " + word(m["level"])
			if src := word(m["source"]); src == "override" {
				part += " (override)"
			}
			s.Parts = append(s.Parts, part)
		case c.Path == "risk" || c.Path == "risk.level" || c.Path == "risk.inputs-digest":
			if c.Path == "risk.inputs-digest" && slices.ContainsFunc(d.Changes, func(x Change) bool { return x.Path == "risk.level" }) {
				continue
			}
			level := ""
			if m, ok := c.New.(map[string]any); ok {
				level = word(m["level"])
			} else if c.Path == "risk.level" {
				level = word(c.New)
			}
			part := "risk recorded"
			if level != "" {
				part += " " + level
			}
			s.Parts = append(s.Parts, part)
		case c.Path == "stage" || c.Path == "level" || strings.HasPrefix(c.Path, "risk.") || strings.HasPrefix(c.Path, "stage-history[") || strings.HasPrefix(c.Path, "level-history["):
			if c.Path == "stage" && !moved && d.Op == Changed && !slices.ContainsFunc(d.Changes, func(x Change) bool { return strings.HasPrefix(x.Path, "stage-history[") && x.Op == Added }) {
				s.Parts = append(s.Parts, "stage "+word(c.Old)+" -> "+word(c.New)+" (no stage-history entry)")
			} else if strings.HasPrefix(c.Path, "stage-history[") {
				s.Parts = append(s.Parts, "stage history rewritten")
			}
		default:
			if d.Op == Changed {
				other++
			}
		}
	}
	if other > 0 {
		s.Parts = append(s.Parts, "case: "+fieldCount(other))
	}
	if d.Op == Changed && len(d.Changes) == 0 {
		s.Parts = append(s.Parts, "case: comments or layout")
	}
}

// plan summarizes goals, tasks and referrals by id: added, removed, a new
// status, or edited.
func (s *Summary) plan(d Doc) {
	if d.Op == Removed {
		s.Parts = append(s.Parts, "plan removed")
		return
	}
	var items []string
	seen := map[string]bool{}
	other := 0
	for _, c := range d.Changes {
		m := itemRE.FindStringSubmatch(c.Path)
		if m == nil {
			other++
			continue
		}
		kind := strings.TrimSuffix(m[1], "s")
		id := m[2]
		var what string
		switch {
		case m[4] == "" && c.Op == Added:
			what = kind + " " + id + " added"
		case m[4] == "" && c.Op == Removed:
			what = kind + " " + id + " removed"
		case m[4] == "status":
			what = kind + " " + id + " " + word(c.New)
		default:
			what = kind + " " + id + " edited"
		}
		if !seen[what] {
			seen[what] = true
			items = append(items, what)
		}
	}
	if other > 0 {
		items = append(items, fieldCount(other))
	}
	if len(items) > 4 {
		items = append(items[:3], fmt.Sprintf("%d more", len(items)-3))
	}
	prefix := "plan: "
	if d.Op == Added {
		prefix = "plan written: "
	}
	if len(items) == 0 {
		items = []string{"comments or layout"}
	}
	s.Parts = append(s.Parts, prefix+strings.Join(items, ", "))
}
