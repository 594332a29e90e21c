package casefile

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ContactTypes are the note types that count as contact with the client and
// reset the contact clock of the case's level. Collateral contacts (with
// someone else about the client) and incident reports do not.
var ContactTypes = []string{"office-visit", "home-visit", "phone", "message", "service"}

// IsContact reports whether a note type is a contact with the client.
func IsContact(noteType string) bool {
	for _, t := range ContactTypes {
		if t == noteType {
			return true
		}
	}
	return false
}

// Summary is what `cases show` reports about a case: enough to work it, and
// no more personal data than that (the client's display name; for other
// household members only id, relationship and age).
type Summary struct {
	ID           string
	Program      string
	Worker       string
	Opened       string
	Stage        string
	StageHistory []StageMove
	Level        string
	ContactDays  int
	LevelHistory []LevelChange
	Risk         *RiskRecord
	Client       *MemberSummary
	Household    []MemberSummary
	UrgentNeeds  []string
	Documents    DocumentCounts
	LastContact  string // timestamp of the latest contact note, "" if none
	DaysSince    int    // whole days since LastContact (-1 if none)
}

// MemberSummary is a household member as a summary shows them.
type MemberSummary struct {
	ID           string
	Relationship string
	Name         string // only for the client: preferred name, or given name and family initial
	Age          int    // -1 when the date of birth is unknown
	Language     string
	Interpreter  bool
	Assessed     string // date of the latest assessment, "" if none
}

// DocumentCounts says which documents the case holds.
type DocumentCounts struct {
	Case        bool
	Intake      bool
	Plan        bool
	Closure     bool
	Assessments int
	Notes       int
}

// Summarize builds the summary of a loaded case.
func Summarize(f *Folder, cfg *Config, today time.Time) Summary {
	s := Summary{ID: f.ID, DaysSince: -1}
	if f.Case != nil {
		c := f.Case.Data
		s.Program, s.Worker, s.Opened, s.Stage = c.Program, c.Worker, c.Opened, c.Stage
		s.StageHistory, s.Level, s.LevelHistory, s.Risk = c.StageHistory, c.Level, c.LevelHistory, c.Risk
		s.ContactDays = cfg.ContactDays(c.Level)
	}
	latest := map[string]string{}
	for _, a := range f.Assessments {
		if a.Data.Date > latest[a.Data.Member] {
			latest[a.Data.Member] = a.Data.Date
		}
	}
	if f.Intake != nil {
		in := f.Intake.Data
		s.UrgentNeeds = in.UrgentNeeds
		for _, m := range in.Household {
			ms := MemberSummary{ID: m.ID, Relationship: m.Relationship, Age: Age(m.DOB, today), Language: m.Language,
				Interpreter: IsTrue(m.InterpreterNeeded), Assessed: latest[m.ID]}
			if m.Relationship == "self" && s.Client == nil {
				ms.Name = DisplayName(m.Name)
				c := ms
				s.Client = &c
			}
			s.Household = append(s.Household, ms)
		}
	}
	s.Documents = DocumentCounts{Case: f.Case != nil || f.HasDoc(KindCase), Intake: f.HasDoc(KindIntake), Plan: f.HasDoc(KindPlan),
		Closure: f.HasDoc(KindClosure), Assessments: len(f.Assessments), Notes: len(f.Notes)}
	if at, ok := LastContact(f); ok {
		s.LastContact = at.Format(time.RFC3339)
		s.DaysSince = DaysBetween(at, today)
	}
	return s
}

// LastContact returns the time of the latest contact note.
func LastContact(f *Folder) (time.Time, bool) {
	var last time.Time
	for _, n := range f.Notes {
		if !IsContact(n.Data.Type) {
			continue
		}
		if t, err := time.Parse(time.RFC3339, n.Data.At); err == nil && t.After(last) {
			last = t
		}
	}
	return last, !last.IsZero()
}

// DisplayName is how a client is named in a summary: the preferred name, or
// the given name with the family name's initial.
func DisplayName(n Name) string {
	if n.Preferred != "" {
		return n.Preferred
	}
	name := n.Given
	if r, _ := utf8.DecodeRuneInString(n.Family); n.Family != "" && r != utf8.RuneError {
		name = strings.TrimSpace(name + " " + string(r) + ".")
	}
	return name
}

// Age is the age in whole years on a day, or -1 when dob is not a date.
func Age(dob string, on time.Time) int {
	d, err := time.Parse(time.DateOnly, dob)
	if err != nil {
		return -1
	}
	years := on.Year() - d.Year()
	if on.Month() < d.Month() || (on.Month() == d.Month() && on.Day() < d.Day()) {
		years--
	}
	return years
}

// DaysBetween counts whole calendar days from a to b (negative if b is
// earlier), comparing dates in b's time zone.
func DaysBetween(a, b time.Time) int {
	a = a.In(b.Location())
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// ParseDate parses YYYY-MM-DD as midnight in loc.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, s, loc)
}
