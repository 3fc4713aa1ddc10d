//go:build !unix

package filecache

// lock is a no-op where flock is missing: trimming is idempotent, and two
// builds trimming at once at worst remove a few more entries than needed.
func lock(path string) (unlock func(), ok bool) { return func() {}, true }
