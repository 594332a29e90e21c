package gitstore

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHelperHoldLock is not a test: run as a child process by
// TestLockAcrossProcesses, it takes the writer lock, says so, and holds it
// until its standard input closes.
func TestHelperHoldLock(t *testing.T) {
	dir := os.Getenv("GITSTORE_HOLD_LOCK")
	if dir == "" {
		t.Skip("helper process only")
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := r.Lock(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("locked")
	bufio.NewReader(os.Stdin).ReadString('\n')
	unlock()
	r.Close()
}

func TestLockAcrossProcesses(t *testing.T) {
	dir := newHistoryRepo(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$")
	cmd.Env = append(os.Environ(), "GITSTORE_HOLD_LOCK="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		t.Fatalf("helper said %q", line)
	}

	r := openRepo(t, dir)
	start := time.Now()
	_, err := r.Lock(300 * time.Millisecond)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "another cases command is writing to this repository") {
		t.Fatalf("error %v, want ErrLocked", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Fatalf("gave up after %s, before the timeout", waited)
	}
	stdin.Close() // the helper unlocks and exits
	unlock, err := r.Lock(10 * time.Second)
	if err != nil {
		t.Fatalf("after the holder left: %v", err)
	}
	defer unlock()
	if _, err := r.Apply([]Change{{Path: newNote, Data: []byte("x\n")}}, opts("note: after wait")); err != nil {
		t.Fatal(err)
	}
	fsck(t, dir)
}

func TestLockWithinOneProcess(t *testing.T) {
	dir := newHistoryRepo(t)
	a, b := openRepo(t, dir), openRepo(t, dir)
	unlock, err := a.Lock(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lock(0); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Repo got the lock: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		u, err := b.Lock(10 * time.Second)
		if err == nil {
			u()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	unlock()
	unlock() // harmless twice
	if err := <-done; err != nil {
		t.Fatalf("waiter: %v", err)
	}
}

// TestConcurrentApply runs writers in several goroutines, each with its own
// Repo, each holding the lock across read-check-write: every commit lands.
func TestConcurrentApply(t *testing.T) {
	dir := newHistoryRepo(t)
	const writers, each = 4, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := Open(dir)
			if err != nil {
				errs <- err
				return
			}
			defer r.Close()
			for i := range each {
				unlock, err := r.Lock(30 * time.Second)
				if err != nil {
					errs <- err
					return
				}
				p := fmt.Sprintf("cases/2026-11/2026-11-W%04d/notes/%02d.yaml", w, i)
				if dirty, err := r.Dirty(p); err != nil || len(dirty) > 0 {
					errs <- fmt.Errorf("check %s: %v %v", p, dirty, err)
				}
				_, err = r.Apply([]Change{{Path: p, Data: []byte(p + "\n")}}, opts(fmt.Sprintf("note: %d-%d", w, i)))
				unlock()
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := git(t, dir, "rev-list", "--count", "HEAD"); got != fmt.Sprint(2+writers*each) {
		t.Fatalf("%s commits, want %d", got, 2+writers*each)
	}
	if got := git(t, dir, "ls-files", "cases/2026-11"); len(lines(got)) != writers*each {
		t.Fatalf("tracked: %d files", len(lines(got)))
	}
	if got := git(t, dir, "status", "--porcelain=v1", "-uall"); got != "" {
		t.Fatalf("status:\n%s", got)
	}
	fsck(t, dir)
}

// Apply in one Repo shared by goroutines that do not take the lock
// themselves: Apply takes it per call.
func TestApplySharedRepoWithoutLock(t *testing.T) {
	dir := newHistoryRepo(t)
	r := openRepo(t, dir)
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 {
				p := fmt.Sprintf("cases/2026-12/2026-12-S%04d/notes/%02d.yaml", w, i)
				if _, err := r.Apply([]Change{{Path: p, Data: []byte("x\n")}}, opts("note")); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if got := git(t, dir, "rev-list", "--count", "HEAD"); got != "11" {
		t.Fatalf("%s commits", got)
	}
	fsck(t, dir)
}
