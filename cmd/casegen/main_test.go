package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCasegen(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "cases.json")
	var out, errOut bytes.Buffer
	if code := run([]string{"-n", "6", "-seed", "3", "-manifest", manifest, filepath.Join(dir, "repo")}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "casegen: 6 cases,") {
		t.Errorf("summary: %q", errOut.String())
	}
	var cases []struct{ ID, Stage string }
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &cases); err != nil || len(cases) != 6 {
		t.Fatalf("manifest: %v, %d cases", err, len(cases))
	}
	for _, c := range cases {
		if _, err := os.Stat(filepath.Join(dir, "repo", "cases", c.ID[:7], c.ID, "case.yaml")); err != nil {
			t.Errorf("case %s listed but not written: %v", c.ID, err)
		}
	}
	// Into a folder that is not empty: refused, nothing touched.
	if code := run([]string{"-n", "2", filepath.Join(dir, "repo")}, &out, &errOut); code != 1 {
		t.Errorf("generating into a full folder: exit %d", code)
	}
	for _, args := range [][]string{{}, {"-n", "-1", dir + "/x"}, {"-now", "yesterday", dir + "/y"}, {"-bogus", dir + "/z"}} {
		errOut.Reset()
		if code := run(args, &out, &errOut); code != 2 {
			t.Errorf("casegen %v: exit %d, want 2", args, code)
		}
	}
}
