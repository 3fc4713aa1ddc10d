//go:build unix

package filecache

import (
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock on path without waiting. The lock
// is released by the returned function, or by the kernel when the process
// dies, so a killed build never leaves the cache locked.
func lock(path string) (unlock func(), ok bool) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, true
}
