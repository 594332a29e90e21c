package gitstore

import "errors"

// Sentinel errors. Errors returned by this package wrap them with context
// (a path, a ref name) and can be tested with errors.Is. No error carries
// the contents of a document.
var (
	// ErrLocked means another process holds the repository-wide writer lock
	// and did not release it within the timeout.
	ErrLocked = errors.New("another cases command is writing to this repository")

	// ErrConcurrentUpdate means the branch (or a ref lock) changed under
	// Apply: another process committed between the read and the write.
	// Nothing was changed; the command can be run again.
	ErrConcurrentUpdate = errors.New("the branch was updated by another process while this command ran; nothing was changed")

	// ErrIndexLocked means .git/index.lock exists: a git command is running,
	// or a crashed one left the file behind. The file is left alone.
	ErrIndexLocked = errors.New("the git index is locked by another git process")

	// ErrConflicts means the index holds unmerged entries.
	ErrConflicts = errors.New("the repository has unresolved merge conflicts")

	// ErrUnsupportedIndex means the index uses a feature this package does
	// not write (split index, sparse index, an unknown required extension,
	// an unknown version).
	ErrUnsupportedIndex = errors.New("unsupported git index")

	// ErrNotRepository means the folder does not hold a git repository
	// (a .git folder) that this package can open.
	ErrNotRepository = errors.New("not a git repository")

	// ErrInvalidPath means a path is not a clean, relative, slash-separated
	// path inside the repository, or crosses a symlink or a special file.
	ErrInvalidPath = errors.New("invalid path")
)
