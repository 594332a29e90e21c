package cli

import (
	"bytes"
	"testing"

	"github.com/spf13/cobra"
)

// Every command a person can run shows an example in its help.
func TestEveryCommandHasAnExample(t *testing.T) {
	root := newRootCmd(newFactory(&Streams{In: &bytes.Buffer{}, Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && c.Example == "" && c != root {
			t.Errorf("%s has no example", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func TestExitStatuses(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"version"}, 0},
		{[]string{"--bogus"}, 2},
		{[]string{"list", "--repo", t.TempDir()}, 2},
	} {
		var out, errOut bytes.Buffer
		if got := Run(tt.args, &Streams{In: &bytes.Buffer{}, Out: &out, ErrOut: &errOut}); got != tt.want {
			t.Errorf("%v: exit %d, want %d (%s)", tt.args, got, tt.want, errOut.String())
		}
	}
}
