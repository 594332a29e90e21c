package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The CI examples are valid YAML that install cases the documented way and
// run validate in the format their CI reads.
func TestCIExamples(t *testing.T) {
	const install = "go install github.com/casesproject/cases/cmd/cases@latest"
	var gh struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string `yaml:"uses"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	data, err := os.ReadFile("../../examples/ci/github-actions.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &gh); err != nil {
		t.Fatal(err)
	}
	var runs []string
	for _, s := range gh.Jobs["validate"].Steps {
		runs = append(runs, s.Run)
	}
	if !slices.Contains(runs, install) || !slices.Contains(runs, "cases validate --format github") {
		t.Errorf("github-actions.yml runs %q; want the install and cases validate --format github", runs)
	}

	var gl map[string]struct {
		Script    []string `yaml:"script"`
		Artifacts struct {
			Reports struct {
				JUnit string `yaml:"junit"`
			} `yaml:"reports"`
		} `yaml:"artifacts"`
	}
	if data, err = os.ReadFile("../../examples/ci/gitlab-ci.yml"); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &gl); err != nil {
		t.Fatal(err)
	}
	job := gl["cases-validate"]
	if len(job.Script) != 2 || job.Script[0] != install || !strings.HasPrefix(job.Script[1], "cases validate --format junit > "+job.Artifacts.Reports.JUnit) {
		t.Errorf("gitlab-ci.yml job: %+v", job)
	}
}

// Every rule of the README's table has a broken fixture in a validate
// script whose expected output names it.
func TestEveryRuleHasAFixture(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(readme), "<!-- BEGIN generated:rules -->")
	table, _, _ = strings.Cut(table, "<!-- END generated:rules -->")
	scripts, err := filepath.Glob("testdata/script/validate_*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, s := range scripts {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(data)
	}
	n := 0
	for _, row := range strings.Split(table, "\n") {
		name, ok := strings.CutPrefix(row, "| `")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(name, "`")
		n++
		if !strings.Contains(all.String(), ": "+name+": ") {
			t.Errorf("rule %s has no validate script expecting a problem of it", name)
		}
	}
	if n < 40 {
		t.Fatalf("found %d rules in the README's table; is it still generated there?", n)
	}
}
