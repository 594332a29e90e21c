package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casesproject/cases/cmd/cases/internal/cli"
)

// A step of the tour: a paragraph, then a command and its real output.
// Commands starting with "cases" run in-process; "cat" prints a file and
// "git" runs the real git. Every step runs in the repository made by the
// first one, with a fixed clock and fixed case ids, so the output is the
// same on every machine.
type step struct {
	text  string
	cmd   string // shell-like: words split on spaces, '...' groups words
	stdin string
	hide  bool // run but do not show (setup)
}

// A part of the tour is rendered into its own README section,
// generated:tour-NAME (the foundation part into generated:tour). All parts
// run in order against the same repository, so a later part can use the
// cases an earlier one opened. Each area adds its part in its own file:
//
//	func init() { register(part{order: 30, name: "assess", steps: ...}) }
type part struct {
	order int
	name  string
	steps []step
}

var parts []part

func register(p part) { parts = append(parts, p) }

func init() { register(part{order: 0, name: "", steps: tourSteps}) }

// tourSteps is the foundation part: init, new, show, list.
var tourSteps = []step{
	{text: "Make a case repository. You become its first staff member; add colleagues to `cases.yaml`.",
		cmd: "cases init clients --org 'Riverside Community Services' --program resettlement --program-name 'Refugee resettlement'"},
	{hide: true, cmd: "cd clients"},
	{hide: true, cmd: "add-staff ben 'Ben Okafor' ben@example.org caseworker"},
	{text: "Open a case from flags. The id is the month plus five random characters; `--id` fixes it here so the tour reads the same every time.",
		cmd: "cases new --id 2026-11-K7Q3M --name 'Amina Haddad' --dob 1988-03-14 --gender woman --language ar --interpreter --phone 555-0100 --safe-to-call --member 'relationship=spouse,name=Omar Haddad,dob=1985-07-01' --member 'relationship=child,name=Sara Haddad,dob=2015-04-02' --urgent food,housing --eligible --consent --referral-source partner-agency"},
	{text: "The intake is a commented YAML document that people can read and edit; empty template fields were dropped.",
		cmd: "cat cases/2026-11/2026-11-K7Q3M/intake.yaml"},
	{text: "Every command that writes makes exactly one commit, authored by the acting staff member, with a `Case:` trailer that history tools use.",
		cmd: "git log -1 --format=%an%n%s%n%n%b"},
	{text: "Or from a YAML file (`--from -` reads standard input); `--quiet` prints only the id, for scripts.",
		cmd: "cases new --id 2026-11-B4DR2 --from ../intake.yaml --quiet --as ben"},
	{text: "A mistake is refused with its place, the rule it breaks, and a message that never repeats the value (exit status 1; nothing is written).",
		cmd: "cases new --from ../typo.yaml"},
	{text: "`show` summarizes a case with no more personal data than that needs.",
		cmd: "cases show 2026-11-K7Q3M"},
	{text: "`list` filters and sorts; a table on a terminal, tab-separated when piped, `--format json` for scripts.",
		cmd: "cases list --open --sort worker --format table"},
}

// tourFiles are written before a step whose command names them: beside the
// repository when the step says ../NAME, else into the current folder. Parts
// add their own files in their init functions.
var tourFiles = map[string]string{
	"intake.yaml": `date: 2026-11-20
worker: ben
household:
  - id: m1
    relationship: self
    name: {given: Rosa, family: Alvarez}
    dob: 1979-02-11
    language: es
eligibility:
  - {program: resettlement, eligible: true, decided: 2026-11-20, by: ben}
consent:
  services: {given: true, date: 2026-11-20}
`,
	"typo.yaml": `date: 2026-11-20
worker: ben
household:
  - id: m1
    relatoinship: self
`,
}

// tourOutput caches one run of every part.
var tourOutput map[string]string

// tourSection returns the rendering of one part, running the whole tour
// once.
func tourSection(name string) (string, error) {
	if tourOutput == nil {
		out, err := tour()
		if err != nil {
			return "", err
		}
		tourOutput = out
	}
	return tourOutput[name], nil
}

// tour runs every part in order and renders each as Markdown.
func tour() (map[string]string, error) {
	sorted := slices.Clone(parts)
	slices.SortStableFunc(sorted, func(a, b part) int { return a.order - b.order })
	dir, err := os.MkdirTemp("", "cases-tour-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	home := filepath.Join(dir, ".home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Ana Ruiz\n\temail = ana@example.org\n[init]\n\tdefaultBranch = main\n"), 0o644); err != nil {
		return nil, err
	}
	restore := setenv(map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"), "GIT_CONFIG_NOSYSTEM": "1",
		"CASES_NOW": "2026-11-24T10:00:00Z", "CASES_SEED": "tour", "GIT_AUTHOR_DATE": "2026-11-24T09:00:00Z", "GIT_COMMITTER_DATE": "2026-11-24T09:00:00Z", "CASES_USER": "", "NO_COLOR": "1", "EDITOR": "true", "VISUAL": "",
	})
	defer restore()
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(dir); err != nil {
		return nil, err
	}

	rendered := map[string]string{}
	for _, p := range sorted {
		var b strings.Builder
		for _, s := range p.steps {
			for name, content := range tourFiles {
				// Inputs a step names as ../NAME live beside the
				// repository, as a person's files would, so they are
				// never strays in it; other names are files inside it.
				target := ""
				switch {
				case strings.Contains(s.cmd, " ../"+name):
					target = filepath.Join(dir, name)
				case strings.Contains(s.cmd, " "+name):
					target = name
				default:
					continue
				}
				if err := os.WriteFile(target, []byte(content), 0o644); err != nil {
					return nil, err
				}
			}
			out, code, err := run(s.cmd, s.stdin)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.cmd, err)
			}
			if s.hide {
				if code != 0 {
					return nil, fmt.Errorf("%s: exit status %d: %s", s.cmd, code, out)
				}
				continue
			}
			out = strings.ReplaceAll(out, dir, "~")
			if s.text != "" {
				b.WriteString(s.text + "\n\n")
			}
			fmt.Fprintf(&b, "```console\n$ %s\n%s", s.cmd, out)
			if code != 0 {
				fmt.Fprintf(&b, "$ echo $?\n%d\n", code)
			}
			b.WriteString("```\n\n")
		}
		rendered[p.name] = b.String()
	}
	return rendered, nil
}

func run(cmdline, stdin string) (string, int, error) {
	args := split(cmdline)
	switch args[0] {
	case "cd":
		return "", 0, os.Chdir(args[1])
	case "cat":
		data, err := os.ReadFile(args[1])
		return string(data), 0, err
	case "add-staff":
		return "", 0, addStaff(args[1], args[2], args[3], args[4])
	case "git":
		c := exec.Command("git", args[1:]...)
		out, err := c.CombinedOutput()
		return string(out), c.ProcessState.ExitCode(), err
	case "cases":
		var out bytes.Buffer
		code := cli.Run(args[1:], cli.NewStreams(strings.NewReader(stdin), &out, &out))
		return out.String(), code, nil
	}
	return "", 0, fmt.Errorf("unknown tour command %q", args[0])
}

// addStaff appends a staff member to cases.yaml and commits it with git,
// the way a manager would by hand.
func addStaff(id, name, email, role string) error {
	f, err := os.OpenFile("cases.yaml", os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	data, err := os.ReadFile("cases.yaml")
	if err != nil {
		return err
	}
	entry := fmt.Sprintf("  - id: %s\n    name: %s\n    email: %s\n    role: %s\n", id, name, email, role)
	updated := strings.Replace(string(data), "\n# The four levels", "\n"+entry+"# The four levels", 1)
	f.Close()
	if err := os.WriteFile("cases.yaml", []byte(updated), 0o644); err != nil {
		return err
	}
	for _, c := range [][]string{{"add", "cases.yaml"}, {"commit", "-q", "-m", "Add Ben to the staff"}} {
		if out, err := exec.Command("git", c...).CombinedOutput(); err != nil {
			return fmt.Errorf("git %v: %v: %s", c, err, out)
		}
	}
	return nil
}

// split splits a command line on spaces, keeping '...' together.
func split(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, has := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, has = !quoted, true
		case r == ' ' && !quoted:
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if has {
		out = append(out, cur.String())
	}
	return out
}

func setenv(vars map[string]string) func() {
	old := map[string]*string{}
	for k, v := range vars {
		if prev, ok := os.LookupEnv(k); ok {
			old[k] = &prev
		} else {
			old[k] = nil
		}
		if v == "" {
			os.Unsetenv(k)
		} else {
			os.Setenv(k, v)
		}
	}
	return func() {
		for k, v := range old {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
	}
}
