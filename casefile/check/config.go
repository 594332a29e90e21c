package check

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
)

// Config returns the problems of cases.yaml: those of reading it, then the
// rules of its own consistency (when it could be read at all).
func (c *Checker) Config() []diag.Problem {
	ps := slices.Clone(c.Repo.ConfigProblems)
	if !c.cfgOK {
		return ps
	}
	d, cfg := c.Repo.ConfigDoc, c.Cfg
	add := func(p diag.Problem) { ps = append(ps, p) }

	seen := map[string]bool{}
	for i, p := range cfg.Programs {
		if seen[p.ID] {
			add(at(d, ProgramUnique, fmt.Sprintf("programs[%d] repeats a program id", i), "programs", idx(i), "id"))
		}
		seen[p.ID] = true
	}
	ids, emails := map[string]bool{}, map[string]bool{}
	for i, s := range cfg.Staff {
		if ids[s.ID] {
			add(at(d, StaffUnique, fmt.Sprintf("staff[%d] repeats a staff id", i), "staff", idx(i), "id"))
		}
		ids[s.ID] = true
		if e := strings.ToLower(s.Email); e != "" {
			if emails[e] {
				add(at(d, StaffUnique, fmt.Sprintf("staff[%d] repeats an email (emails decide who acts; compared ignoring case)", i), "staff", idx(i), "email"))
			}
			emails[e] = true
		}
		for j, p := range s.Programs {
			c.refProgram(d, add, p, "staff", idx(i), "programs", idx(j))
		}
	}

	// Levels of case management, most intensive first: contact gaps may
	// only grow. A level below 1 day is the schema's to report.
	prev := ""
	for _, name := range casefile.Levels {
		lc, ok := cfg.Levels[name]
		if !ok || lc.ContactDays < 1 {
			continue
		}
		if prev != "" && lc.ContactDays < cfg.Levels[prev].ContactDays {
			add(at(d, ConfigLevels, fmt.Sprintf("levels.%s.contact-days is shorter than levels.%s.contact-days; a less intensive level is contacted less often", name, prev), "levels", name, "contact-days"))
		}
		prev = name
	}

	t := cfg.Risk.Thresholds
	if present(d, "risk", "thresholds", "moderate") && present(d, "risk", "thresholds", "high") && t.High <= t.Moderate {
		add(at(d, ConfigThresholds, "risk.thresholds.high must be above risk.thresholds.moderate", "risk", "thresholds", "high"))
	}
	if present(d, "risk", "thresholds", "high") && present(d, "risk", "thresholds", "critical") && t.Critical <= t.High {
		add(at(d, ConfigThresholds, "risk.thresholds.critical must be above risk.thresholds.high", "risk", "thresholds", "critical"))
	}

	// Risk levels, lowest first, map to levels of case management that
	// may only grow more intensive (a lower index in casefile.Levels).
	prevRisk, prevLevel := "", -1
	for _, rl := range casefile.RiskLevels {
		lvl := slices.Index(casefile.Levels, cfg.Risk.Levels[rl])
		if lvl < 0 {
			continue
		}
		if prevLevel >= 0 && lvl > prevLevel {
			add(at(d, ConfigLevelMap, fmt.Sprintf("risk.levels.%s is less intensive than risk.levels.%s; a higher risk needs at least as much case management", rl, prevRisk), "risk", "levels", rl))
		}
		prevRisk, prevLevel = rl, lvl
	}

	if id := cfg.Risk.Instrument; id != "" {
		st := c.instrument(id)
		switch {
		case !st.exists:
			add(at(d, RefInstrument, "risk.instrument is not in instruments/", "risk", "instrument"))
		case st.inst != nil:
			c.riskModel(d, st.inst, add)
		}
	}

	if tz := cfg.Organization.Timezone; tz != "" {
		if _, err := time.LoadLocation(tz); err != nil || strings.EqualFold(tz, "local") {
			add(at(d, ConfigTimezone, "organization.timezone is not an IANA time zone such as America/Chicago or Europe/Berlin", "organization", "timezone"))
		}
	}

	if present(d, "reports", "age-bands") {
		for i := 1; i < len(cfg.Reports.AgeBands); i++ {
			if cfg.Reports.AgeBands[i] <= cfg.Reports.AgeBands[i-1] {
				add(at(d, ConfigAgeBands, fmt.Sprintf("reports.age-bands[%d] must be above the band before it", i), "reports", "age-bands", idx(i)))
			}
		}
	}
	return ps
}

// present reports whether a document has a value at the path.
func present(d *yamlx.Doc, path ...string) bool {
	_, _, ok := yamlx.Find(d.Node, path)
	return ok
}

// riskModel checks that weights and red-flag rules name questions of the
// risk instrument, and that red-flag answers fit them.
func (c *Checker) riskModel(d *yamlx.Doc, inst *casefile.Instrument, add adder) {
	keys := make([]string, 0, len(c.Cfg.Risk.Weights))
	for k := range c.Cfg.Risk.Weights {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if inst.Question(k) == nil {
			add(keyAt(d, ConfigWeights, "risk.weights."+safeID(k)+" is not a question of the risk instrument", "risk", "weights", k))
		}
	}
	for i, rf := range c.Cfg.Risk.RedFlags {
		q := inst.Question(rf.Question)
		if q == nil {
			add(at(d, ConfigWeights, fmt.Sprintf("risk.red-flags[%d].question is not a question of the risk instrument", i), "risk", "red-flags", idx(i), "question"))
			continue
		}
		for j, v := range rf.Answers {
			if !fits(inst, q, v) {
				add(at(d, ConfigWeights, fmt.Sprintf("risk.red-flags[%d].answers[%d] is not a possible answer to the question", i, j), "risk", "red-flags", idx(i), "answers", idx(j)))
			}
		}
	}
}

// fits reports whether a single answer value (for a multiple-choice
// question: one option id) fits the question.
func fits(inst *casefile.Instrument, q *casefile.Question, v any) bool {
	if q.Type == "multiple" {
		v = []any{v}
	}
	for _, p := range inst.CheckAnswers(casefile.Answers{q.ID: v}, -1) {
		if p.Question == q.ID && p.Rule == casefile.RuleAnswerFit {
			return false
		}
	}
	return true
}

// instrumentRules checks an instrument that passed its schema.
func instrumentRules(d *casefile.Doc[casefile.Instrument]) []diag.Problem {
	var ps []diag.Problem
	add := func(p diag.Problem) { ps = append(ps, p) }
	in := &d.Data
	if loc := casefile.Locate(d.Path); loc.Kind == casefile.KindInstrument && loc.Name[0] != in.ID {
		add(at(d.Doc, InstrumentID, "id must match the file name instruments/<id>.yaml", "id"))
	}
	uniqueScale := func(scale []casefile.ScalePoint, path ...string) {
		seen := map[int]bool{}
		for i, p := range scale {
			if seen[p.Value] {
				add(at(d.Doc, InstrumentUnique, field(append(path, idx(i))...)+" repeats a scale value", append(path, idx(i), "value")...))
			}
			seen[p.Value] = true
		}
	}
	uniqueScale(in.Scale, "scale")
	domains := map[string]bool{}
	for i, dom := range in.Domains {
		if domains[dom.ID] {
			add(at(d.Doc, InstrumentUnique, fmt.Sprintf("domains[%d] repeats a domain id", i), "domains", idx(i), "id"))
		}
		domains[dom.ID] = true
	}
	questions := map[string]bool{}
	for i := range in.Questions {
		q := &in.Questions[i]
		qp := []string{"questions", idx(i)}
		sub := func(s ...string) []string { return append(slices.Clone(qp), s...) }
		if questions[q.ID] {
			add(at(d.Doc, InstrumentUnique, fmt.Sprintf("questions[%d] repeats a question id", i), sub("id")...))
		}
		questions[q.ID] = true
		if !domains[q.Domain] {
			add(at(d.Doc, RefDomain, fmt.Sprintf("questions[%d].domain is not one of the instrument's domains", i), sub("domain")...))
		}
		has := func(key string) bool { return present(d.Doc, sub(key)...) }
		switch q.Type {
		case "scale":
			if len(in.ScaleOf(q)) == 0 {
				add(at(d.Doc, InstrumentQuestion, fmt.Sprintf("questions[%d] is a scale question, but neither it nor the instrument has a scale", i), sub("type")...))
			}
		case "single", "multiple":
			if len(q.Options) == 0 {
				add(at(d.Doc, InstrumentQuestion, fmt.Sprintf("questions[%d] is a choice question without options", i), sub("type")...))
			}
		case "number":
			if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
				add(at(d.Doc, InstrumentQuestion, fmt.Sprintf("questions[%d].min is above its max", i), sub("min")...))
			}
		}
		if q.Type != "scale" && has("scale") {
			add(keyAt(d.Doc, InstrumentQuestion, fmt.Sprintf("questions[%d].scale applies only to scale questions", i), sub("scale")...))
		}
		if q.Type != "single" && q.Type != "multiple" && has("options") {
			add(keyAt(d.Doc, InstrumentQuestion, fmt.Sprintf("questions[%d].options apply only to single and multiple choice questions", i), sub("options")...))
		}
		if q.Type != "number" && (has("min") || has("max")) {
			key := "min"
			if !has("min") {
				key = "max"
			}
			add(keyAt(d.Doc, InstrumentQuestion, fmt.Sprintf("questions[%d].%s applies only to number questions", i, key), sub(key)...))
		}
		if q.Type != "yes-no" && (has("yes-points") || has("no-points")) {
			key := "yes-points"
			if !has(key) {
				key = "no-points"
			}
			add(keyAt(d.Doc, InstrumentQuestion, fmt.Sprintf("questions[%d].%s applies only to yes-no questions", i, key), sub(key)...))
		}
		uniqueScale(q.Scale, sub("scale")...)
		opts := map[string]bool{}
		for j, o := range q.Options {
			if opts[o.ID] {
				add(at(d.Doc, InstrumentUnique, fmt.Sprintf("questions[%d].options[%d] repeats an option id", i, j), sub("options", idx(j), "id")...))
			}
			opts[o.ID] = true
		}
		for j, v := range q.RedFlagAnswers {
			if !fits(in, q, v) {
				add(at(d.Doc, InstrumentRedFlag, fmt.Sprintf("questions[%d].red-flag-answers[%d] is not a possible answer to the question", i, j), sub("red-flag-answers", idx(j))...))
			}
		}
	}
	return ps
}

// Providers returns the problems of providers.yaml.
func (c *Checker) Providers() []diag.Problem {
	d, ps, err := c.Repo.Providers()
	if err != nil || d == nil || d.Doc == nil {
		return ps
	}
	ps = slices.Clone(ps)
	add := func(p diag.Problem) { ps = append(ps, p) }
	seen := map[string]bool{}
	for i, p := range d.Data.Providers {
		if seen[p.ID] {
			add(at(d.Doc, ProviderUnique, fmt.Sprintf("providers[%d] repeats a provider id", i), "providers", idx(i), "id"))
		}
		seen[p.ID] = true
		services := map[string]bool{}
		for j, s := range p.Services {
			if services[s.ID] {
				add(at(d.Doc, ProviderUnique, fmt.Sprintf("providers[%d].services[%d] repeats a service id of the provider", i, j), "providers", idx(i), "services", idx(j), "id"))
			}
			services[s.ID] = true
			if s.Domain != "" && !c.anyDomain(s.Domain) {
				add(at(d.Doc, RefDomain, fmt.Sprintf("providers[%d].services[%d].domain is not a domain of any instrument", i, j), "providers", idx(i), "services", idx(j), "domain"))
			}
		}
	}
	return ps
}

// Instrument returns the problems of instruments/<id>.yaml.
func (c *Checker) Instrument(id string) []diag.Problem {
	return c.instrument(id).probs
}

// Maturity returns the problems of program/maturity.yaml (the maturity
// checklist checks its item ids).
func (c *Checker) Maturity() []diag.Problem {
	d, ps, err := casefile.LoadDoc[casefile.Attestations](c.Repo, casefile.MaturityPath, casefile.KindMaturity)
	if err != nil || d == nil {
		return ps
	}
	add := func(p diag.Problem) { ps = append(ps, p) }
	for i, a := range d.Data.Attestations {
		c.refWorker(d.Doc, add, a.By, "attestations", idx(i), "by")
		c.refProgram(d.Doc, add, a.Program, "attestations", idx(i), "program")
		c.future(d.Doc, add, a.Date, "attestations", idx(i), "date")
	}
	return ps
}

// Template returns the problems of a repository's own template: it must be
// readable by the strict reader, since new documents start from it.
func (c *Checker) Template(rel string) []diag.Problem {
	data, err := c.Repo.ReadFile(rel)
	if err != nil {
		return nil
	}
	_, ps := yamlx.Parse(rel, data)
	return ps
}

// instrumentIDs lists the ids of instruments/<id>.yaml files.
func (c *Checker) instrumentIDs() []string {
	entries, err := os.ReadDir(c.Repo.Abs(casefile.InstrumentDir))
	if err != nil {
		return nil
	}
	var ids []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && e.Type().IsRegular() && casefile.ValidSlug(id) {
			ids = append(ids, id)
		}
	}
	return ids
}
