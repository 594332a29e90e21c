// Package casefile is the domain of cases: the documents of a case
// repository, how they are found, read, checked and written.
//
// Every read of a document goes through Repo (which refuses symlinks and
// non-regular files and parses through yamlx, the strict reader) and every
// write through Repo.Update (atomic files and exactly one commit, via
// gitstore). The package never prints and never exits; commands in cmd/ turn
// its results and typed errors into output and exit codes.
package casefile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/casesproject/cases/templates"
)

// ErrNoRepository is returned when no folder holding cases.yaml is found.
var ErrNoRepository = errors.New("not in a case repository (no cases.yaml here or in any parent folder); run cases init, or pass --repo DIR")

// NotFoundError says a case does not exist.
type NotFoundError struct{ ID string }

func (e *NotFoundError) Error() string { return "no case " + e.ID + " in this repository" }

// Find walks up from start to the first folder that holds cases.yaml.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if fi, err := os.Lstat(filepath.Join(dir, ConfigPath)); err == nil && fi.Mode().IsRegular() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNoRepository
		}
		dir = parent
	}
}

// Repo is an open case repository.
type Repo struct {
	Root string // absolute path of the working tree

	// Config is cases.yaml with defaults applied. When ConfigProblems is not
	// empty it may be partial.
	Config         *Config
	ConfigDoc      *yamlx.Doc
	ConfigProblems []diag.Problem

	// Clock returns the current time; tests and the generator set it.
	Clock func() time.Time
	// Rand is the source of random id suffixes (crypto/rand when nil).
	Rand io.Reader
	// LockTimeout is how long a writer waits for another writer.
	LockTimeout time.Duration

	mu          sync.Mutex
	instruments map[string]*instrumentEntry
	providers   *Doc[Providers]
	provDone    bool
	provProbs   []diag.Problem
	store       store
}

type instrumentEntry struct {
	doc      *Doc[Instrument]
	problems []diag.Problem
}

// Open opens the case repository whose working tree is root. It reads
// cases.yaml; problems in it are kept in ConfigProblems (see
// RequireValidConfig) so that validate can still report them.
func Open(root string) (*Repo, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	r := &Repo{Root: abs, Clock: time.Now, LockTimeout: 5 * time.Second, instruments: map[string]*instrumentEntry{}}
	data, err := r.ReadFile(ConfigPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoRepository
	}
	if err != nil {
		return nil, err
	}
	doc, problems := Check(ConfigPath, KindConfig, data)
	r.ConfigDoc = doc
	r.ConfigProblems = problems
	r.Config = &Config{}
	if doc != nil && !hasReaderProblem(problems) {
		if c, err := decode[Config](doc.Root()); err == nil {
			r.Config = &c
		} else if len(problems) == 0 {
			r.ConfigProblems = append(r.ConfigProblems, decodeProblem(ConfigPath))
		}
	}
	r.Config.applyDefaults()
	return r, nil
}

// RequireValidConfig returns an InvalidError when cases.yaml has problems.
func (r *Repo) RequireValidConfig() error {
	return diag.Invalid(r.ConfigProblems)
}

// Now is the current time in the organization's time zone.
func (r *Repo) Now() time.Time {
	return r.Clock().In(r.Config.Location())
}

// Today is the current date, YYYY-MM-DD, in the organization's time zone.
func (r *Repo) Today() string { return r.Now().Format(time.DateOnly) }

// Abs turns a repository-relative slash path into a filesystem path.
func (r *Repo) Abs(rel string) string { return filepath.Join(r.Root, filepath.FromSlash(rel)) }

// ErrNotRegular is returned for symlinks and other non-regular files, which
// a case repository never follows or holds.
var ErrNotRegular = errors.New("is a symbolic link or not a regular file; case repositories hold only regular files")

// ReadFile reads a repository-relative file. It refuses paths that leave the
// repository, symlinks anywhere on the path, and non-regular files, and reads
// at most yamlx.MaxSize+1 bytes (enough for the reader to refuse an oversize
// document without loading it).
func (r *Repo) ReadFile(rel string) ([]byte, error) {
	if err := CheckRelPath(rel); err != nil {
		return nil, err
	}
	if err := r.checkNoSymlink(rel); err != nil {
		return nil, err
	}
	f, err := os.Open(r.Abs(rel))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readRegular(f, rel)
}

// readListed reads a file loadFolder found by listing its folder, whose
// folders were checked on the way down (no symlinks; CaseIDs and LoadCase
// see to the case folder itself). Only the file is left to check: it is
// opened without following a symlink and refused unless regular, which
// spares the walk over every folder above it that ReadFile makes (a third
// of the cost of reading a document).
func (r *Repo) readListed(rel string) ([]byte, error) {
	f, err := openNoFollow(r.Abs(rel))
	if err != nil {
		if isSymlinkErr(err) {
			return nil, &fs.PathError{Op: "read", Path: rel, Err: ErrNotRegular}
		}
		return nil, err
	}
	defer f.Close()
	return readRegular(f, rel)
}

// readRegular reads an open file, refusing anything but a regular file,
// and at most yamlx.MaxSize+1 bytes.
func readRegular(f *os.File, rel string) ([]byte, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: rel, Err: ErrNotRegular}
	}
	// One buffer of the file's size, plus room to see it end (or grow
	// past the limit): a bytes.Buffer would grow a second copy.
	limit := yamlx.MaxSize + 1
	data := make([]byte, 0, min(max(fi.Size(), 0), int64(limit))+1)
	for len(data) < limit {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):min(cap(data), limit)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return data, nil
}

// checkNoSymlink refuses a symlink or non-directory in any folder on the
// path, and a symlink or non-regular file at the path itself.
func (r *Repo) checkNoSymlink(rel string) error {
	parts := strings.Split(rel, "/")
	p := r.Root
	for i, part := range parts {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		last := i == len(parts)-1
		if fi.Mode()&fs.ModeSymlink != 0 || (!last && !fi.IsDir()) || (last && !fi.Mode().IsRegular()) {
			return &fs.PathError{Op: "read", Path: path.Join(parts[:i+1]...), Err: ErrNotRegular}
		}
	}
	return nil
}

// CheckRelPath refuses a path that is not a clean, relative, slash-separated
// path inside the repository: absolute paths, empty, . or .. components, NUL
// bytes, backslashes and .git.
func CheckRelPath(rel string) error {
	bad := rel == "" || strings.ContainsAny(rel, "\x00\\") || strings.HasPrefix(rel, "/") || path.Clean(rel) != rel
	if !bad {
		for _, part := range strings.Split(rel, "/") {
			if part == "" || part == "." || part == ".." || strings.EqualFold(part, ".git") {
				bad = true
			}
		}
	}
	if bad {
		return fmt.Errorf("refusing a path outside the repository layout")
	}
	return nil
}

// Doc is a parsed document of kind T with its typed view.
type Doc[T any] struct {
	*yamlx.Doc
	Data T
	Raw  []byte
}

// LoadDoc reads, checks and decodes one document. It returns nil and the
// problems when the document cannot be read or decoded; problems that leave
// it readable (schema problems) are returned with the document.
func LoadDoc[T any](r *Repo, rel string, k Kind) (*Doc[T], []diag.Problem, error) {
	data, err := r.ReadFile(rel)
	if err != nil {
		return nil, nil, err
	}
	d, problems := ParseDoc[T](rel, k, data)
	return d, problems, nil
}

// ParseDoc checks and decodes a document from bytes.
func ParseDoc[T any](rel string, k Kind, data []byte) (*Doc[T], []diag.Problem) {
	doc, value, problems := check(rel, k, data)
	if doc == nil || hasReaderProblem(problems) {
		return nil, problems
	}
	var v T
	var err error
	if len(problems) > 0 || fromValue(reflect.ValueOf(&v).Elem(), value) != nil {
		// A document that breaks its schema is decoded from its node
		// tree, as yaml decodes it; one that fits is filled from the
		// plain value the schema checked, which is the same and cheaper.
		v, err = decode[T](doc.Root())
	}
	if err != nil {
		if len(problems) == 0 {
			problems = append(problems, decodeProblem(rel))
		}
		return nil, problems
	}
	return &Doc[T]{Doc: doc, Data: v, Raw: data}, problems
}

func decodeProblem(rel string) diag.Problem {
	return diag.Problem{Path: rel, Line: 1, Col: 1, Rule: RuleSchemaShape, Message: "document does not fit its schema"}
}

// Folder is everything in one case folder.
type Folder struct {
	ID  string
	Dir string // repository-relative

	Case        *Doc[Case]
	Intake      *Doc[Intake]
	Plan        *Doc[Plan]
	Closure     *Doc[Closure]
	Assessments []*Doc[Assessment] // by file name: date, then member
	Notes       []*Doc[Note]       // by file name: timestamp

	Files    []string       // every file found, repository-relative, sorted
	Stray    []string       // files that are not documents of the layout
	Problems []diag.Problem // problems of the documents read
}

// Select picks which documents a load reads; the zero value reads all.
type Select struct {
	Kinds []Kind
}

func (s Select) wants(k Kind) bool { return len(s.Kinds) == 0 || slices.Contains(s.Kinds, k) }

// Exists reports whether a case folder exists.
func (r *Repo) Exists(id string) bool {
	if !ValidCaseID(id) {
		return false
	}
	fi, err := os.Lstat(r.Abs(CaseDir(id)))
	return err == nil && fi.IsDir()
}

// ErrBadCaseID is returned for a string that is not a case id.
var ErrBadCaseID = errors.New("not a case id: ids look like 2026-11-K7Q3M")

// LoadCase reads a whole case folder. It fails for an invalid or unknown id;
// problems in the documents are in Folder.Problems.
func (r *Repo) LoadCase(id string, sel Select) (*Folder, error) {
	if !ValidCaseID(id) {
		return nil, ErrBadCaseID
	}
	dir := CaseDir(id)
	if err := r.checkNoSymlinkDir(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &NotFoundError{ID: id}
		}
		return nil, err
	}
	return r.loadFolder(id, sel)
}

func (r *Repo) checkNoSymlinkDir(dir string) error {
	p := r.Root
	for _, part := range strings.Split(dir, "/") {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return &fs.PathError{Op: "open", Path: dir, Err: ErrNotRegular}
		}
	}
	return nil
}

func (r *Repo) loadFolder(id string, sel Select) (*Folder, error) {
	f := &Folder{ID: id, Dir: CaseDir(id)}
	var files []string
	var walk func(rel string, depth int) error
	walk = func(rel string, depth int) error {
		entries, err := os.ReadDir(r.Abs(rel))
		if err != nil {
			return err
		}
		for _, e := range entries {
			p := rel + "/" + e.Name()
			switch {
			case e.Type()&fs.ModeSymlink != 0 || (!e.IsDir() && !e.Type().IsRegular()):
				f.Stray = append(f.Stray, p)
				f.Problems = append(f.Problems, diag.Problem{Path: p, Line: 1, Col: 1, Rule: RuleLayoutSymlink,
					Message: "symbolic links and special files are not allowed in a case repository; replace it with a regular file or remove it"})
			case e.IsDir() && depth == 0 && (e.Name() == "assessments" || e.Name() == "notes"):
				if err := walk(p, depth+1); err != nil {
					return err
				}
			case e.IsDir():
				f.Stray = append(f.Stray, p+"/")
			default:
				files = append(files, p)
			}
		}
		return nil
	}
	if err := walk(f.Dir, 0); err != nil {
		return nil, err
	}
	slices.Sort(files)
	f.Files = files
	for _, p := range files {
		// The folder is a case folder: only the rest of the path decides.
		loc := Location{CaseID: id, InCase: true}
		locateInCase(&loc, strings.Split(p[len(f.Dir)+1:], "/"))
		if loc.Kind == "" {
			f.Stray = append(f.Stray, p)
			continue
		}
		if !sel.wants(loc.Kind) {
			continue
		}
		data, err := r.readListed(p)
		if err != nil {
			if errors.Is(err, ErrNotRegular) {
				continue
			}
			return nil, err
		}
		switch loc.Kind {
		case KindCase:
			f.Case = load[Case](f, p, loc.Kind, data)
		case KindIntake:
			f.Intake = load[Intake](f, p, loc.Kind, data)
		case KindPlan:
			f.Plan = load[Plan](f, p, loc.Kind, data)
		case KindClosure:
			f.Closure = load[Closure](f, p, loc.Kind, data)
		case KindAssessment:
			if d := load[Assessment](f, p, loc.Kind, data); d != nil {
				f.Assessments = append(f.Assessments, d)
			}
		case KindNote:
			if d := load[Note](f, p, loc.Kind, data); d != nil {
				f.Notes = append(f.Notes, d)
			}
		}
	}
	slices.Sort(f.Stray)
	return f, nil
}

func load[T any](f *Folder, p string, k Kind, data []byte) *Doc[T] {
	d, problems := ParseDoc[T](p, k, data)
	f.Problems = append(f.Problems, problems...)
	return d
}

// Layout rule names.
const (
	RuleLayoutSymlink = "layout-symlink"
	RuleLayoutStray   = "layout-stray"
)

// Valid returns an InvalidError when the folder's documents have problems.
func (f *Folder) Valid() error { return diag.Invalid(f.Problems) }

// HasDoc reports whether the folder holds a document of a fixed-name kind.
func (f *Folder) HasDoc(k Kind) bool {
	return slices.Contains(f.Files, DocPath(f.ID, k))
}

// CaseIDs lists every case folder's id, sorted. Folders that are not case
// folders are skipped (validate reports them).
func (r *Repo) CaseIDs() ([]string, error) {
	months, err := os.ReadDir(r.Abs(CasesDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, m := range months {
		if !m.IsDir() || !monthRE.MatchString(m.Name()) {
			continue
		}
		entries, err := os.ReadDir(r.Abs(CasesDir + "/" + m.Name()))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() && ValidCaseID(e.Name()) && e.Name()[:7] == m.Name() {
				ids = append(ids, e.Name())
			}
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// Walk loads the given cases (all when ids is nil) with every core and calls
// fn for each folder, one at a time, in no particular order. Nothing is kept
// once fn returns, so memory stays flat however large the caseload. It stops
// at the first error fn or a load returns.
func (r *Repo) Walk(ctx context.Context, ids []string, sel Select, fn func(*Folder) error) error {
	if ids == nil {
		var err error
		if ids, err = r.CaseIDs(); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan string)
	type result struct {
		f   *Folder
		err error
	}
	results := make(chan result, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				f, err := r.loadFolder(id, sel)
				select {
				case results <- result{f, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, id := range ids {
			select {
			case jobs <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	var first error
	for res := range results {
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
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// Instrument loads instruments/<id>.yaml once.
func (r *Repo) Instrument(id string) (*Doc[Instrument], []diag.Problem, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.instruments[id]; ok {
		return e.doc, e.problems, nil
	}
	if !ValidSlug(id) {
		return nil, nil, fmt.Errorf("not an instrument id: ids are lower-case kebab-case")
	}
	d, problems, err := LoadDoc[Instrument](r, InstrumentDir+"/"+id+".yaml", KindInstrument)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("no instrument %s (instruments/%s.yaml)", id, id)
	}
	if err != nil {
		return nil, nil, err
	}
	r.instruments[id] = &instrumentEntry{doc: d, problems: problems}
	return d, problems, nil
}

// Providers loads providers.yaml once (an absent file is an empty
// directory).
func (r *Repo) Providers() (*Doc[Providers], []diag.Problem, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.provDone {
		return r.providers, r.provProbs, nil
	}
	d, problems, err := LoadDoc[Providers](r, ProvidersPath, KindProviders)
	if errors.Is(err, fs.ErrNotExist) {
		d, err = &Doc[Providers]{}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	r.providers, r.provProbs, r.provDone = d, problems, true
	return d, problems, nil
}

// Template returns a template: the repository's own templates/<name> when
// present, else the embedded one.
func (r *Repo) Template(name string) ([]byte, error) {
	if data, err := r.ReadFile("templates/" + name); err == nil {
		return data, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return fs.ReadFile(templates.FS, name)
}

// NewDoc parses a kind's template as the start of a new document.
func (r *Repo) NewDoc(rel string, k Kind) (*yamlx.Doc, error) {
	data, err := r.Template(k.Template())
	if err != nil {
		return nil, err
	}
	doc, problems := yamlx.Parse(rel, data)
	if doc == nil || len(problems) > 0 {
		return nil, fmt.Errorf("template %s is not valid YAML: %w", k.Template(), diag.Invalid(problems))
	}
	return doc, nil
}

// DecodeDoc gives a parsed and checked document its typed view without
// re-reading it, so problems found later keep the positions of the text the
// person wrote.
func DecodeDoc[T any](doc *yamlx.Doc) (*Doc[T], error) {
	v, err := decode[T](doc.Root())
	if err != nil {
		return nil, diag.Invalid([]diag.Problem{decodeProblem(doc.Path)})
	}
	return &Doc[T]{Doc: doc, Data: v}, nil
}
