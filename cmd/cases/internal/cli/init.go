package cli

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/casesproject/cases/casefile"
	"github.com/spf13/cobra"
)

type initOptions struct {
	dir         string
	org         string
	program     string
	programName string
	name        string
}

func init() { register(newInitCmd) }

func newInitCmd(f *factory) *cobra.Command {
	opts := &initOptions{}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Make a case repository",
		Long: `Init makes DIR (default: the current folder) a case repository: a git
repository (a new one, or an existing one without cases.yaml) holding
cases.yaml, the default needs-assessment instrument in instruments/ and an
empty providers.yaml, recorded in a first commit. You become the first
staff member (a manager); add colleagues to cases.yaml.

Run in a folder that already holds cases.yaml, it changes nothing.`,
		Example: `  cases init clients --org "Riverside Community Services" --program resettlement
  cases init --as ana@example.org --name "Ana Ruiz"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = "."
			if len(args) == 1 {
				opts.dir = args[0]
			}
			return initRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.org, "org", "", "organization name")
	fl.StringVar(&opts.program, "program", "", `id of the first program (default "general")`)
	fl.StringVar(&opts.programName, "program-name", "", "name of the first program")
	fl.StringVar(&opts.name, "name", "", "your name as it appears on commits (default: git's user.name)")
	return cmd
}

func initRun(f *factory, opts *initOptions) error {
	_, err := casefile.Init(opts.dir, casefile.InitOptions{
		Organization: opts.org,
		Program:      opts.program,
		ProgramName:  opts.programName,
		Name:         opts.name,
		Email:        f.g.as,
		Now:          f.clock(),
	})
	if errors.Is(err, casefile.ErrAlreadyInitialized) {
		fmt.Fprintf(f.io.ErrOut, "cases: %s is already a case repository; nothing changed\n", opts.dir)
		return nil
	}
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(opts.dir)
	fmt.Fprintf(f.io.Out, "Initialized a case repository in %s\n", abs)
	fmt.Fprintln(f.io.Out, "Next: add your colleagues to cases.yaml, then open a case with cases new.")
	return nil
}
