package cli

import (
	"fmt"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/casework"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/spf13/cobra"
)

func init() { register(newProviderCmd) }

func newProviderCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "provider",
		Short: "The service-provider directory referrals point to (providers.yaml)",
		Long: `Provider manages providers.yaml: the partner organizations, the services
each offers (with who is eligible), the languages they serve in, a contact
person, address and hours. Referrals (cases plan ID refer) and service
notes point into it: it is the program's service map.`,
		Example: `  cases provider add city-food-bank --name "City Food Bank" \
      --service "id=food-pantry,name=Weekly food pantry,domain=food,eligibility=County residents" \
      --language en,es,ar --person "Intake desk" --phone 555-0140 --address "12 Main Street" --hours "Mon-Fri 9-17"
  cases provider list
  cases provider show city-food-bank`,
	}
	cmd.AddCommand(newProviderAddCmd(f), newProviderListCmd(f), newProviderShowCmd(f))
	return cmd
}

func newProviderAddCmd(f *factory) *cobra.Command {
	var in casework.ProviderInput
	var services []string
	var noCommit bool
	cmd := &cobra.Command{
		Use:   "add ID",
		Short: "Add a provider and its services",
		Long: `Add puts a provider in providers.yaml and commits it. Each --service is
"id=...,name=...,domain=...,eligibility=..." (id is required; a value may
not hold a comma).`,
		Example: `  cases provider add city-food-bank --name "City Food Bank" \
      --service "id=food-pantry,name=Weekly food pantry,domain=food" --language en,es`,
		Args: exactArgs(1, "ID"),
		RunE: func(c *cobra.Command, args []string) error {
			in.ID = args[0]
			if in.Name == "" {
				return usagef("--name is required")
			}
			if len(services) == 0 {
				return usagef(`at least one --service "id=...,name=..." is required`)
			}
			for _, spec := range services {
				s, err := parseService(spec)
				if err != nil {
					return err
				}
				in.Services = append(in.Services, s)
			}
			r, actor, err := f.openForWrite()
			if err != nil {
				return err
			}
			res, err := casework.AddProvider(r, casefile.UpdateOptions{Actor: actor, Verb: "provider", NoCommit: noCommit}, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(f.io.Out, "Added provider %s (%d %s)%s.\n", in.ID, len(in.Services), pluralize(len(in.Services), "service", "services"), committed(res))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Name, "name", "", "the organization's name")
	fl.StringArrayVar(&services, "service", nil, `a service: "id=...,name=...,domain=...,eligibility=..." (repeat)`)
	fl.StringSliceVar(&in.Languages, "language", nil, "languages served (tags, comma-separated)")
	fl.StringVar(&in.Person, "person", "", "contact person or desk")
	fl.StringVar(&in.Phone, "phone", "", "contact phone")
	fl.StringVar(&in.Email, "email", "", "contact email")
	fl.StringVar(&in.Address, "address", "", "address")
	fl.StringVar(&in.Hours, "hours", "", "opening hours")
	fl.StringVar(&in.Website, "website", "", "website")
	fl.BoolVar(&noCommit, "no-commit", false, "stage the change instead of committing it")
	return cmd
}

func parseService(spec string) (casefile.Service, error) {
	var s casefile.Service
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return s, usagef(`--service takes key=value pairs separated by commas, e.g. "id=food-pantry,name=Weekly food pantry"`)
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "id":
			s.ID = v
		case "name":
			s.Name = v
		case "domain":
			s.Domain = v
		case "eligibility":
			s.Eligibility = v
		default:
			return s, usagef("--service: unknown key %q (use id, name, domain, eligibility)", strings.TrimSpace(k))
		}
	}
	if s.ID == "" {
		return s, usagef("--service needs id=...")
	}
	return s, nil
}

func loadProviders(f *factory) (*casefile.Providers, error) {
	r, err := f.openRepo()
	if err != nil {
		return nil, err
	}
	d, problems, err := r.Providers()
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, diag.Invalid(problems)
	}
	return &d.Data, nil
}

type providerJSON struct {
	ID        string        `json:"id"`
	Name      string        `json:"name"`
	Services  []serviceJSON `json:"services"`
	Languages []string      `json:"languages"`
	Person    string        `json:"contact_person,omitempty"`
	Phone     string        `json:"phone,omitempty"`
	Email     string        `json:"email,omitempty"`
	Address   string        `json:"address,omitempty"`
	Hours     string        `json:"hours,omitempty"`
	Website   string        `json:"website,omitempty"`
}

type serviceJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Domain      string `json:"domain,omitempty"`
	Eligibility string `json:"eligibility,omitempty"`
}

func toProviderJSON(p casefile.Provider) providerJSON {
	out := providerJSON{ID: p.ID, Name: p.Name, Languages: nonNil(p.Languages), Services: []serviceJSON{},
		Person: p.Contact.Person, Phone: p.Contact.Phone, Email: p.Contact.Email, Address: p.Address, Hours: p.Hours, Website: p.Website}
	for _, s := range p.Services {
		out.Services = append(out.Services, serviceJSON{s.ID, s.Name, s.Domain, s.Eligibility})
	}
	return out
}

func newProviderListCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List providers and their services",
		Long: `List prints one line per provider: id, name, its services and languages.

Formats: table (default on a terminal), tsv (default when piped), json.`,
		Example: "  cases provider list\n  cases provider list --format json",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			format, err := f.format("table", "tsv", "json")
			if err != nil {
				return err
			}
			ps, err := loadProviders(f)
			if err != nil {
				return err
			}
			if format == "json" {
				out := []providerJSON{}
				for _, p := range ps.Providers {
					out = append(out, toProviderJSON(p))
				}
				return writeJSON(f.io.Out, out)
			}
			rows := [][]string{}
			for _, p := range ps.Providers {
				var svcs []string
				for _, s := range p.Services {
					svcs = append(svcs, s.ID)
				}
				rows = append(rows, []string{p.ID, p.Name, strings.Join(svcs, ","), orDash(strings.Join(p.Languages, ","))})
			}
			if format == "tsv" {
				return writeTSV(f.io.Out, []string{"id", "name", "services", "languages"}, rows)
			}
			return writeTable(f.io.Out, []string{"ID", "NAME", "SERVICES", "LANGUAGES"}, rows)
		},
	}
}

func newProviderShowCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "show PROVIDER",
		Short: "Show one provider: services, eligibility, languages, contact, hours",
		Long: `Show prints one provider of the directory.

Formats: table (default), json.`,
		Example: "  cases provider show city-food-bank",
		Args:    exactArgs(1, "PROVIDER"),
		RunE: func(c *cobra.Command, args []string) error {
			format, err := f.format("table", "json")
			if err != nil {
				return err
			}
			ps, err := loadProviders(f)
			if err != nil {
				return err
			}
			p := ps.Provider(args[0])
			if p == nil {
				return usagef("no provider %s in providers.yaml (cases provider list)", args[0])
			}
			if format == "json" {
				return writeJSON(f.io.Out, toProviderJSON(*p))
			}
			w := f.io.Out
			line := func(label, v string) {
				if v != "" {
					fmt.Fprintf(w, "%-10s %s\n", label+":", v)
				}
			}
			line("provider", p.ID)
			line("name", p.Name)
			line("languages", strings.Join(p.Languages, ", "))
			contact := strings.Join(nonEmpty(p.Contact.Person, p.Contact.Phone, p.Contact.Email), ", ")
			line("contact", contact)
			line("address", p.Address)
			line("hours", p.Hours)
			line("website", p.Website)
			fmt.Fprintln(w, "services:")
			for _, s := range p.Services {
				l := fmt.Sprintf("  %-16s %s", s.ID, s.Name)
				if s.Domain != "" {
					l += " (" + s.Domain + ")"
				}
				fmt.Fprintln(w, l)
				if s.Eligibility != "" {
					fmt.Fprintf(w, "  %-16s eligibility: %s\n", "", s.Eligibility)
				}
			}
			return nil
		},
	}
}

func nonEmpty(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
