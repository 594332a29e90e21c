package gen

import (
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/casesproject/cases/templates"
	"go.yaml.in/yaml/v3"
)

// The organization every generated repository belongs to.
const (
	orgName     = "Riverside Community Services"
	orgTimezone = "America/Chicago"
	emailDomain = "riverside.example.org"
)

// staffMember is one person on the staff list.
type staffMember struct {
	id, name, email, role string
	program               string // caseworkers serve one program
}

// provider is one partner organization of the service map.
type provider struct {
	id, name string
	services []service
	langs    []string
	phone    string
	hours    string
}

type service struct {
	id, name, domain, eligibility string
}

// The service map: partner organizations and the life domains (instrument
// domain ids) their services address.
var providerMap = []provider{
	{"city-food-bank", "City Food Bank", []service{{"food-pantry", "Weekly food pantry", "food", "Residents of the county."}, {"snap-help", "Food assistance applications", "income", ""}}, []string{"en", "es"}, "555-0110", "Mon-Fri 9-17, Sat 9-12"},
	{"housing-authority", "County Housing Authority", []service{{"rental-assistance", "Emergency rental assistance", "housing", "Household income below half the area median."}, {"housing-vouchers", "Housing choice vouchers", "housing", ""}}, []string{"en", "es"}, "555-0111", "Mon-Thu 8-16"},
	{"legal-aid", "Legal Aid Society", []service{{"eviction-defense", "Eviction defense", "housing", ""}, {"immigration-legal", "Immigration legal services", "legal", "Low-income residents."}, {"family-law", "Family law clinic", "legal", ""}}, []string{"en", "es", "ar", "fr"}, "555-0112", "Mon-Fri 9-17"},
	{"community-clinic", "Northside Community Clinic", []service{{"primary-care", "Primary care", "physical-health", "Sliding fee scale."}, {"dental", "Dental care", "physical-health", ""}}, []string{"en", "es", "ar", "so"}, "555-0113", "Mon-Sat 8-18"},
	{"wellbeing-center", "Wellbeing Counseling Center", []service{{"counseling", "Individual counseling", "mental-health", ""}, {"trauma-group", "Trauma recovery group", "mental-health", ""}, {"recovery-program", "Outpatient recovery program", "substance-use", ""}}, []string{"en", "es", "prs", "uk"}, "555-0114", "Mon-Fri 9-19"},
	{"adult-learning", "Adult Learning Center", []service{{"esl-classes", "English classes", "language", ""}, {"ged-prep", "High-school equivalency classes", "education", ""}}, []string{"en", "es", "ar", "prs", "uk"}, "555-0115", "Mon-Thu 9-20"},
	{"workforce-center", "Workforce Center", []service{{"job-coaching", "Job coaching", "employment", ""}, {"job-training", "Job training", "employment", "Adults with work authorization."}}, []string{"en", "es"}, "555-0116", "Mon-Fri 8-17"},
	{"kids-first", "Kids First Childcare", []service{{"childcare-subsidy", "Childcare subsidy help", "childcare", ""}, {"early-learning", "Early learning center", "childcare", "Children under five."}}, []string{"en", "es"}, "555-0117", "Mon-Fri 7-18"},
	{"school-district", "Riverside School District", []service{{"school-enrollment", "School enrollment", "education", ""}}, []string{"en", "es", "ar", "so", "sw"}, "555-0118", "Mon-Fri 8-16"},
	{"transit-office", "Regional Transit", []service{{"reduced-fare", "Reduced-fare transit card", "transportation", "Low-income residents."}}, []string{"en", "es"}, "555-0119", "Mon-Fri 9-17"},
	{"safe-harbor", "Safe Harbor", []service{{"dv-advocacy", "Domestic violence advocacy", "safety", ""}, {"dv-shelter", "Emergency shelter", "safety", ""}}, []string{"en", "es", "ar"}, "555-0120", "Hotline every day, all day"},
	{"welcome-network", "Welcome Neighbors Network", []service{{"mentoring", "Volunteer mentoring", "support-system", ""}, {"community-groups", "Community groups", "support-system", ""}}, []string{"en", "ar", "prs", "sw", "uk"}, "555-0121", "Evenings and weekends"},
	{"benefits-office", "County Benefits Office", []service{{"cash-assistance", "Cash assistance", "income", ""}, {"medicaid", "Health coverage enrollment", "physical-health", ""}}, []string{"en", "es"}, "555-0122", "Mon-Fri 8-16"},
}

// Staff names: invented, from many backgrounds, like the staff of a
// community organization.
var staffGiven = []string{"Ana", "Ben", "Chioma", "David", "Elif", "Farah", "Grace", "Hamid", "Ines", "Jamal", "Kim", "Lucia", "Marco", "Nadia", "Owen", "Priya", "Quinn", "Rosa", "Samir", "Tara", "Uma", "Victor", "Wen", "Ximena", "Yara", "Zoe"}
var staffFamily = []string{"Ruiz", "Okafor", "Nguyen", "Schmidt", "Demir", "Haddad", "Mensah", "Karimi", "Silva", "Brooks", "Park", "Moreno", "Rossi", "Petrova", "Walsh", "Iyer", "Lindqvist", "Flores", "Aziz", "Novak"}

// buildStaff makes the staff list: one manager, supervisors, intake
// workers and enough caseworkers for the expected open caseload (about 30
// open cases each), spread over the programs by their share.
func buildStaff(rng *rand.Rand, cases, months int) []staffMember {
	open := float64(cases) * 9 / float64(months)
	workers := max(len(programs), int(math.Ceil(open/30)))
	supervisors := max(1, workers/8)
	intake := max(1, workers/15)
	var out []staffMember
	used := map[string]bool{}
	add := func(role, program string) {
		given, family := pick(rng, staffGiven), pick(rng, staffFamily)
		id := strings.ToLower(given)
		if used[id] {
			id = strings.ToLower(given + "-" + family)
		}
		for n := 2; used[id]; n++ {
			id = strings.ToLower(given+"-"+family) + itoa(n)
		}
		used[id] = true
		out = append(out, staffMember{id: id, name: given + " " + family, email: id + "@" + emailDomain, role: role, program: program})
	}
	add("manager", "")
	for range supervisors {
		add("supervisor", "")
	}
	for range intake {
		add("intake", "")
	}
	for i := range workers {
		// Every program gets a caseworker first, then by share.
		p := programs[i%len(programs)].id
		if i >= len(programs) {
			ws := make([]float64, len(programs))
			for k, pr := range programs {
				ws[k] = pr.share
			}
			p = programs[pickIndex(rng, ws)].id
		}
		add("caseworker", p)
	}
	return out
}

// configDoc writes cases.yaml from the template: the organization, its
// programs and staff. The levels, risk model and deadlines stay as the
// template has them, so the generator follows whatever model the
// repository is set up with.
func configDoc(staff []staffMember) ([]byte, error) {
	data, err := fs.ReadFile(templates.FS, casefile.KindConfig.Template())
	if err != nil {
		return nil, err
	}
	doc, problems := yamlx.Parse(casefile.ConfigPath, data)
	if doc == nil || len(problems) > 0 {
		return nil, diag.Invalid(problems)
	}
	root := doc.Root()
	org := yamlx.Get(root, "organization")
	yamlx.Set(org, "name", yamlx.Str(orgName), nil)
	yamlx.Set(org, "timezone", yamlx.Str(orgTimezone), nil)
	var progs []*yaml.Node
	for _, p := range programs {
		progs = append(progs, yamlx.Map("id", yamlx.Str(p.id), "name", yamlx.Str(p.name), "description", yamlx.Str(p.description), "services", yamlx.StrSeq(p.services)))
	}
	yamlx.Set(root, "programs", yamlx.Seq(progs...), nil)
	var people []*yaml.Node
	for _, s := range staff {
		var ps *yaml.Node
		if s.program != "" {
			ps = yamlx.StrSeq([]string{s.program})
		}
		people = append(people, yamlx.Map("id", yamlx.Str(s.id), "name", yamlx.Str(s.name), "email", yamlx.Str(s.email), "role", yamlx.Str(s.role), "programs", ps))
	}
	yamlx.Set(root, "staff", yamlx.Seq(people...), nil)
	return checked(doc, casefile.KindConfig)
}

// providersDoc writes providers.yaml: the service map.
func providersDoc() ([]byte, error) {
	data, err := fs.ReadFile(templates.FS, casefile.KindProviders.Template())
	if err != nil {
		return nil, err
	}
	doc, problems := yamlx.Parse(casefile.ProvidersPath, data)
	if doc == nil || len(problems) > 0 {
		return nil, diag.Invalid(problems)
	}
	var list []*yaml.Node
	for _, p := range providerMap {
		var svcs []*yaml.Node
		for _, s := range p.services {
			var elig *yaml.Node
			if s.eligibility != "" {
				elig = yamlx.Str(s.eligibility)
			}
			svcs = append(svcs, yamlx.Map("id", yamlx.Str(s.id), "name", yamlx.Str(s.name), "domain", yamlx.Str(s.domain), "eligibility", elig))
		}
		list = append(list, yamlx.Map("id", yamlx.Str(p.id), "name", yamlx.Str(p.name), "services", yamlx.Seq(svcs...),
			"languages", yamlx.StrSeq(p.langs),
			"contact", yamlx.Map("person", yamlx.Str("Intake desk"), "phone", yamlx.Str(p.phone), "email", yamlx.Str("intake@"+p.id+".example.org")),
			"address", yamlx.Str(fmt.Sprintf("%d %s Street", 10+len(p.id)*7, streets[len(p.name)%len(streets)])),
			"hours", yamlx.Str(p.hours)))
	}
	yamlx.Set(doc.Root(), "providers", yamlx.Seq(list...), nil)
	return checked(doc, casefile.KindProviders)
}

// checked encodes a document and checks it strictly against its schema.
func checked(doc *yamlx.Doc, k casefile.Kind) ([]byte, error) {
	out, err := casefile.EncodeDoc(doc, k)
	if err != nil {
		return nil, err
	}
	if _, problems := casefile.Check(doc.Path, k, out); len(problems) > 0 {
		return nil, fmt.Errorf("generated %s is invalid: %w", doc.Path, diag.Invalid(problems))
	}
	return out, nil
}

// servicesFor lists the provider services that address a domain.
func servicesFor(domain string) [][2]string {
	var out [][2]string
	for _, p := range providerMap {
		for _, s := range p.services {
			if s.domain == domain {
				out = append(out, [2]string{p.id, s.id})
			}
		}
	}
	return out
}

// allServices lists every provider service.
func allServices() [][2]string {
	var out [][2]string
	for _, p := range providerMap {
		for _, s := range p.services {
			out = append(out, [2]string{p.id, s.id})
		}
	}
	return out
}

func providerIDs() []string {
	var out []string
	for _, p := range providerMap {
		out = append(out, p.id)
	}
	slices.Sort(out)
	return out
}
