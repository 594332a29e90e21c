package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzFolder puts arbitrary bytes in place of one document of the valid
// repository (a case's documents, cases.yaml, providers.yaml, the
// instrument) and runs every rule over the case and the configuration:
// documents that pass the strict reader but not the schema reach the rules
// with odd values, and no rule may panic or print a problem that is not
// one well-formed line. Run by make fuzz.
func FuzzFolder(f *testing.F) {
	a, err := txtar.ParseFile("testdata/valid.txtar")
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	orig := map[string][]byte{}
	for _, file := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(file.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, file.Data, 0o644); err != nil {
			f.Fatal(err)
		}
		orig[file.Name] = file.Data
	}
	const id = "2026-09-A2B3C"
	targets := []string{
		casefile.ConfigPath, casefile.ProvidersPath, "instruments/needs.yaml",
		casefile.DocPath(id, casefile.KindCase), casefile.DocPath(id, casefile.KindIntake),
		casefile.DocPath(id, casefile.KindPlan), casefile.DocPath(id, casefile.KindClosure),
		casefile.AssessmentPath(id, "2026-09-10", "m1"),
		casefile.NotePath(id, "20261002T090000Z-Y8Z9A"),
	}
	for i, t := range targets {
		f.Add(uint8(i), orig[t])
	}
	open := func() (*casefile.Repo, error) {
		r, err := casefile.Open(dir)
		if err == nil {
			r.Clock = func() time.Time { return now }
		}
		return r, err
	}
	base, err := open()
	if err != nil {
		f.Fatal(err)
	}
	baseFolder, err := base.LoadCase(id, casefile.Select{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		target := targets[int(which)%len(targets)]
		r, folder := base, baseFolder
		if loc := casefile.Locate(target); loc.InCase {
			// A case document is checked in memory, as cases edit does.
			folder = folder.Replace(target, loc.Kind, data)
		} else {
			// The configuration is read from disk by a fresh Repo.
			p := filepath.Join(dir, filepath.FromSlash(target))
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(p, orig[target], 0o644)
			if r, err = open(); err != nil {
				t.Fatal(err)
			}
		}
		c := New(r)
		var all []diag.Problem
		all = append(all, c.Folder(folder)...)
		all = append(all, c.Config()...)
		all = append(all, c.Providers()...)
		all = append(all, c.Instrument("needs")...)
		for _, p := range all {
			if p.Path == "" || p.Line < 1 || p.Col < 1 || p.Rule == "" || p.Message == "" || strings.ContainsAny(p.Message, "\r\n") {
				t.Fatalf("bad problem %+v", p)
			}
		}
	})
}
