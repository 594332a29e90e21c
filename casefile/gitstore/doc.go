// Package gitstore is the commit engine of a case repository: it writes
// documents into the working tree and records them in git, touching only the
// paths a command wrote.
//
// Every write goes through [Repo.Apply]: files are replaced atomically, only
// their index entries are rewritten (the rest of the index file is copied
// byte for byte), only the trees on the touched paths are rebuilt from HEAD,
// and the branch moves under git's own lock-file protocol. A person's other
// uncommitted work (modified, staged or untracked files) is never swept into
// a commit and never lost, and a failure at any step leaves the working tree,
// the index and HEAD as they were.
//
// The cost of a command follows what it touches, not the size of the
// repository: the package never calls go-git's Worktree.Status, Worktree.Add,
// Worktree.Commit or a path-filtered Log (see shared/GIT-PERFORMANCE.md).
// The one linear cost left is a sequential pass over the index file.
//
// Writers serialize on a repository-wide lock ([Repo.Lock]) held across a
// command's read-check-write; git's own index.lock and ref locks are taken
// too, so a concurrent git command makes Apply fail cleanly instead of
// corrupting anything.
package gitstore
