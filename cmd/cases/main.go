// Command cases manages nonprofit case records kept as YAML documents in a
// git repository. See the README for a tour.
package main

import (
	"os"

	"github.com/casesproject/cases/cmd/cases/internal/cli"
	_ "time/tzdata" // organization time zones work on machines without a zone database
)

func main() { os.Exit(cli.Main()) }
