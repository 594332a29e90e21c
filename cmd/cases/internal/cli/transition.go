package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/casework"
	"github.com/spf13/cobra"
)

type transitionOptions struct {
	id, stage string
	force     bool
	reason    string
	noCommit  bool
}

func init() { register(newTransitionCmd) }

func newTransitionCmd(f *factory) *cobra.Command {
	opts := &transitionOptions{}
	cmd := &cobra.Command{
		Use:   "transition ID STAGE",
		Short: "Move a case to another stage of its lifecycle",
		Long: `Transition moves a case to another stage. The move must be one of the
allowed moves, and the case's documents must pass the move's guards and
every guard the new stage requires; otherwise it is refused (exit status 1)
with each failing guard's name, what is missing and which file to fix.

--force --reason TEXT overrides the guards (or a move that is not
allowed); the stage history records the move as forced, with the reason
and the guards it overrode. --reason alone records why on an allowed move.

Stages: ` + strings.Join(casefile.Stages, ", ") + `. Closing has its own commands:
cases close (closure.yaml and the move in one commit) and cases reopen.`,
		Example: `  cases transition 2026-11-K7Q3M assessment
  cases transition 2026-11-K7Q3M planning --force --reason "risk scored on paper; entering it tomorrow"
  cases transition 2026-11-K7Q3M planning --reason "plan revision after the job loss"`,
		Args: exactArgs(2, "ID and STAGE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id, opts.stage = args[0], args[1]
			if !slices.Contains(casefile.Stages, opts.stage) {
				return usagef("unknown stage %q: use one of %s", opts.stage, strings.Join(casefile.Stages, ", "))
			}
			if opts.force && strings.TrimSpace(opts.reason) == "" {
				return usagef("--force needs --reason TEXT: the stage history records why the guards were overridden")
			}
			return transitionRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.force, "force", false, "override failing guards or a move that is not allowed (needs --reason)")
	fl.StringVar(&opts.reason, "reason", "", "why, recorded in the stage history")
	fl.BoolVar(&opts.noCommit, "no-commit", false, "stage the change instead of committing it")
	return cmd
}

func transitionRun(f *factory, opts *transitionOptions) error {
	r, actor, err := f.openForWrite()
	if err != nil {
		return err
	}
	out, err := casework.Transition(r, casefile.UpdateOptions{Actor: actor, Verb: "transition", NoCommit: opts.noCommit}, opts.id, opts.stage, opts.force, opts.reason)
	if err != nil {
		return err
	}
	printMove(f, opts.id, out)
	return nil
}

// printMove reports a stage move.
func printMove(f *factory, id string, out *casework.Outcome) {
	m := out.Move
	line := fmt.Sprintf("Case %s: %s -> %s", id, m.From, m.To)
	if m.Forced {
		line += " (forced"
		if len(m.Guards) > 0 {
			line += " over " + strings.Join(m.Guards, ", ")
		}
		line += ")"
	}
	fmt.Fprintf(f.io.Out, "%s%s.\n", line, committed(out.Result))
}

// openForWrite opens the repository and resolves who acts.
func (f *factory) openForWrite() (*casefile.Repo, casefile.Actor, error) {
	r, err := f.openRepo()
	if err != nil {
		return nil, casefile.Actor{}, err
	}
	if err := r.RequireValidConfig(); err != nil {
		return nil, casefile.Actor{}, err
	}
	actor, err := r.ResolveActor(f.g.as)
	if err != nil {
		return nil, casefile.Actor{}, err
	}
	return r, actor, nil
}
