package cli

import (
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"github.com/casesproject/cases/casefile"
	"golang.org/x/term"
)

// Streams are the command's input and outputs, with what is known about
// the terminal.
type Streams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	inTTY, outTTY bool
	color         bool
}

// DefaultStreams are the process's standard streams.
func DefaultStreams() *Streams {
	s := &Streams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	s.inTTY = term.IsTerminal(int(os.Stdin.Fd()))
	s.outTTY = term.IsTerminal(int(os.Stdout.Fd()))
	s.color = s.outTTY && os.Getenv("TERM") != "dumb"
	return s
}

// NewStreams wraps plain readers and writers (not a terminal).
func NewStreams(in io.Reader, out, errOut io.Writer) *Streams {
	return &Streams{In: in, Out: out, ErrOut: errOut}
}

// factory builds a command's dependencies lazily.
type factory struct {
	io    *Streams
	g     globals
	repo  *casefile.Repo
	clock func() time.Time
	rand  io.Reader
}

func newFactory(s *Streams) *factory {
	f := &factory{io: s, clock: time.Now}
	// CASES_NOW fixes the clock (RFC 3339). It exists for tests and the
	// demo, whose output must not change from day to day.
	if now := os.Getenv("CASES_NOW"); now != "" {
		if t, err := time.Parse(time.RFC3339, now); err == nil {
			f.clock = func() time.Time { return t }
		}
	}
	// CASES_SEED makes random suffixes (case ids, note names) repeatable,
	// for the same tests and demo. Never set it in real use: two clones
	// with the same seed would pick the same names.
	if seed := os.Getenv("CASES_SEED"); seed != "" {
		f.rand = rand.NewChaCha8(sha256.Sum256([]byte(seed)))
	}
	return f
}

func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("not a duration: %w", err)
	}
	return d, nil
}

func envSet(name string) bool { return os.Getenv(name) != "" }
