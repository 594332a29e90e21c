// Package cli is the cases command line: cobra commands, flags and
// printing. Each verb lives in its own file: a thin cobra constructor fills
// an options struct, a run function calls the domain (casefile) once and
// hands the result to a printer. Data goes to stdout; progress, counts and
// errors go to stderr.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
)

// Exit statuses.
const (
	exitOK      = 0
	exitInvalid = 1 // documents are invalid, or a guard refused
	exitUsage   = 2 // usage or environment error
)

// Main runs the command line with the process's arguments and streams and
// returns the exit status.
func Main() int {
	return Run(os.Args[1:], DefaultStreams())
}

// Run runs the command line with the given arguments and streams.
func Run(args []string, io *Streams) int {
	f := newFactory(io)
	root := newRootCmd(f)
	for _, rewrite := range rewriters {
		args = rewrite(root, args)
	}
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	return reportError(io.ErrOut, cmd, err)
}

// usageError marks a mistake in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// silentError carries an exit status whose message was already printed.
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// reportError prints err once, as one line per problem, and maps it to an
// exit status.
func reportError(w io.Writer, cmd *cobra.Command, err error) int {
	var silent *silentError
	if errors.As(err, &silent) {
		return silent.code
	}
	var invalid *diag.InvalidError
	if errors.As(err, &invalid) {
		for _, p := range invalid.Problems {
			fmt.Fprintln(w, p.String())
		}
		fmt.Fprintf(w, "cases: %s\n", countProblems(len(invalid.Problems)))
		return exitInvalid
	}
	var refused interface{ Refused() bool }
	if errors.As(err, &refused) && refused.Refused() {
		fmt.Fprintf(w, "cases: %s\n", err)
		return exitInvalid
	}
	var usage *usageError
	if errors.As(err, &usage) || isFlagError(err) {
		fmt.Fprintf(w, "cases: %s\n", err)
		if cmd != nil && isFlagError(err) {
			fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return exitUsage
	}
	fmt.Fprintf(w, "cases: %s\n", err)
	return exitUsage
}

func countProblems(n int) string {
	if n == 1 {
		return "1 problem; nothing was written"
	}
	return fmt.Sprintf("%d problems; nothing was written", n)
}

// isFlagError recognizes cobra's and pflag's argument errors.
func isFlagError(err error) bool {
	var fe *flagError
	if errors.As(err, &fe) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "unknown command", "accepts ", "requires at least", "requires at most", "if any flags in the group"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

type flagError struct{ error }

// commands holds the constructor of every verb; each verb's file registers
// itself in an init function, so adding a verb touches only its own file.
var commands []func(*factory) *cobra.Command

func register(newCmd func(*factory) *cobra.Command) { commands = append(commands, newCmd) }

// Global flag values, read once in the root command.
type globals struct {
	repo    string
	format  string
	noColor bool
	as      string
}

func newRootCmd(f *factory) *cobra.Command {
	v := viper.New()
	root := &cobra.Command{
		Use:   "cases",
		Short: "Case management for nonprofits, as YAML documents in git",
		Long: `cases keeps each client case as a folder of YAML documents (intake,
assessments, plan, notes, closure) in a git repository. Every command that
changes documents writes them atomically and makes exactly one commit.

The binary is called cases, not case: case is a reserved word in every
POSIX shell.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			// viper is read once, here: flags win over CASES_* environment
			// variables, which win over the user's config file.
			v.SetEnvPrefix("CASES")
			v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
			v.AutomaticEnv()
			if dir, err := os.UserConfigDir(); err == nil {
				v.SetConfigFile(dir + "/cases/config.yaml")
				if err := v.ReadInConfig(); err != nil && !errors.Is(err, os.ErrNotExist) && !strings.Contains(err.Error(), "no such file") {
					return fmt.Errorf("reading %s: %w", v.ConfigFileUsed(), err)
				}
			}
			_ = v.BindPFlag("repo", cmd.Flags().Lookup("repo"))
			_ = v.BindPFlag("user", cmd.Flags().Lookup("as"))
			_ = v.BindPFlag("format", cmd.Flags().Lookup("format"))
			f.g.repo = v.GetString("repo")
			f.g.as = v.GetString("user")
			f.g.format = cmd.Flags().Lookup("format").Value.String()
			if !cmd.Flags().Changed("format") && v.IsSet("format") && v.GetString("format") != "" {
				f.g.format = v.GetString("format")
			}
			_, noColorEnv := os.LookupEnv("NO_COLOR")
			f.g.noColor = noColorEnv || v.GetBool("no-color")
			if fl := cmd.Flags().Lookup("no-color"); fl != nil && fl.Changed {
				f.g.noColor = true
			}
			f.io.color = f.io.color && !f.g.noColor
			return nil
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &flagError{err} })
	pf := root.PersistentFlags()
	pf.String("repo", "", "case repository (default: the folder holding cases.yaml, found by walking up)")
	pf.String("format", "", "output format (each command lists the ones it knows)")
	pf.Bool("no-color", false, "no color in output (also NO_COLOR)")
	pf.String("as", "", "act as this staff member, by email or staff id (default: CASES_USER, then git user.email)")

	for _, newCmd := range commands {
		root.AddCommand(newCmd(f))
	}
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "completion":
			c.Example = "  source <(cases completion bash)\n  cases completion zsh > \"${fpath[1]}/_cases\""
			for _, sub := range c.Commands() {
				sub.Example = "  cases completion " + sub.Name()
			}
		case "help":
			c.Example = "  cases help new"
		}
	}
	return root
}

// openRepo finds and opens the case repository for a command.
func (f *factory) openRepo() (*casefile.Repo, error) {
	if f.repo != nil {
		return f.repo, nil
	}
	start := f.g.repo
	if start == "" {
		start = "."
	}
	root, err := casefile.Find(start)
	if err != nil {
		return nil, err
	}
	r, err := casefile.Open(root)
	if err != nil {
		return nil, err
	}
	r.Clock = f.clock
	r.Rand = f.rand
	if d := os.Getenv("CASES_LOCK_TIMEOUT"); d != "" {
		if t, err := parseDuration(d); err == nil {
			r.LockTimeout = t
		}
	}
	f.repo = r
	return r, nil
}
