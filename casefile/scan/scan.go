// Package scan walks a caseload in two steps, so a command that reads the
// whole caseload reads only the documents it needs: Repo.Walk reads the
// kinds every case needs (its header, intake, plan, closure), then a pool
// of workers reads, for each case, the notes and assessments those first
// documents and the file names say are needed (the latest contact note, the
// notes of a period, a member's first and last assessment), and fn sees
// each case, one at a time. Note and assessment file names carry their
// timestamp, date and member, so they can be chosen without being read.
package scan

import (
	"context"
	"errors"
	"io/fs"
	"runtime"
	"slices"
	"sync"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/yamlx"
)

// Walk loads every case with the kinds sel selects, lets more read what
// else the case needs (in parallel, any number of cases at once), then
// calls fn for each case serially, in no particular order. It stops at the
// first error.
func Walk(ctx context.Context, r *casefile.Repo, sel casefile.Select, more func(*casefile.Folder) error, fn func(*casefile.Folder) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	in := make(chan *casefile.Folder, workers)
	type result struct {
		f   *casefile.Folder
		err error
	}
	out := make(chan result, workers)
	var walkErr error
	go func() {
		defer close(in)
		walkErr = r.Walk(ctx, nil, sel, func(f *casefile.Folder) error {
			select {
			case in <- f:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range in {
				err := more(f)
				select {
				case out <- result{f, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()
	var first error
	for res := range out {
		if first != nil {
			continue
		}
		if res.err != nil {
			first = res.err
		} else if err := fn(res.f); err != nil {
			first = err
		}
		if first != nil {
			cancel()
		}
	}
	if first == nil && walkErr != nil && !errors.Is(walkErr, context.Canceled) {
		first = walkErr
	}
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// Paths lists a case's files of a kind, by name (for notes: oldest first;
// for assessments: by date, then member).
func Paths(f *casefile.Folder, k casefile.Kind) []string {
	var out []string
	for _, p := range f.Files {
		if casefile.Locate(p).Kind == k {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// LoadNote reads one note into the folder (in f.Notes, kept in file name
// order). A note that cannot be read is left out, as Walk leaves it out.
func LoadNote(r *casefile.Repo, f *casefile.Folder, p string) (*casefile.Doc[casefile.Note], error) {
	d, err := read[casefile.Note](r, p)
	if d != nil {
		i, _ := slices.BinarySearchFunc(f.Notes, p, func(n *casefile.Doc[casefile.Note], p string) int { return cmpString(n.Path, p) })
		f.Notes = slices.Insert(f.Notes, i, d)
	}
	return d, err
}

// LoadAssessment reads one assessment into the folder (in f.Assessments,
// kept in file name order).
func LoadAssessment(r *casefile.Repo, f *casefile.Folder, p string) (*casefile.Doc[casefile.Assessment], error) {
	d, err := read[casefile.Assessment](r, p)
	if d != nil {
		i, _ := slices.BinarySearchFunc(f.Assessments, p, func(a *casefile.Doc[casefile.Assessment], p string) int { return cmpString(a.Path, p) })
		f.Assessments = slices.Insert(f.Assessments, i, d)
	}
	return d, err
}

// read reads a document through the repository (which refuses symlinks)
// and the strict reader, and gives it its typed view. It leaves out the
// schema check: Walk uses a document whenever it can be read and decoded,
// schema problems or not, so the check would change no figure; reporting
// them is validate's work. nil when the document cannot be read.
func read[T any](r *casefile.Repo, p string) (*casefile.Doc[T], error) {
	data, err := r.ReadFile(p)
	if err != nil {
		if errors.Is(err, casefile.ErrNotRegular) || errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	doc, problems := yamlx.Parse(p, data)
	if doc == nil || len(problems) > 0 {
		return nil, nil
	}
	d, err := casefile.DecodeDoc[T](doc)
	if err != nil {
		return nil, nil
	}
	d.Raw = data
	return d, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
