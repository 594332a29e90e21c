package casefile

import (
	"path"
	"regexp"
	"strings"

	"github.com/casesproject/cases/schema"
)

// Kind names a type of document. Each kind has a JSON Schema
// (schema/<kind>.schema.json) and a commented template (templates/<kind>.yaml
// or, for the repository files, their own names).
type Kind string

// The document kinds of a case repository.
const (
	KindConfig     Kind = "config"     // cases.yaml
	KindProviders  Kind = "providers"  // providers.yaml
	KindInstrument Kind = "instrument" // instruments/<id>.yaml
	KindMaturity   Kind = "maturity"   // program/maturity.yaml
	KindCase       Kind = "case"       // cases/<yyyy-mm>/<id>/case.yaml
	KindIntake     Kind = "intake"     // .../intake.yaml
	KindAssessment Kind = "assessment" // .../assessments/<date>-<member>.yaml
	KindPlan       Kind = "plan"       // .../plan.yaml
	KindNote       Kind = "note"       // .../notes/<timestamp>-<suffix>.yaml
	KindClosure    Kind = "closure"    // .../closure.yaml
)

// Kinds lists every kind in a stable order.
var Kinds = []Kind{KindConfig, KindProviders, KindInstrument, KindMaturity, KindCase, KindIntake, KindAssessment, KindPlan, KindNote, KindClosure}

// Fixed paths of the repository-level documents.
const (
	ConfigPath    = "cases.yaml"
	ProvidersPath = "providers.yaml"
	MaturityPath  = "program/maturity.yaml"
	InstrumentDir = "instruments"
	CasesDir      = "cases"
)

// SchemaFile is the file name of the kind's JSON Schema.
func (k Kind) SchemaFile() string { return string(k) + ".schema.json" }

// SchemaURL is the published address of the kind's schema.
func (k Kind) SchemaURL() string { return schema.BaseURL + k.SchemaFile() }

// SchemaLine is the first line of every document of this kind: it tells
// editors running the YAML language server which schema to validate with.
func (k Kind) SchemaLine() string { return SchemaLinePrefix + k.SchemaURL() }

// SchemaLinePrefix starts the first line of every document.
const SchemaLinePrefix = "# yaml-language-server: $schema="

// Template is the name of the kind's template under templates/.
func (k Kind) Template() string {
	switch k {
	case KindConfig:
		return "cases.yaml"
	case KindProviders:
		return "providers.yaml"
	}
	return string(k) + ".yaml"
}

var (
	monthRE      = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)
	caseIDRE     = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])-[` + Alphabet + `]{5}$`)
	noteFileRE   = regexp.MustCompile(`^([0-9]{8}T[0-9]{6}Z)-[` + Alphabet + `]{5}\.yaml$`)
	assessFileRE = regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2})-(m[1-9][0-9]?)\.yaml$`)
	slugRE       = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
)

// Alphabet is the unambiguous alphabet of random suffixes in case ids and
// note names: digits and capitals without 0, 1, I, L, O and U.
const Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// ValidCaseID reports whether id has the form yyyy-mm-XXXXX.
func ValidCaseID(id string) bool { return caseIDRE.MatchString(id) }

// ValidSlug reports whether s is a lower-case kebab-case id.
func ValidSlug(s string) bool { return len(s) <= 64 && slugRE.MatchString(s) }

// CaseDir is the repository-relative folder of a case. The id must be valid.
func CaseDir(id string) string { return path.Join(CasesDir, id[:7], id) }

// Location says what a repository-relative path is.
type Location struct {
	Kind   Kind   // "" when the path is not a document of the layout
	CaseID string // the case folder it lies in, if any
	// Name carries the parts a file name encodes: for an assessment the
	// date and member ("2026-11-30", "m2"), for a note its timestamp
	// ("20261124T101500Z"), for an instrument its id.
	Name   [2]string
	InCase bool // the path lies inside a case folder (even if it is stray)
}

// Locate classifies a slash-separated repository-relative path.
func Locate(p string) Location {
	switch p {
	case ConfigPath:
		return Location{Kind: KindConfig}
	case ProvidersPath:
		return Location{Kind: KindProviders}
	case MaturityPath:
		return Location{Kind: KindMaturity}
	}
	parts := strings.Split(p, "/")
	if len(parts) == 2 && parts[0] == InstrumentDir && strings.HasSuffix(parts[1], ".yaml") {
		id := strings.TrimSuffix(parts[1], ".yaml")
		if ValidSlug(id) {
			return Location{Kind: KindInstrument, Name: [2]string{id}}
		}
		return Location{}
	}
	if len(parts) < 4 || parts[0] != CasesDir || !monthRE.MatchString(parts[1]) || !caseIDRE.MatchString(parts[2]) || parts[2][:7] != parts[1] {
		return Location{}
	}
	loc := Location{CaseID: parts[2], InCase: true}
	locateInCase(&loc, parts[3:])
	return loc
}

// locateInCase sets what a path inside a case folder is, from its parts
// below the folder.
func locateInCase(loc *Location, rest []string) {
	switch {
	case len(rest) == 1:
		switch rest[0] {
		case "case.yaml":
			loc.Kind = KindCase
		case "intake.yaml":
			loc.Kind = KindIntake
		case "plan.yaml":
			loc.Kind = KindPlan
		case "closure.yaml":
			loc.Kind = KindClosure
		}
	case len(rest) == 2 && rest[0] == "assessments":
		if m := assessFileRE.FindStringSubmatch(rest[1]); m != nil {
			loc.Kind, loc.Name = KindAssessment, [2]string{m[1], m[2]}
		}
	case len(rest) == 2 && rest[0] == "notes":
		if m := noteFileRE.FindStringSubmatch(rest[1]); m != nil {
			loc.Kind, loc.Name = KindNote, [2]string{m[1]}
		}
	}
}
