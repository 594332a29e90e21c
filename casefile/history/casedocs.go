package history

import (
	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/docdiff"
	"github.com/go-git/go-git/v5/plumbing"
)

// Snapshot is the content of a case folder's regular files, by path.
type Snapshot map[string][]byte

// CaseFiles lists the files of a case folder at a commit (none when the
// case does not exist there).
func (h *History) CaseFiles(c Hash, id string) ([]File, error) {
	return h.Files(c, casefile.CaseDir(id))
}

// CaseDocs compares a case folder between two commits (zero for "before
// the first commit"), reading only the files whose content differs.
func (h *History) CaseDocs(from, to Hash, id string) ([]docdiff.Doc, error) {
	fa, err := h.CaseFiles(from, id)
	if err != nil {
		return nil, err
	}
	fb, err := h.CaseFiles(to, id)
	if err != nil {
		return nil, err
	}
	old, new, err := h.differing(fa, fb)
	if err != nil {
		return nil, err
	}
	return docdiff.Docs(old, new), nil
}

// CaseDocsTo compares a case folder at a commit with a snapshot (the
// working tree, say), reading only the committed files whose content
// differs from it.
func (h *History) CaseDocsTo(from Hash, id string, now Snapshot) ([]docdiff.Doc, error) {
	fa, err := h.CaseFiles(from, id)
	if err != nil {
		return nil, err
	}
	old := Snapshot{}
	for _, f := range fa {
		if !f.IsRegular() {
			continue
		}
		if data, ok := now[f.Path]; ok && BlobHash(data) == f.Hash {
			old[f.Path] = data
			continue
		}
		data, err := h.Blob(f.Hash)
		if err != nil {
			return nil, err
		}
		old[f.Path] = data
	}
	return docdiff.Docs(old, now), nil
}

// differing reads the files of two listings whose content differs; files
// that are the same on both sides are left out of both snapshots.
func (h *History) differing(fa, fb []File) (Snapshot, Snapshot, error) {
	hashes := map[string]Hash{}
	for _, f := range fa {
		if f.IsRegular() {
			hashes[f.Path] = f.Hash
		}
	}
	old, new := Snapshot{}, Snapshot{}
	same := map[string]bool{}
	for _, f := range fb {
		if !f.IsRegular() {
			continue
		}
		if hashes[f.Path] == f.Hash {
			same[f.Path] = true
			continue
		}
		data, err := h.Blob(f.Hash)
		if err != nil {
			return nil, nil, err
		}
		new[f.Path] = data
	}
	for p, hash := range hashes {
		if same[p] {
			continue
		}
		data, err := h.Blob(hash)
		if err != nil {
			return nil, nil, err
		}
		old[p] = data
	}
	return old, new, nil
}

// Read reads the regular files of a listing.
func (h *History) Read(files []File) (Snapshot, error) {
	out := Snapshot{}
	for _, f := range files {
		if !f.IsRegular() {
			continue
		}
		data, err := h.Blob(f.Hash)
		if err != nil {
			return nil, err
		}
		out[f.Path] = data
	}
	return out, nil
}

// BlobHash is the id git gives a file's content.
func BlobHash(data []byte) Hash { return plumbing.ComputeHash(plumbing.BlobObject, data) }
