// Package gen generates synthetic case repositories: realistic caseloads
// with their whole git history, for the demo, the tests and the benchmarks.
//
// A caseload of N cases is drawn from a seed, deterministically: the same
// seed, number of cases, months, "now" and Version give the same files,
// commit ids and pack, byte for byte (with the same Go release: the draws
// come from math/rand/v2). Households of one to seven members with their demographics;
// the programs and staff of cases.yaml; cases in every stage, in the
// proportions a program that has run for some months shows; assessments of
// every member that fit the repository's own instrument (some members
// missing, some late); recorded risk, a few red flags; plans with SMART and
// first-draft goals, tasks, referrals in every status, signed and unsigned
// agreements; contact notes at irregular intervals (some clients overdue
// for their level); closures for every reason, with and without close-out
// interview and follow-up; forced moves recorded as programs make them.
// Every stage agrees with the case's documents (lifecycle.StageFailures is
// empty) and every document passes the strict reader, its schema and the
// cross-document checks.
//
// History is real: every case is replayed over simulated months as the
// commits of the commands a caseworker would run (new, edit, transition,
// assess, risk, plan, note, close), each writing exactly the files that
// command writes, authored by the staff member who ran it at the simulated
// time, with the commands' own commit messages. [Generate] writes that
// history through gitstore's Importer (one packfile, the index once);
// [GenerateWithEngine] runs every commit through Repo.Update, the path the
// commands take. Both give the same commit ids; the tests prove it. Neither
// needs the git CLI.
package gen

import (
	"cmp"
	"container/heap"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // the organization's zone, the same on every machine

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/gitstore"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/casesproject/cases/templates"
)

// Version changes whenever the generator's output for a seed changes.
// Caches of generated caseloads are keyed by it.
const Version = 1

// DefaultNow is the end of the simulated history when Options.Now is zero:
// a fixed time, so that a seed always gives the same repository. It is a
// Friday evening in the organization's zone (America/Chicago).
var DefaultNow = time.Date(2026, 11, 20, 23, 0, 0, 0, time.UTC)

// Options say what to generate.
type Options struct {
	Cases  int       // number of cases
	Seed   uint64    // the seed everything is drawn from
	Now    time.Time // end of the history (DefaultNow when zero)
	Months int       // months of history before Now (0: from Cases, see SpanMonths)

	// Progress, when set, is told what the generator is doing (for a
	// progress line on a terminal).
	Progress func(format string, args ...any)
}

// SpanMonths is how many months of history a caseload of n cases covers
// by default: 18 months up to 1,000 cases, then a month more per 400 cases,
// up to ten years. A larger agency has run longer, and this keeps each
// month's folder to a few hundred cases, as real intake rates do.
func SpanMonths(n int) int {
	return min(120, max(18, 18+(n-1000)/400))
}

// Stats describe a generated repository.
type Stats struct {
	Cases   int
	Commits int            // including the first, which creates the repository
	Files   int            // in the working tree
	Months  int            // of history
	Head    string         // the last commit's id
	Stages  map[string]int // cases by stage
	IDs     []CaseInfo     // every case, by id
}

// CaseInfo is one generated case.
type CaseInfo struct {
	ID     string `json:"id"`
	Stage  string `json:"stage"`
	Reason string `json:"reason,omitempty"` // closure reason
	Forced string `json:"forced,omitempty"` // kind of forced move in its history
}

// Generate writes a new case repository of opts.Cases cases into dir (a
// folder that does not exist yet or is empty), its history written in one
// pass into a packfile.
func Generate(dir string, opts Options) (*Stats, error) { return generate(dir, opts, false) }

// GenerateWithEngine writes the same repository as Generate, running every
// commit through Repo.Update like the commands do. It is slower (every
// commit rewrites the index and syncs files) and meant for small caseloads
// and for proving the two paths agree.
func GenerateWithEngine(dir string, opts Options) (*Stats, error) { return generate(dir, opts, true) }

// world is what every case is drawn against: the organization, its staff,
// and the repository's configuration, instrument and templates.
type world struct {
	opts   Options
	loc    *time.Location
	now    time.Time
	start  time.Time
	months int

	staff       []staffMember
	byRole      map[string][]*staffMember
	caseworkers map[string][]*staffMember // by program

	repo          *casefile.Repo
	cfg           *casefile.Config
	instr         *casefile.Instrument
	flagQuestions []string
	tmpl          map[casefile.Kind]*yamlx.Doc
	perm          idPerm
	maxScores     sync.Map // age -> the most points a member of that age can score
}

func (o Options) withDefaults() (Options, error) {
	if o.Cases < 0 {
		return o, errors.New("the number of cases cannot be negative")
	}
	if o.Now.IsZero() {
		o.Now = DefaultNow
	}
	if o.Months <= 0 {
		o.Months = SpanMonths(o.Cases)
	}
	return o, nil
}

func newWorld(opts Options) (*world, error) {
	loc, err := time.LoadLocation(orgTimezone)
	if err != nil {
		return nil, err
	}
	w := &world{opts: opts, loc: loc, now: opts.Now.In(loc), months: opts.Months, perm: newIDPerm(opts.Seed)}
	w.start = w.now.AddDate(0, -opts.Months, 0)
	rng := rand.New(rand.NewPCG(opts.Seed, 1<<62))
	w.staff = buildStaff(rng, opts.Cases, opts.Months)
	w.byRole = map[string][]*staffMember{}
	w.caseworkers = map[string][]*staffMember{}
	for i := range w.staff {
		s := &w.staff[i]
		w.byRole[s.role] = append(w.byRole[s.role], s)
		if s.role == "caseworker" {
			w.caseworkers[s.program] = append(w.caseworkers[s.program], s)
		}
	}
	return w, nil
}

// load reads the repository's configuration, instrument and templates:
// the generator follows what the repository holds, as the commands do.
func (w *world) load(r *casefile.Repo) error {
	if err := r.RequireValidConfig(); err != nil {
		return err
	}
	w.repo, w.cfg = r, r.Config
	in, problems, err := r.Instrument(r.Config.Risk.Instrument)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return diag.Invalid(problems)
	}
	w.instr = &in.Data
	w.flagQuestions = redFlagQuestions(w.cfg, w.instr)
	w.tmpl = map[casefile.Kind]*yamlx.Doc{}
	for _, k := range []casefile.Kind{casefile.KindIntake, casefile.KindAssessment, casefile.KindPlan, casefile.KindNote, casefile.KindClosure} {
		data, err := r.Template(k.Template())
		if err != nil {
			return err
		}
		doc, problems := yamlx.Parse(k.Template(), data)
		if doc == nil || len(problems) > 0 {
			return fmt.Errorf("template %s: %w", k.Template(), diag.Invalid(problems))
		}
		w.tmpl[k] = doc
	}
	return nil
}

// maxScore is the most points a member of a given age can carry in the
// instrument, weights included.
func (w *world) maxScore(age int) float64 {
	if v, ok := w.maxScores.Load(age); ok {
		return v.(float64)
	}
	total := 0.0
	for i := range w.instr.Questions {
		q := &w.instr.Questions[i]
		if !q.AppliesAt(age) {
			continue
		}
		wt, ok := w.cfg.Risk.Weights[q.ID]
		if !ok {
			wt = 1
		}
		total += maxPoints(w.instr, q) * wt
	}
	w.maxScores.Store(age, total)
	return total
}

// repoFiles are the repository's own documents, written by the first
// commit: cases.yaml, the instrument the risk model names, providers.yaml.
func (w *world) repoFiles() ([]gitstore.Change, error) {
	cfg, err := configDoc(w.staff)
	if err != nil {
		return nil, err
	}
	parsed, problems := casefile.ParseDoc[casefile.Config](casefile.ConfigPath, casefile.KindConfig, cfg)
	if parsed == nil || len(problems) > 0 {
		return nil, diag.Invalid(problems)
	}
	instPath := casefile.InstrumentDir + "/" + parsed.Data.Risk.Instrument + ".yaml"
	inst, err := fs.ReadFile(templates.FS, instPath)
	if err != nil {
		return nil, fmt.Errorf("the risk model names instrument %s, which the templates do not hold: %w", parsed.Data.Risk.Instrument, err)
	}
	prov, err := providersDoc()
	if err != nil {
		return nil, err
	}
	return []gitstore.Change{{Path: casefile.ConfigPath, Data: cfg}, {Path: instPath, Data: inst}, {Path: casefile.ProvidersPath, Data: prov}}, nil
}

// sink is where the commits go: the commit engine or the importer.
type sink interface {
	// first makes the commit that creates the repository.
	first(files []gitstore.Change, opts gitstore.CommitOptions) error
	// prepare is called for every rendered case, from any goroutine.
	prepare(c *caseOut) error
	// store is called for every case in order, from one goroutine.
	store(c *caseOut) error
	// commit records one event, in time order.
	commit(w *world, ev *event) error
	// finish ends the history and returns the last commit's id.
	finish() (string, error)
	abort()
}

func generate(dir string, opts Options, engine bool) (stats *Stats, err error) {
	if opts, err = opts.withDefaults(); err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty; generate into a new folder", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	w, err := newWorld(opts)
	if err != nil {
		return nil, err
	}
	files, err := w.repoFiles()
	if err != nil {
		return nil, err
	}
	var s sink
	if engine {
		s = &engineSink{dir: dir}
	} else if s, err = newBulkSink(dir); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.abort()
		}
	}()
	manager := w.byRole["manager"][0]
	first := time.Date(w.start.Year(), w.start.Month(), w.start.Day(), 9, 0, 0, 0, w.loc)
	for first.Weekday() == time.Saturday || first.Weekday() == time.Sunday {
		first = first.AddDate(0, 0, 1)
	}
	if err := s.first(files, gitstore.CommitOptions{
		Message: casefile.CommitMessage("init", "", "create case repository"),
		Author:  gitstore.Signature{Name: manager.name, Email: manager.email, When: first},
	}); err != nil {
		return nil, err
	}
	r, err := casefile.Open(dir)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if err := w.load(r); err != nil {
		return nil, err
	}
	if es, ok := s.(*engineSink); ok {
		es.repo = r
	}

	progress := opts.Progress
	if progress == nil {
		progress = func(string, ...any) {}
	}
	t0 := time.Now()
	progress("drawing and committing %d cases", opts.Cases)
	infos, files2, commits, err := pipeline(w, s, func(done, commits int) {
		progress("%d of %d cases drawn, %d commits, %.0fs", done, opts.Cases, commits, time.Since(t0).Seconds())
	})
	if err != nil {
		return nil, err
	}
	start := time.Now()
	progress("drew and committed in %.1fs; checking the working tree and writing the index", time.Since(t0).Seconds())
	head, err := s.finish()
	progress("finished in %.1fs", time.Since(start).Seconds())
	if err != nil {
		return nil, err
	}

	stats = &Stats{Cases: opts.Cases, Commits: commits + 1, Files: len(files) + files2, Months: opts.Months, Head: head, Stages: map[string]int{}, IDs: infos}
	for _, c := range infos {
		stats.Stages[c.Stage]++
	}
	return stats, nil
}

// pipeline draws every case with every core and commits their events in
// time order while it goes. Cases are drawn in order of opening: since a
// case's every event comes at or after its opening, once the cases opening
// up to time T are drawn, every event before T is known and can be
// committed. The commits are exactly those of sorting every event of every
// case by time (then case and sequence), without holding them all. Each
// drawn case is prepared (compressed, queued for the working tree) by the
// goroutine that drew it and stored in the pack in order, so the pack is
// the same bytes every run.
func pipeline(w *world, s sink, tick func(done, commits int)) (infos []CaseInfo, files, commits int, err error) {
	n := w.opts.Cases
	opened := make([]time.Time, n)
	early := map[int]*caseOut{}
	for i := range n {
		if w.target(i) != (target{}) {
			// Cases that must end in a given stage are drawn until they do,
			// so their opening is known only once drawn.
			c, err := w.renderCase(i)
			if err != nil {
				return nil, 0, 0, err
			}
			early[i], opened[i] = c, c.opened
		} else if opened[i], err = w.openedAt(i); err != nil {
			return nil, 0, 0, err
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Or(opened[a].Compare(opened[b]), cmp.Compare(a, b)) })

	cases := make([]*caseOut, n) // by position in order, until stored
	ready := make(chan int, 64)
	ahead := make(chan struct{}, 256) // positions drawn ahead of the last stored
	var next atomic.Int64
	quit := make(chan struct{})
	var stop sync.Once
	fail := func() { stop.Do(func() { close(quit) }) }
	var wg sync.WaitGroup
	errs := make([]error, runtime.GOMAXPROCS(0)+1)
	for k := range errs[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case ahead <- struct{}{}:
				case <-quit:
					return
				}
				pos := int(next.Add(1) - 1)
				if pos >= n {
					return
				}
				i := order[pos]
				c, err := early[i], error(nil)
				if c == nil {
					c, err = w.renderCase(i)
				}
				if err == nil {
					err = s.prepare(c)
				}
				if err != nil {
					errs[k+1] = err
					fail()
					return
				}
				cases[pos] = c
				ready <- pos
			}
		}()
	}
	go func() { wg.Wait(); close(ready) }()

	pending := &eventHeap{}
	flush := func(before time.Time, all bool) error {
		for pending.Len() > 0 && (all || (*pending)[0].at.Before(before)) {
			ev := heap.Pop(pending).(*event)
			if err := s.commit(w, ev); err != nil {
				return fmt.Errorf("commit %s %s: %w", ev.verb, ev.caseID, err)
			}
			ev.files = nil
			commits++
		}
		return nil
	}
	done := map[int]bool{}
	stored := 0
	for pos := range ready {
		done[pos] = true
		for done[stored] && errs[0] == nil {
			delete(done, stored)
			c := cases[stored]
			cases[stored] = nil
			err := s.store(c)
			if err == nil {
				for i := range c.events {
					heap.Push(pending, &c.events[i])
				}
				err = flush(opened[order[stored]], false)
			}
			if err != nil {
				errs[0] = err
				fail()
			}
			infos = append(infos, CaseInfo{ID: c.id, Stage: c.stage, Reason: c.reason, Forced: c.forced})
			files += c.files
			stored++
			<-ahead
			if stored%5000 == 0 {
				tick(stored, commits)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, 0, 0, err
	}
	if err := flush(time.Time{}, true); err != nil {
		return nil, 0, 0, err
	}
	slices.SortFunc(infos, func(a, b CaseInfo) int { return cmp.Compare(a.ID, b.ID) })
	return infos, files, commits, nil
}

// eventHeap orders events by time, then case and sequence.
type eventHeap []*event

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(i, j int) bool {
	return cmp.Or(h[i].at.Compare(h[j].at), cmp.Compare(h[i].order, h[j].order)) < 0
}
func (h eventHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *eventHeap) Push(x any)   { *h = append(*h, x.(*event)) }
func (h *eventHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return x
}

func signature(w *world, ev *event) gitstore.Signature {
	return gitstore.Signature{Name: ev.actor.name, Email: ev.actor.email, When: ev.at.In(w.loc)}
}

// bulkSink writes the history with gitstore's Importer, and the working
// tree through a pool of writers: creating files is slow on many disks and
// overlaps well.
type bulkSink struct {
	dir    string
	im     *gitstore.Importer
	writes chan fileWrite
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
}

type fileWrite struct {
	path string
	data []byte
}

const fileWriters = 16

func newBulkSink(dir string) (*bulkSink, error) {
	im, err := gitstore.NewImporter(dir, "main")
	if err != nil {
		return nil, err
	}
	b := &bulkSink{dir: dir, im: im, writes: make(chan fileWrite, 1024)}
	for range fileWriters {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			for f := range b.writes {
				if err := writeFile(b.dir, f.path, f.data); err != nil {
					b.mu.Lock()
					b.err = cmp.Or(b.err, err)
					b.mu.Unlock()
				}
			}
		}()
	}
	return b, nil
}

func (b *bulkSink) first(files []gitstore.Change, opts gitstore.CommitOptions) error {
	var fs []gitstore.ImportFile
	for _, f := range files {
		if err := writeFile(b.dir, f.Path, f.Data); err != nil {
			return err
		}
		h, err := b.im.Blob(f.Data)
		if err != nil {
			return err
		}
		fs = append(fs, gitstore.ImportFile{Path: f.Path, Blob: h})
	}
	_, err := b.im.Commit(fs, opts)
	return err
}

// prepare queues the case's files for the working tree and compresses
// every version of them for the pack.
func (b *bulkSink) prepare(c *caseOut) error {
	for _, p := range slices.Sorted(maps.Keys(c.final)) {
		b.writes <- fileWrite{p, c.final[p]}
	}
	c.files = len(c.final)
	c.final = nil
	c.blobs = make([][]gitstore.PreparedBlob, len(c.events))
	for i := range c.events {
		ev := &c.events[i]
		c.blobs[i] = make([]gitstore.PreparedBlob, len(ev.files))
		for k := range ev.files {
			c.blobs[i][k] = gitstore.PrepareBlob(ev.files[k].data)
			ev.files[k].blob, ev.files[k].data = c.blobs[i][k].Hash, nil
		}
	}
	return nil
}

func (b *bulkSink) store(c *caseOut) error {
	for _, bs := range c.blobs {
		for _, blob := range bs {
			if err := b.im.StoreBlob(blob); err != nil {
				return err
			}
		}
	}
	c.blobs = nil
	return nil
}

func (b *bulkSink) commit(w *world, ev *event) error {
	files := make([]gitstore.ImportFile, len(ev.files))
	for i, f := range ev.files {
		files[i] = gitstore.ImportFile{Path: f.path, Blob: f.blob}
	}
	_, err := b.im.Commit(files, gitstore.CommitOptions{Message: casefile.CommitMessage(ev.verb, ev.caseID, ev.summary), Author: signature(w, ev)})
	return err
}

func (b *bulkSink) finish() (string, error) {
	b.closeWriters()
	if b.err != nil {
		return "", b.err
	}
	h, err := b.im.Finish()
	return h.String(), err
}

func (b *bulkSink) closeWriters() {
	if b.writes != nil {
		close(b.writes)
		b.wg.Wait()
		b.writes = nil
	}
}

func (b *bulkSink) abort() {
	b.closeWriters()
	b.im.Abort()
}

func writeFile(dir, rel string, data []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.WriteFile(p, data, 0o644); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// engineSink runs every commit through Repo.Update, as the commands do.
type engineSink struct {
	dir  string
	repo *casefile.Repo
}

func (e *engineSink) first(files []gitstore.Change, opts gitstore.CommitOptions) error {
	g, err := gitstore.Init(e.dir, "main")
	if err != nil {
		return err
	}
	defer g.Close()
	_, err = g.Apply(files, opts)
	return err
}

func (e *engineSink) prepare(c *caseOut) error {
	c.files = len(c.final)
	c.final = nil
	return nil
}

func (e *engineSink) store(*caseOut) error { return nil }

func (e *engineSink) commit(w *world, ev *event) error {
	r := e.repo
	at := ev.at
	r.Clock = func() time.Time { return at }
	actor := casefile.Actor{ID: ev.actor.id, Name: ev.actor.name, Email: ev.actor.email}
	_, err := r.Update(casefile.UpdateOptions{Actor: actor, Verb: ev.verb}, func(tx *casefile.Tx) error {
		tx.CaseID, tx.Summary = ev.caseID, ev.summary
		for _, f := range ev.files {
			if err := tx.Write(f.path, f.data); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

func (e *engineSink) finish() (string, error) {
	if err := e.repo.Close(); err != nil {
		return "", err
	}
	g, err := gitstore.Open(e.dir)
	if err != nil {
		return "", err
	}
	defer g.Close()
	h, err := g.Head()
	return h.String(), err
}

func (e *engineSink) abort() {}

// idPerm gives every case of a caseload its own five-character suffix:
// a permutation of the 30^5 suffixes keyed by the seed, so ids look random,
// never repeat, and need no coordination between the goroutines drawing
// cases.
type idPerm struct {
	a, b   uint64
	digits [5][30]byte
}

const suffixes = 30 * 30 * 30 * 30 * 30

func newIDPerm(seed uint64) idPerm {
	rng := rand.New(rand.NewPCG(seed, 1<<61))
	// The multiplier is prime and larger than 5, so coprime with 30^5.
	p := idPerm{a: 16777619, b: rng.Uint64N(suffixes)}
	for k := range p.digits {
		perm := rng.Perm(len(casefile.Alphabet))
		for i, j := range perm {
			p.digits[k][i] = casefile.Alphabet[j]
		}
	}
	return p
}

func (p idPerm) suffix(i int) string {
	x := (p.a*uint64(i) + p.b) % suffixes
	var out [5]byte
	for k := range out {
		out[k] = p.digits[k][x%30]
		x /= 30
	}
	return string(out[:])
}
