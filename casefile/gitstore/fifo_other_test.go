//go:build !unix

package gitstore

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs here") }
