package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/casework"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/spf13/cobra"
)

type noteOptions struct {
	id       string
	in       casework.NoteInput
	message  string
	minutes  int
	at       string
	edit     bool
	noCommit bool
}

func init() { register(newNoteCmd) }

func newNoteCmd(f *factory) *cobra.Command {
	opts := &noteOptions{}
	cmd := &cobra.Command{
		Use:   "note ID",
		Short: "Add a contact note to a case",
		Long: `Note writes one note, notes/<UTC timestamp>-<suffix>.yaml, and commits it.
The text comes from -m TEXT, from standard input (-m -, or when standard
input is not a terminal), or from $EDITOR (--edit, or on a terminal).

Types: office-visit, home-visit, phone, message and service are contacts
with the client and reset the contact clock of the case's level;
collateral (a contact with someone else about the client) and incident do
not. A service note names the service delivered: --service
PROVIDER/SERVICE from providers.yaml, or SERVICE for your own.

Notes are append-only: once committed, a note is never changed. Correct
one with a new note: --corrects NOTE.

Follow-up: on a case in follow-up, --follow-up marks the next check-in in
closure.yaml done (with --outcome); when no check-in is left open, or the
note falls on or after the last check-in's date, the case moves to closed
in the same commit.

The commit message names the note's type and id, never its text.`,
		Example: `  cases note 2026-11-K7Q3M --type phone -m "Called about the lease; viewing on Friday" --minutes 15
  cases note 2026-11-K7Q3M --type home-visit --interpreter ar --goal g1 -m "..." --minutes 60
  cases note 2026-11-K7Q3M --type service --service city-food-bank/food-pantry -m "First parcel collected"
  echo "Spoke to the landlord" | cases note 2026-11-K7Q3M --type collateral
  cases note 2026-11-K7Q3M --type phone --follow-up --outcome reached-stable -m "Settled; no needs"
  cases note 2026-11-K7Q3M --type phone --corrects 20261124T100000Z-ABCDE -m "Viewing is on Saturday"`,
		Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			if opts.in.Type == "" {
				return usagef("--type is required: one of %s", strings.Join(casework.NoteTypes, ", "))
			}
			if cmd.Flags().Changed("minutes") {
				if opts.minutes < 0 || opts.minutes > 1440 {
					return usagef("--minutes is 0 to 1440")
				}
				opts.in.Minutes = &opts.minutes
			}
			if opts.edit && cmd.Flags().Changed("message") {
				return usagef("--edit and -m cannot be used together")
			}
			return noteRun(f, opts)
		},
	}
	fl := cmd.Flags()
	in := &opts.in
	fl.StringVarP(&in.Type, "type", "t", "", strings.Join(casework.NoteTypes, ", "))
	fl.StringVarP(&opts.message, "message", "m", "", "the note's text (- reads standard input)")
	fl.IntVar(&opts.minutes, "minutes", 0, "how long the contact took")
	fl.StringVar(&in.Interpreter, "interpreter", "", "the interpreter's language, if one took part (e.g. ar)")
	fl.StringSliceVar(&in.Goals, "goal", nil, "goals of the plan it concerns (g1, ...; repeat or comma-separate)")
	fl.StringVar(&in.Referral, "referral", "", "the referral it concerns (r1, ...)")
	fl.StringVar(&in.Service, "service", "", "for type service: PROVIDER/SERVICE, or SERVICE for your own")
	fl.BoolVar(&in.FollowUp, "follow-up", false, "a follow-up check-in after closure")
	fl.StringVar(&in.Outcome, "outcome", "", "the check-in's outcome: "+strings.Join(casework.CheckInOutcomes, ", "))
	fl.StringVar(&in.Corrects, "corrects", "", "the id of the note this one corrects")
	fl.BoolVar(&in.Confidential, "confidential", false, "mark the note confidential")
	fl.StringVar(&opts.at, "at", "", "when the contact took place (RFC 3339; default now)")
	fl.BoolVar(&opts.edit, "edit", false, "write the text in $EDITOR")
	fl.BoolVar(&opts.noCommit, "no-commit", false, "stage the note instead of committing it")
	return cmd
}

const noteHelp = "\n# Write the note above. Lines starting with # are left out; an empty note gives up.\n"

func noteRun(f *factory, opts *noteOptions) error {
	r, actor, err := f.openForWrite()
	if err != nil {
		return err
	}
	if opts.at != "" {
		t, err := time.Parse(time.RFC3339, opts.at)
		if err != nil {
			return usagef("--at is a time with its zone, e.g. 2026-11-24T09:30:00Z")
		}
		opts.in.At = t
	}
	var session *editSession
	switch {
	case opts.message == "-" || (opts.message == "" && !opts.edit && !f.io.inTTY):
		data, err := io.ReadAll(io.LimitReader(f.io.In, yamlx.MaxSize+1))
		if err != nil {
			return err
		}
		opts.in.Text = strings.TrimSpace(string(data))
		if opts.in.Text == "" {
			return usagef("no note text: give -m TEXT, pipe it in, or use --edit")
		}
	case opts.message != "":
		opts.in.Text = opts.message
	default:
		if _, err := r.LoadCase(opts.id, casefile.Select{Kinds: []casefile.Kind{casefile.KindCase}}); err != nil {
			return err
		}
		original := []byte(noteHelp + "# " + opts.in.Type + " note for case " + opts.id + "\n")
		session, err = f.newEditSession(r, "note-"+opts.id, original, func(data []byte) ([]diag.Problem, error) {
			if len(noteText(data)) > 20000 {
				return []diag.Problem{{Path: "note", Line: 1, Col: 1, Rule: casefile.RuleSchemaLength, Message: "text: at most 20000 characters"}}, nil
			}
			return nil, nil
		})
		if err != nil {
			return err
		}
		body, err := session.run()
		if errors.Is(err, errEditAborted) {
			fmt.Fprintln(f.io.ErrOut, "cases: no text; no note written")
			return nil
		}
		if err != nil {
			return err
		}
		opts.in.Text = noteText(body)
		if opts.in.Text == "" {
			session.discard()
			fmt.Fprintln(f.io.ErrOut, "cases: no text; no note written")
			return nil
		}
	}
	out, err := casework.AddNote(r, casefile.UpdateOptions{Actor: actor, Verb: "note", NoCommit: opts.noCommit}, opts.id, opts.in)
	if err != nil {
		if session != nil {
			fmt.Fprintf(f.io.ErrOut, "cases: your text is kept in %s\n", session.draft)
		}
		return err
	}
	if session != nil {
		session.discard()
	}
	fmt.Fprintf(f.io.Out, "Added %s note %s to case %s%s.\n", opts.in.Type, out.ID, opts.id, committed(out.Result))
	if out.Move != nil {
		fmt.Fprintf(f.io.Out, "Follow-up is over: case %s moved %s -> %s.\n", opts.id, out.Move.From, out.Move.To)
	}
	return nil
}

// noteText is the text written in the editor, without comment lines.
func noteText(data []byte) string {
	var keep [][]byte
	for _, l := range bytes.Split(data, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(l), []byte("#")) {
			keep = append(keep, l)
		}
	}
	return strings.TrimSpace(string(bytes.Join(keep, []byte("\n"))))
}
