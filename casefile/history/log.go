package history

import (
	"slices"
	"time"

	"github.com/casesproject/cases/casefile/gitstore"
)

// LogOptions select the commits of a log.
type LogOptions struct {
	CaseID string                             // only commits that touched this case ("" for all)
	Since  time.Time                          // only commits made at or after this time (zero: all)
	Match  func(ci *gitstore.CommitInfo) bool // only commits it accepts (nil: all)
}

// Entry is one commit of a log.
type Entry struct {
	*gitstore.CommitInfo
	Cases []string // the cases the commit touched
	Verb  string   // the cases command that made it, "" for any other commit
}

// Log calls fn for every commit reachable from tip that opts select,
// newest first by commit time, and never a commit before one of its
// children (equal commit times are common: scripts fix the clock). Every
// reachable commit is visited, but one the touch cache knows costs a map
// lookup; commits worked out here are saved to the cache at the end.
func (h *History) Log(tip Hash, opts LogOptions, fn func(Entry) error) error {
	if tip.IsZero() {
		return nil
	}
	h.loadCache()
	// The graph first: every reachable commit and how many children it has
	// among them.
	children := map[Hash]int{tip: 0}
	stack := []Hash{tip}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		e, err := h.touchedOf(c)
		if err != nil {
			return err
		}
		for _, p := range e.parents {
			n, seen := children[p]
			children[p] = n + 1
			if !seen {
				stack = append(stack, p)
			}
		}
	}
	seen := make(map[Hash]bool, len(children))
	for c := range children {
		seen[c] = true
	}
	defer h.saveCache(seen)
	// Then newest first among the commits whose children are all out.
	q := &queue{}
	q.push(tip, h.cache.entries[tip].time)
	for q.Len() > 0 {
		it := q.pop()
		e := h.cache.entries[it.hash]
		for _, p := range e.parents {
			if children[p]--; children[p] == 0 {
				q.push(p, h.cache.entries[p].time)
			}
		}
		if opts.CaseID != "" && !slices.Contains(e.cases, opts.CaseID) {
			continue
		}
		if !opts.Since.IsZero() && e.time < opts.Since.Unix() {
			continue
		}
		ci, err := h.Commit(it.hash)
		if err != nil {
			return err
		}
		if opts.Match != nil && !opts.Match(ci) {
			continue
		}
		if err := fn(Entry{CommitInfo: ci, Cases: e.cases, Verb: Verb(ci.Message)}); err != nil {
			if err == errStop {
				return nil
			}
			return err
		}
	}
	return nil
}

// errStop ends a log early without an error (see Stop).
var errStop = stopError{}

type stopError struct{}

func (stopError) Error() string { return "stop" }

// Stop, returned by a Log callback, ends the log without an error.
var Stop error = errStop
