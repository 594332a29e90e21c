// Command casegen writes a synthetic case repository: N realistic cases
// with their whole git history, drawn from a seed (the same seed gives the
// same repository, byte for byte). It needs only Go, not the git CLI.
//
//	casegen -n 40 -seed 2026 demo/
//	casegen -n 10000 -seed 1 -now 2026-11-20T23:00:00Z big/
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/casesproject/cases/casefile/gen"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("casegen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	n := fl.Int("n", 40, "number of cases")
	seed := fl.Uint64("seed", 1, "seed: the same seed gives the same repository")
	now := fl.String("now", gen.DefaultNow.Format(time.RFC3339), "end of the simulated history (RFC 3339)")
	months := fl.Int("months", 0, "months of history before -now (default: from -n)")
	engine := fl.Bool("engine", false, "commit through the commands' commit engine instead of writing a pack (slow; same result)")
	manifest := fl.String("manifest", "", "also write the list of cases (id, stage, closure reason) as JSON to this file")
	verbose := fl.Bool("v", false, "say what is being done, with timings")
	fl.Usage = func() {
		fmt.Fprintf(stderr, "usage: casegen [flags] DIR\n\nWrites a synthetic case repository of -n cases into DIR (new or empty).\n\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 1 {
		fl.Usage()
		return 2
	}
	t, err := time.Parse(time.RFC3339, *now)
	if err != nil {
		fmt.Fprintln(stderr, "casegen: -now must be an RFC 3339 time, such as 2026-11-20T23:00:00Z")
		return 2
	}
	if *n < 0 {
		fmt.Fprintln(stderr, "casegen: -n cannot be negative")
		return 2
	}
	opts := gen.Options{Cases: *n, Seed: *seed, Now: t, Months: *months}
	if *verbose {
		opts.Progress = func(format string, args ...any) { fmt.Fprintf(stderr, "casegen: "+format+"\n", args...) }
	}
	generate := gen.Generate
	if *engine {
		generate = gen.GenerateWithEngine
	}
	start := time.Now()
	st, err := generate(fl.Arg(0), opts)
	if err != nil {
		fmt.Fprintln(stderr, "casegen:", err)
		return 1
	}
	if *manifest != "" {
		data, _ := json.MarshalIndent(st.IDs, "", "  ")
		if err := os.WriteFile(*manifest, append(data, '\n'), 0o644); err != nil {
			fmt.Fprintln(stderr, "casegen:", err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "casegen: %d cases, %d commits over %d months, %d files in %s (%.1fs); HEAD %s\n",
		st.Cases, st.Commits, st.Months, st.Files, fl.Arg(0), time.Since(start).Seconds(), st.Head[:12])
	return 0
}
