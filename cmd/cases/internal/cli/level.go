package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/risk"
	"github.com/spf13/cobra"
)

type levelOptions struct {
	id       string
	level    string
	reason   string
	noCommit bool
}

func init() { register(newLevelCmd) }

func newLevelCmd(f *factory) *cobra.Command {
	opts := &levelOptions{}
	cmd := &cobra.Command{
		Use:   "level ID LEVEL --reason TEXT",
		Short: "Override the recommended level of case management",
		Long: `Level sets a case's level of case management (intensive, targeted,
supportive or self-directed) against the one the recorded risk recommends,
when the worker knows something the score cannot show. The override, who
made it, why, and the risk level it departs from are kept in case.yaml's
level history. cases risk --record keeps an override in force; --reset-level
returns the case to the recommended level.

The contact frequency of each level is set in cases.yaml (levels:).`,
		Example: `  cases level 2026-11-K7Q3M intensive --reason "eviction hearing next week"
  cases level 2026-11-K7Q3M supportive --reason "family is stable and asked for less contact"`,
		Args: exactArgs(2, "ID LEVEL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id, opts.level = args[0], args[1]
			if !slices.Contains(casefile.Levels, opts.level) {
				return usagef("unknown level %q: use %s", opts.level, strings.Join(casefile.Levels, ", "))
			}
			opts.reason = strings.TrimSpace(opts.reason)
			if opts.reason == "" {
				return usagef("say why the level departs from the recommended one: --reason TEXT")
			}
			return levelRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.reason, "reason", "", "why the worker overrides the recommended level (kept in the level history)")
	cmd.Flags().BoolVar(&opts.noCommit, "no-commit", false, "stage the change instead of committing it")
	return cmd
}

func levelRun(f *factory, opts *levelOptions) error {
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	if err := r.RequireValidConfig(); err != nil {
		return err
	}
	folder, err := r.LoadCase(opts.id, casefile.Select{Kinds: []casefile.Kind{casefile.KindCase}})
	if err != nil {
		return err
	}
	if err := folder.Valid(); err != nil {
		return err
	}
	if folder.Case == nil {
		return fmt.Errorf("case %s has no case.yaml", opts.id)
	}
	c := &folder.Case.Data
	if c.Stage == "closed" {
		return &casefile.RefusedError{Rule: "closed-case", Msg: "case " + opts.id + " is closed; reopen it first (cases reopen ID --reason TEXT)"}
	}
	actor, err := r.ResolveActor(f.g.as)
	if err != nil {
		return err
	}
	res, err := r.Update(casefile.UpdateOptions{Actor: actor, Verb: "level", NoCommit: opts.noCommit}, func(tx *casefile.Tx) error {
		tx.CaseID, tx.Summary = opts.id, "override to "+opts.level
		risk.SetOverride(folder.Case.Doc, c, opts.level, opts.reason, tx.Now(), tx.Actor().ID)
		return tx.WriteDoc(folder.Case.Doc, casefile.KindCase)
	})
	if err != nil {
		return err
	}
	from := "no level"
	if c.Level != "" {
		from = c.Level
	}
	recommended := ""
	if c.Risk != nil {
		if l := r.Config.Risk.Levels[c.Risk.Level]; l != "" {
			recommended = fmt.Sprintf("; the recorded risk (%s) recommends %s", c.Risk.Level, l)
		}
	}
	fmt.Fprintf(f.io.Out, "Level of case %s: %s, was %s (override; contact at least every %d days)%s%s.\n",
		opts.id, opts.level, from, r.Config.ContactDays(opts.level), recommended, committed(res))
	return nil
}
