// Command readmegen regenerates the parts of README.md made from code: the
// tables of lifecycle moves and guards, of validation rules (and later of
// maturity items), and the tour, whose output is produced by running each
// command for real against a fresh repository with a fixed clock.
//
// Each generated part sits between
//
//	<!-- BEGIN generated:NAME -->
//	<!-- END generated:NAME -->
//
// Run `make readme` after changing a table or a command's output; a test
// fails while README.md is stale.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: readmegen README.md")
		os.Exit(2)
	}
	old, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := Generate(old)
	if err != nil {
		fmt.Fprintln(os.Stderr, "readmegen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[1], out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
