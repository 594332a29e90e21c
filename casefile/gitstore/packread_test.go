package gitstore

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// deltaPackedRepo makes a history with the real git, packs it with deep delta
// chains (and leaves a few objects loose), adds an annotated tag, a merge
// and a remote branch, and packs the refs.
func deltaPackedRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.org",
			"GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.org")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "main")
	var text strings.Builder
	for i := range 40 {
		fmt.Fprintf(&text, "line %d of a note that grows a little with every commit\n", i)
		for f := range 3 {
			p := filepath.Join(dir, "cases", "2026-11", fmt.Sprintf("2026-11-AAAA%d", f+2), "notes.yaml")
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(text.String()+strconv.Itoa(f)), 0o644)
		}
		git("add", "-A")
		git("commit", "-q", "-m", fmt.Sprintf("commit %d", i))
		if i == 20 {
			git("tag", "-a", "v1", "-m", "version one")
			git("switch", "-q", "-c", "side")
			os.WriteFile(filepath.Join(dir, "side.txt"), []byte("side\n"), 0o644)
			git("add", "-A")
			git("commit", "-q", "-m", "side")
			git("switch", "-q", "main")
			git("merge", "-q", "--no-edit", "side")
		}
	}
	git("repack", "-a", "-d", "-f", "--depth=50", "--window=50", "-q")
	git("update-ref", "refs/remotes/origin/main", "HEAD~3")
	git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
	git("pack-refs", "--all")
	os.WriteFile(filepath.Join(dir, "loose.txt"), []byte("loose\n"), 0o644)
	git("add", "-A")
	git("commit", "-q", "-m", "loose objects after the pack")
	return dir
}

// TestObjectReaderMatchesGit reads every object git has, packed (most as
// deltas) or loose, and compares type and content with git cat-file.
func TestPackReaderMatchesGit(t *testing.T) {
	dir := deltaPackedRepo(t)
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("git", "cat-file", "--batch-all-objects", "--batch")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(bytes.NewReader(out))
	n, deltas := 0, 0
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			break
		}
		f := strings.Fields(line)
		size, _ := strconv.Atoi(f[2])
		want := make([]byte, size+1)
		io.ReadFull(br, want)
		want = want[:size]
		typ, got, err := r.objs.read(plumbing.NewHash(f[0]))
		if err != nil {
			t.Fatalf("%s: %v", f[0], err)
		}
		if typ.String() != f[1] || !bytes.Equal(got, want) {
			t.Errorf("%s: read a %s of %d bytes, git has a %s of %d", f[0], typ, len(got), f[1], size)
		}
		n++
	}
	for _, p := range r.objs.packs {
		for i := range p.count {
			if typ, _, _, _, _, _ := r.objs.header(0, p.offset(i)); typ >= packOFSDelta {
				deltas++
			}
		}
	}
	if n < 300 || deltas < 50 {
		t.Errorf("only %d objects, %d of them deltas: the test proves little", n, deltas)
	}
}

func TestReaderResolveMatchesGit(t *testing.T) {
	dir := deltaPackedRepo(t)
	r, err := OpenReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	revParse := func(rev string) string {
		cmd := exec.Command("git", "rev-parse", "--verify", "-q", rev+"^{commit}")
		cmd.Dir = dir
		out, _ := cmd.Output()
		return strings.TrimSpace(string(out))
	}
	head := revParse("HEAD")
	for _, rev := range []string{"HEAD", "@", "main", "HEAD~3", "HEAD^", "HEAD~25^2", "HEAD~25^1", "v1", "v1~2", "origin/main", "origin", "remotes/origin/main",
		"refs/heads/side", "side^0", head, head[:7], head[:4] + "zz", "nosuch", "HEAD~1000"} {
		got, err := r.resolve(rev)
		want := revParse(rev)
		switch {
		case want == "" && err == nil:
			t.Errorf("%s: resolved to %s, git says no such revision", rev, got)
		case want != "" && err != nil:
			// Forms this resolver leaves to go-git must resolve there.
			if g, err := r.Resolve(rev); err != nil || g.String() != want {
				t.Errorf("%s: %v (fallback %s, %v), git says %s", rev, err, g, err, want)
			}
		case want != "" && got.String() != want:
			t.Errorf("%s: %s, git says %s", rev, got, want)
		}
	}
}
