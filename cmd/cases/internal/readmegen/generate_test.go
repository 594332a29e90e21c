package main

import (
	"os"
	"testing"
)

// The README's generated parts (tables from code, the tour's real output)
// must match what the code produces now. Run `make readme` to refresh them.
func TestReadmeIsCurrent(t *testing.T) {
	path := "../../../../README.md"
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := Generate(old)
	if err != nil {
		t.Fatal(err)
	}
	if string(fresh) != string(old) {
		t.Fatal("README.md is out of date: run make readme")
	}
}
