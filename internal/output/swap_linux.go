package output

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// swap puts tmp in dir's place. On Linux an existing dir is exchanged with
// tmp in one renameat2 call, so there is no moment without a dir; file
// systems that cannot exchange fall back to two renames. It returns the
// folder that now holds the old build ("" when there was none).
func swap(tmp, dir string) (string, error) {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(tmp, dir)
	}
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dir, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return tmp, nil
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return swapRenames(tmp, dir)
	default:
		return "", &os.LinkError{Op: "renameat2", Old: tmp, New: dir, Err: err}
	}
}
