package casefile

import (
	"strings"
	"time"
)

// Config is cases.yaml.
type Config struct {
	Organization Organization           `yaml:"organization"`
	Programs     []Program              `yaml:"programs"`
	Staff        []Staff                `yaml:"staff"`
	Levels       map[string]LevelConfig `yaml:"levels"`
	Risk         RiskModel              `yaml:"risk"`
	Deadlines    Deadlines              `yaml:"deadlines"`
	Maturity     MaturityConfig         `yaml:"maturity"`
	Reports      ReportConfig           `yaml:"reports"`
}

// Organization names the organization and its time zone.
type Organization struct {
	Name     string `yaml:"name"`
	Timezone string `yaml:"timezone"`
}

// Program is one program a case can belong to.
type Program struct {
	ID          string   `yaml:"id"`
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Services    []string `yaml:"services"`
}

// Staff is one staff member.
type Staff struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Email    string   `yaml:"email"`
	Role     string   `yaml:"role"`
	Programs []string `yaml:"programs"`
	Active   *bool    `yaml:"active"`
}

// IsActive reports whether the staff member still works cases.
func (s Staff) IsActive() bool { return s.Active == nil || *s.Active }

// LevelConfig is one level of case management.
type LevelConfig struct {
	ContactDays int    `yaml:"contact-days"`
	Description string `yaml:"description"`
}

// RiskModel is the risk model: weights, thresholds, red flags and the
// mapping from risk level to level of case management.
type RiskModel struct {
	Version     string             `yaml:"version"`
	Instrument  string             `yaml:"instrument"`
	Weights     map[string]float64 `yaml:"weights"`
	IntakeNeeds map[string]float64 `yaml:"intake-needs"`
	RedFlags    []RedFlagRule      `yaml:"red-flags"`
	Thresholds  Thresholds         `yaml:"thresholds"`
	Levels      map[string]string  `yaml:"levels"`
}

// RedFlagRule names answers to a question that force the critical level.
type RedFlagRule struct {
	Question string `yaml:"question"`
	Answers  Values `yaml:"answers"`
}

// Thresholds are the lowest scores of the moderate, high and critical risk
// levels.
type Thresholds struct {
	Moderate float64 `yaml:"moderate"`
	High     float64 `yaml:"high"`
	Critical float64 `yaml:"critical"`
}

// Deadlines are the time limits due dates are computed from.
type Deadlines struct {
	AssessmentDays         int `yaml:"assessment-days"`
	ReassessmentDays       int `yaml:"reassessment-days"`
	PlanDays               int `yaml:"plan-days"`
	ReferralResponseDays   int `yaml:"referral-response-days"`
	HighRiskContactDays    int `yaml:"high-risk-contact-days"`
	DueWindowDays          int `yaml:"due-window-days"`
	GoalMaxDays            int `yaml:"goal-max-days"`
	FutureToleranceMinutes int `yaml:"future-tolerance-minutes"`
}

// MaturityConfig holds the thresholds of the maturity checklist.
type MaturityConfig struct {
	Mature                float64 `yaml:"mature"`
	Emerging              float64 `yaml:"emerging"`
	Nascent               float64 `yaml:"nascent"`
	MinCases              int     `yaml:"min-cases"`
	AttestationMaxAgeDays int     `yaml:"attestation-max-age-days"`
}

// ReportConfig holds report settings.
type ReportConfig struct {
	SmallCell      int   `yaml:"small-cell"`
	CaseloadTarget int   `yaml:"caseload-target"`
	AgeBands       []int `yaml:"age-bands"`
}

// Levels of case management, most intensive first.
var Levels = []string{"intensive", "targeted", "supportive", "self-directed"}

// RiskLevels, lowest first.
var RiskLevels = []string{"low", "moderate", "high", "critical"}

// Stages of the lifecycle in order.
var Stages = []string{"intake", "assessment", "planning", "delivery", "monitoring", "follow-up", "closed"}

// OpenStage reports whether a case in the stage is open (not follow-up or
// closed).
func OpenStage(s string) bool { return s != "closed" && s != "follow-up" }

// applyDefaults fills settings a configuration may leave out.
func (c *Config) applyDefaults() {
	d := &c.Deadlines
	setInt(&d.AssessmentDays, 30)
	setInt(&d.ReassessmentDays, 90)
	setInt(&d.PlanDays, 45)
	setInt(&d.ReferralResponseDays, 14)
	setInt(&d.HighRiskContactDays, 7)
	setInt(&d.DueWindowDays, 14)
	setInt(&d.GoalMaxDays, 365)
	setInt(&d.FutureToleranceMinutes, 10)
	m := &c.Maturity
	setFloat(&m.Mature, 0.9)
	setFloat(&m.Emerging, 0.6)
	setFloat(&m.Nascent, 0.25)
	setInt(&m.MinCases, 5)
	setInt(&m.AttestationMaxAgeDays, 365)
	r := &c.Reports
	setInt(&r.SmallCell, 11)
	setInt(&r.CaseloadTarget, 25)
	if len(r.AgeBands) == 0 {
		r.AgeBands = []int{0, 18, 25, 45, 65}
	}
}

func setInt(p *int, v int) {
	if *p == 0 {
		*p = v
	}
}

func setFloat(p *float64, v float64) {
	if *p == 0 {
		*p = v
	}
}

// Location returns the organization's time zone (UTC when unset or unknown).
func (c *Config) Location() *time.Location {
	if c.Organization.Timezone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(c.Organization.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// StaffByID returns the staff member with the id.
func (c *Config) StaffByID(id string) (Staff, bool) {
	for _, s := range c.Staff {
		if s.ID == id {
			return s, true
		}
	}
	return Staff{}, false
}

// StaffByEmail returns the staff member with the email (case-insensitive).
func (c *Config) StaffByEmail(email string) (Staff, bool) {
	for _, s := range c.Staff {
		if strings.EqualFold(s.Email, email) {
			return s, true
		}
	}
	return Staff{}, false
}

// Program returns the program with the id.
func (c *Config) Program(id string) (Program, bool) {
	for _, p := range c.Programs {
		if p.ID == id {
			return p, true
		}
	}
	return Program{}, false
}

// ContactDays is the contact frequency of a level of case management (0 if
// unknown).
func (c *Config) ContactDays(level string) int {
	return c.Levels[level].ContactDays
}
