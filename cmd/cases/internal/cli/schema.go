package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/casesproject/cases/casefile"
	"github.com/spf13/cobra"
)

func init() { register(newSchemaCmd) }

func newSchemaCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Export or print the JSON Schemas of the documents",
		Long: `Every document starts with a comment naming its JSON Schema (draft
2020-12) so that editors running the YAML language server validate as you
type. The schemas are built into cases; export them to point an editor at a
local copy.`,
		Example: `  cases schema export .schemas
  cases schema show note`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "export DIR",
		Short:   "Write every schema into DIR",
		Example: "  cases schema export .schemas",
		Args:    exactArgs(1, "DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			for _, k := range casefile.Kinds {
				data, err := casefile.SchemaJSON(k)
				if err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(dir, k.SchemaFile()), data, 0o644); err != nil {
					return err
				}
			}
			fmt.Fprintf(f.io.ErrOut, "wrote %d schemas to %s\n", len(casefile.Kinds), dir)
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:       "show KIND",
		Short:     "Print one schema",
		Example:   "  cases schema show intake",
		Args:      exactArgs(1, "KIND"),
		ValidArgs: kindNames(),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, k := range casefile.Kinds {
				if string(k) == args[0] {
					data, err := casefile.SchemaJSON(k)
					if err != nil {
						return err
					}
					_, err = f.io.Out.Write(data)
					return err
				}
			}
			return usagef("unknown document kind %q: use one of %v", args[0], kindNames())
		},
	})
	return cmd
}

func kindNames() []string {
	var out []string
	for _, k := range casefile.Kinds {
		out = append(out, string(k))
	}
	return out
}
