package casework

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// ProviderInput is a partner organization for the service directory.
type ProviderInput struct {
	ID, Name  string
	Services  []casefile.Service
	Languages []string
	Person    string
	Phone     string
	Email     string
	Address   string
	Hours     string
	Website   string
}

var (
	providerOrder = []string{"id", "name", "services", "languages", "contact", "address", "hours", "website"}
	serviceOrder  = []string{"id", "name", "domain", "eligibility"}
)

// AddProvider adds a provider to providers.yaml (the service directory
// referrals point to) and commits it.
func AddProvider(r *casefile.Repo, opts casefile.UpdateOptions, in ProviderInput) (*casefile.Result, error) {
	if err := r.RequireValidConfig(); err != nil {
		return nil, err
	}
	if !casefile.ValidSlug(in.ID) {
		return nil, fmt.Errorf("a provider id is lower-case kebab-case, such as city-food-bank")
	}
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("a provider needs its name")
	}
	if len(in.Services) == 0 {
		return nil, fmt.Errorf("a provider offers at least one service")
	}
	seen := map[string]bool{}
	for i, s := range in.Services {
		if s.Name == "" {
			in.Services[i].Name = s.ID
		}
		if !casefile.ValidSlug(s.ID) {
			return nil, fmt.Errorf("a service id is lower-case kebab-case, such as food-pantry")
		}
		if seen[s.ID] {
			return nil, fmt.Errorf("service %s is listed twice", s.ID)
		}
		seen[s.ID] = true
	}
	return r.Update(opts, func(tx *casefile.Tx) error {
		tx.Summary = "add " + in.ID
		data, err := r.ReadFile(casefile.ProvidersPath)
		if errors.Is(err, fs.ErrNotExist) {
			data, err = r.Template(casefile.KindProviders.Template())
		}
		if err != nil {
			return err
		}
		doc, problems := casefile.Check(casefile.ProvidersPath, casefile.KindProviders, data)
		if doc == nil || len(problems) > 0 {
			return diag.Invalid(problems)
		}
		list := yamlx.EnsureSeq(doc.Root(), "providers", nil)
		if item(list, in.ID) != nil {
			return fmt.Errorf("provider %s is already in providers.yaml", in.ID)
		}
		list.Content = append(list.Content, providerNode(in))
		return tx.WriteDoc(doc, casefile.KindProviders)
	})
}

func providerNode(in ProviderInput) *yaml.Node {
	m := yamlx.Map("id", yamlx.Str(in.ID), "name", yamlx.Str(in.Name))
	svcs := yamlx.Seq()
	for _, s := range in.Services {
		sm := yamlx.Map("id", yamlx.Str(s.ID), "name", yamlx.Str(s.Name))
		setStr(sm, "domain", s.Domain, serviceOrder)
		setStr(sm, "eligibility", s.Eligibility, serviceOrder)
		svcs.Content = append(svcs.Content, sm)
	}
	yamlx.Set(m, "services", svcs, providerOrder)
	if len(in.Languages) > 0 {
		yamlx.Set(m, "languages", yamlx.StrSeq(in.Languages), providerOrder)
	}
	if in.Person != "" || in.Phone != "" || in.Email != "" {
		c := yamlx.Map("person", strOrNil(in.Person), "phone", strOrNil(in.Phone), "email", strOrNil(in.Email))
		yamlx.Set(m, "contact", c, providerOrder)
	}
	setStr(m, "address", in.Address, providerOrder)
	setStr(m, "hours", in.Hours, providerOrder)
	setStr(m, "website", in.Website, providerOrder)
	return m
}
