package gitstore

import (
	"io/fs"
	"syscall"
)

// sysStat fills the stat fields git keeps in the index that FileInfo does
// not carry.
func sysStat(fi fs.FileInfo, s *fileStat) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	s.ctimeS, s.ctimeN = uint32(st.Ctim.Sec), uint32(st.Ctim.Nsec)
	s.dev, s.ino, s.uid, s.gid = uint32(st.Dev), uint32(st.Ino), st.Uid, st.Gid
}
