package history

import (
	"container/heap"
	"math"

	"github.com/go-git/go-git/v5/plumbing"
)

// queue orders commits newest first by commit time; commits of equal time
// come out in the order they went in, so a commit always comes before the
// parents it queued.
type queue struct {
	items []qitem
	seq   int
}

type qitem struct {
	hash Hash
	time int64
	seq  int
}

func (q *queue) Len() int { return len(q.items) }
func (q *queue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if a.time != b.time {
		return a.time > b.time
	}
	return a.seq < b.seq
}
func (q *queue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *queue) Push(x any)    { q.items = append(q.items, x.(qitem)) }
func (q *queue) Pop() any {
	it := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return it
}

func (q *queue) push(h Hash, t int64) {
	q.seq++
	heap.Push(q, qitem{hash: h, time: t, seq: q.seq})
}

func (q *queue) pop() qitem { return heap.Pop(q).(qitem) }

// graphNode is what a walk needs of a commit: when it was committed and
// its parents.
type graphNode struct {
	time    int64
	parents []Hash
}

// node reads a commit's place in the graph, from the touch cache when it
// has the commit, else from the commit object.
func (h *History) node(c Hash) (graphNode, error) {
	if h.cache != nil {
		if e, ok := h.cache.entries[c]; ok {
			return graphNode{time: e.time, parents: e.parents}, nil
		}
	}
	ci, err := h.Commit(c)
	if err != nil {
		return graphNode{}, err
	}
	return graphNode{time: ci.Committer.When.Unix(), parents: ci.Parents}, nil
}

// Range is the commits of BASE..HEAD and where the two histories meet.
type Range struct {
	Base, Head Hash
	// Commits are those reachable from Head and not from Base, newest
	// first.
	Commits []Hash
	// MergeBase is the newest commit both reach: what Head's changes are
	// compared against (as git diff BASE...HEAD does). Zero when the two
	// histories share no commit.
	MergeBase Hash
	// MergeBases counts the common commits found that were not below
	// another one: more than one happens after criss-cross merges, and
	// MergeBase is then the newest.
	MergeBases int
}

// Range walks the commits between base and head the way git does for
// BASE..HEAD, reading only the commits near the range: both sides are
// walked together, newest first, until everything left to walk is
// reachable from base and older than every commit found only from head.
func (h *History) Range(base, head Hash) (*Range, error) {
	const (
		fromHead = 1 << iota
		fromBase
		stale
	)
	rg := &Range{Base: base, Head: head}
	flags := map[Hash]uint8{}
	q := &queue{}
	add := func(c Hash, f uint8) error {
		if flags[c]|f == flags[c] {
			return nil
		}
		n, err := h.node(c)
		if err != nil {
			return err
		}
		flags[c] |= f
		q.push(c, n.time)
		return nil
	}
	if err := add(head, fromHead); err != nil {
		return nil, err
	}
	if err := add(base, fromBase); err != nil {
		return nil, err
	}
	var headOnly []Hash
	listed := map[Hash]bool{}
	oldestHeadOnly := int64(math.MaxInt64)
	more := func() bool {
		newest := int64(math.MinInt64)
		for _, it := range q.items {
			if flags[it.hash]&stale == 0 {
				return true
			}
			newest = max(newest, it.time)
		}
		// Everything queued is below a common commit. A commit found only
		// from head could still be reachable from one of them if it is not
		// newer than all of them (equal commit times are common in scripts).
		return q.Len() > 0 && newest >= oldestHeadOnly
	}
	for q.Len() > 0 && more() {
		it := q.pop()
		f := flags[it.hash]
		both := f&(fromHead|fromBase) == fromHead|fromBase
		switch {
		case both && f&stale == 0:
			if rg.MergeBases == 0 {
				rg.MergeBase = it.hash
			}
			rg.MergeBases++
			f |= stale
			flags[it.hash] = f
		case f&(fromHead|fromBase) == fromHead && !listed[it.hash]:
			listed[it.hash] = true
			headOnly = append(headOnly, it.hash)
			oldestHeadOnly = min(oldestHeadOnly, it.time)
		}
		n, err := h.node(it.hash)
		if err != nil {
			return nil, err
		}
		for _, p := range n.parents {
			if err := add(p, f); err != nil {
				return nil, err
			}
		}
	}
	for _, c := range headOnly {
		if flags[c]&fromBase == 0 {
			rg.Commits = append(rg.Commits, c)
		}
	}
	return rg, nil
}

// zero is the zero hash.
var zero = plumbing.ZeroHash
