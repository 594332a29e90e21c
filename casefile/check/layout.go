package check

import (
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/templates"
)

// Entry is something the top of a case repository may hold besides the
// documents of the layout.
type Entry struct {
	Name string // a file name, a folder name ending in "/", or a prefix ending in "*"
	What string
}

// TopLevel lists what may sit at the top of a case repository besides
// cases.yaml, providers.yaml, instruments/, cases/ and program/maturity.yaml.
// Anything else there is reported as layout-stray, unless git ignores it:
// a client's scanned letter dropped next to cases.yaml must not go unseen.
var TopLevel = []Entry{
	{"templates/", "your own document templates (templates/<kind>.yaml, e.g. note.yaml), which override the built-in ones"},
	{"README*", "a README for the people who work in the repository"},
	{"LICENSE*", "a licence"},
	{"CODEOWNERS", "who reviews which cases (also under .github/)"},
	{".gitignore", "files git ignores; validate skips them too"},
	{".gitattributes", "git attributes"},
	{".mailmap", "git's map of names and emails"},
	{".editorconfig", "editor settings"},
	{".github/", "GitHub settings and workflows (see examples/ci/)"},
	{".gitlab/", "GitLab settings"},
	{".gitlab-ci.yml", "the GitLab CI pipeline (see examples/ci/)"},
	{".pre-commit-config.yaml", "the pre-commit framework's hooks"},
	{".vscode/", "editor settings, such as the YAML language server's"},
	{".schemas/", "JSON Schemas written by cases schema export .schemas, for editors working offline"},
}

// templateNames are the templates a repository may override: those
// cases has built in.
var templateNames = func() []string {
	var out []string
	for _, k := range casefile.Kinds {
		if _, err := fs.Stat(templates.FS, k.Template()); err == nil {
			out = append(out, k.Template())
		}
	}
	return out
}()

func allowedAtTop(name string, dir bool) bool {
	if dir {
		name += "/"
	}
	for _, e := range TopLevel {
		if prefix, ok := strings.CutSuffix(e.Name, "*"); ok && !dir && strings.HasPrefix(name, prefix) || e.Name == name {
			return true
		}
	}
	return false
}

var monthRE = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// item is one file or folder of the repository outside the case folders,
// with its problems.
type item struct {
	path     string
	kind     casefile.Kind
	problems []diag.Problem
	config   bool   // part of the configuration every check depends on
	inst     string // instruments/<inst>.yaml
	stray    bool   // reported as stray unless git ignores it
}

const (
	strayTop   = "not part of a case repository's layout; move it out of the repository or list it in .gitignore"
	strayCases = "cases/ holds only month folders (yyyy-mm) of case folders (yyyy-mm-XXXXX)"
	strayCase  = "not a document of a case folder: case.yaml, intake.yaml, plan.yaml, closure.yaml, assessments/ and notes/"
	strayNote  = "notes are named <yyyymmddThhmmssZ>-<five letters or digits>.yaml, after their time in UTC"
	strayAsmt  = "assessments are named <yyyy-mm-dd>-<member>.yaml, after their date and member"
	strayInst  = "instruments/ holds only instruments named <id>.yaml (lower-case kebab-case)"
	strayProg  = "program/ holds only maturity.yaml"
	strayTmpl  = "not a template cases reads; templates are named after their kind (note.yaml, intake.yaml, ...)"
)

func strayProblem(p, msg string) diag.Problem {
	return diag.Problem{Path: p, Line: 1, Col: 1, Rule: LayoutStray, Message: msg}
}

func symlinkProblem(p string) diag.Problem {
	return diag.Problem{Path: p, Line: 1, Col: 1, Rule: casefile.RuleLayoutSymlink,
		Message: "symbolic links and special files are not allowed in a case repository; replace it with a regular file or remove it"}
}

// scan lists the repository outside the case folders: the documents and
// files at the top, what lies in cases/ besides case folders, and the ids
// of the case folders wanted.
func (v *run) scan() error {
	entries, err := os.ReadDir(v.r.Root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case name == ".git":
		case !e.IsDir() && !e.Type().IsRegular():
			v.top(item{path: name, problems: []diag.Problem{symlinkProblem(name)}, config: name == casefile.ConfigPath || name == casefile.ProvidersPath})
		case e.IsDir() && name == casefile.CasesDir:
			if err := v.scanCases(); err != nil {
				return err
			}
		case e.IsDir() && name == casefile.InstrumentDir:
			v.scanDir(name, strayInst, func(file string) (item, bool) {
				id, ok := strings.CutSuffix(file, ".yaml")
				if !ok || !casefile.ValidSlug(id) {
					return item{}, false
				}
				return item{kind: casefile.KindInstrument, inst: id}, true
			})
		case e.IsDir() && name == "program":
			v.scanDir(name, strayProg, func(file string) (item, bool) {
				return item{kind: casefile.KindMaturity}, file == "maturity.yaml"
			})
		case e.IsDir() && name == "templates":
			v.scanDir(name, strayTmpl, func(file string) (item, bool) {
				return item{}, slices.Contains(templateNames, file)
			})
		case name == casefile.ConfigPath:
			v.top(item{path: name, kind: casefile.KindConfig, config: true})
		case name == casefile.ProvidersPath:
			v.top(item{path: name, kind: casefile.KindProviders, config: true})
		case allowedAtTop(name, e.IsDir()):
		case e.IsDir():
			v.top(item{path: name + "/", stray: true, problems: []diag.Problem{strayProblem(name+"/", strayTop)}})
		default:
			v.top(item{path: name, stray: true, problems: []diag.Problem{strayProblem(name, strayTop)}})
		}
	}
	return nil
}

// scanDir lists a folder of the layout that holds files only: accept says
// which names belong (and what they are); anything else is stray.
func (v *run) scanDir(dir, msg string, accept func(name string) (item, bool)) {
	if !v.scope.touches(dir) && dir != casefile.InstrumentDir {
		return // instruments are configuration: the cases checked may use them
	}
	entries, err := os.ReadDir(v.r.Abs(dir))
	if err != nil {
		v.top(item{path: dir + "/", problems: []diag.Problem{{Path: dir + "/", Line: 1, Col: 1, Rule: LayoutStray, Message: "could not be listed"}}})
		return
	}
	for _, e := range entries {
		p := dir + "/" + e.Name()
		if e.IsDir() {
			v.top(item{path: p + "/", stray: true, problems: []diag.Problem{strayProblem(p+"/", msg)}})
			continue
		}
		if !e.Type().IsRegular() {
			v.top(item{path: p, problems: []diag.Problem{symlinkProblem(p)}})
			continue
		}
		it, ok := accept(e.Name())
		if !ok {
			v.top(item{path: p, stray: true, problems: []diag.Problem{strayProblem(p, msg)}})
			continue
		}
		it.path = p
		v.top(it)
	}
}

// scanCases lists cases/: month folders of case folders. Case folders in
// the wrong month break case-id; anything else is stray.
func (v *run) scanCases() error {
	if !v.scope.touches(casefile.CasesDir) {
		return nil
	}
	months, err := os.ReadDir(v.r.Abs(casefile.CasesDir))
	if err != nil {
		return err
	}
	for _, m := range months {
		mp := casefile.CasesDir + "/" + m.Name()
		switch {
		case m.Type()&fs.ModeSymlink != 0 || !m.IsDir() && !m.Type().IsRegular():
			v.top(item{path: mp, problems: []diag.Problem{symlinkProblem(mp)}})
			continue
		case !m.IsDir():
			v.top(item{path: mp, stray: true, problems: []diag.Problem{strayProblem(mp, strayCases)}})
			continue
		case !monthRE.MatchString(m.Name()):
			v.top(item{path: mp + "/", stray: true, problems: []diag.Problem{strayProblem(mp+"/", strayCases)}})
			continue
		}
		if !v.scope.touches(mp) {
			continue
		}
		entries, err := os.ReadDir(v.r.Abs(mp))
		if err != nil {
			return err
		}
		for _, e := range entries {
			p := mp + "/" + e.Name()
			switch {
			case e.Type()&fs.ModeSymlink != 0 || !e.IsDir() && !e.Type().IsRegular():
				v.top(item{path: p, problems: []diag.Problem{symlinkProblem(p)}})
			case e.IsDir() && casefile.ValidCaseID(e.Name()) && e.Name()[:7] == m.Name():
				if v.scope.touches(p) {
					v.ids = append(v.ids, e.Name())
				}
			case e.IsDir() && casefile.ValidCaseID(e.Name()):
				v.top(item{path: p + "/", problems: []diag.Problem{{Path: p + "/", Line: 1, Col: 1, Rule: CaseID,
					Message: "a case folder belongs under the month its id names: move it to " + casefile.CaseDir(e.Name()) + "/"}}})
			case e.IsDir():
				v.top(item{path: p + "/", stray: true, problems: []diag.Problem{strayProblem(p+"/", strayCases)}})
			default:
				v.top(item{path: p, stray: true, problems: []diag.Problem{strayProblem(p, strayCases)}})
			}
		}
	}
	slices.Sort(v.ids)
	return nil
}

// caseStrays are the problems of files in a case folder that do not belong
// there (symlinks are already reported as such).
func caseStrays(f *casefile.Folder) []diag.Problem {
	var out []diag.Problem
	for _, s := range f.Stray {
		if slices.ContainsFunc(f.Problems, func(p diag.Problem) bool { return p.Path == s && p.Rule == casefile.RuleLayoutSymlink }) {
			continue
		}
		msg := strayCase
		switch rest := strings.TrimPrefix(s, f.Dir+"/"); {
		case strings.HasPrefix(rest, "notes/") && !strings.HasSuffix(rest, "/"):
			msg = strayNote
		case strings.HasPrefix(rest, "assessments/") && !strings.HasSuffix(rest, "/"):
			msg = strayAsmt
		}
		out = append(out, strayProblem(s, msg))
	}
	return out
}
