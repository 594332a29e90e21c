package gitstore

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// Every object git itself packed (aggressively, with deep delta chains) or
// left loose reads back exactly as git cat-file gives it.
func TestObjectReaderMatchesGit(t *testing.T) {
	dir := newHistoryRepo(t)
	for i := range 60 {
		writeFile(t, dir, fmt.Sprintf("cases/2026-10/2026-10-AAAAA/notes/n%02d.yaml", i), strings.Repeat(fmt.Sprintf("line %d of a note\n", i), 20+i))
		writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/case.yaml", fmt.Sprintf("id: 2026-10-AAAAA\nstage: intake\nversion: %d\n%s", i, strings.Repeat("history entry\n", i)))
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "-m", fmt.Sprintf("change %d", i))
	}
	git(t, dir, "gc", "-q", "--aggressive")
	// Some objects stay loose: a commit made after the gc.
	writeFile(t, dir, "cases/2026-10/2026-10-BBBBB/plan.yaml", "goals: []\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "after gc")
	if out := git(t, dir, "count-objects", "-v"); !strings.Contains(out, "in-pack:") {
		t.Fatalf("count-objects: %s", out)
	}

	r := openRepo(t, dir)
	if n := compareWithGit(t, r, dir); n < 200 {
		t.Errorf("only %d objects compared", n)
	}
	// Packs whose deltas name their base by id (REF_DELTA), as git writes
	// them without the offset extension.
	git(t, dir, "-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f")
	if out := git(t, dir, "verify-pack", "-v", packIndexPath(t, dir)); !strings.Contains(out, "chain length") {
		t.Fatalf("no deltas in the repacked pack:\n%s", out)
	}
	if refs := countPackTypes(t, packIndexPath(t, dir))[plumbing.REFDeltaObject]; refs == 0 {
		t.Fatal("the repack wrote no REF_DELTA")
	}
	r2 := openRepo(t, dir)
	compareWithGit(t, r2, dir)
	if _, err := r.readObject(plumbing.BlobObject, plumbing.NewHash(strings.Repeat("ab", 20))); err == nil {
		t.Error("an absent object was read")
	}
	head, _ := r.Head()
	if _, err := r.readObject(plumbing.TreeObject, head); err == nil {
		t.Error("a commit was read as a tree")
	}
}

// compareWithGit reads every object git lists and compares it with git's.
func compareWithGit(t *testing.T, r *Repo, dir string) int {
	t.Helper()
	cmd := exec.Command("git", "cat-file", "--batch-all-objects", "--batch")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	rd := bufio.NewReader(bytes.NewReader(out))
	n := 0
	for {
		line, err := rd.ReadString('\n')
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(line)
		size, _ := strconv.Atoi(f[2])
		want := make([]byte, size+1)
		if _, err := io.ReadFull(rd, want); err != nil {
			t.Fatal(err)
		}
		want = want[:size]
		typ, _ := plumbing.ParseObjectType(f[1])
		got, err := r.readObject(typ, plumbing.NewHash(f[0]))
		if err != nil {
			t.Errorf("%s %s: %v", f[1], f[0], err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s %s: read %d bytes that differ from git's %d", f[1], f[0], len(got), len(want))
		}
		n++
	}
}

func TestApplyDeltaRefusesMalformed(t *testing.T) {
	base := []byte("hello, world\n")
	good := makeDelta(base, []byte("hello, there\n"))
	if out, err := applyDelta(base, good); err != nil || string(out) != "hello, there\n" {
		t.Fatalf("applyDelta = %q, %v", out, err)
	}
	for _, d := range [][]byte{
		nil,
		{13},                                // no target size
		{13, 5, 0},                          // op 0 is reserved
		{13, 5, 0x91, 20, 5},                // copy beyond the base
		{13, 5, 9, 'a'},                     // insert beyond the delta
		{12, 5, 5, 'a', 'b', 'c', 'd', 'e'}, // wrong base size
		{13, 4, 5, 'a', 'b', 'c', 'd', 'e'}, // wrong target size
	} {
		if _, err := applyDelta(base, d); err == nil {
			t.Errorf("applyDelta accepted %v", d)
		}
	}
}

// countPackTypes counts the objects of a pack by their stored type.
func countPackTypes(t *testing.T, idxPath string) map[plumbing.ObjectType]int {
	t.Helper()
	p, err := openPack(idxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer p.idx.Close()
	defer p.pack.Close()
	out := map[plumbing.ObjectType]int{}
	for i := range p.n {
		off, _, err := p.offset(i)
		if err != nil {
			t.Fatal(err)
		}
		var b [1]byte
		if _, err := p.pack.ReadAt(b[:], off); err != nil {
			t.Fatal(err)
		}
		out[plumbing.ObjectType(b[0]>>4&7)]++
	}
	return out
}
