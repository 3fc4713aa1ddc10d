//go:build !linux

package output

// swap puts tmp in dir's place with two renames; see swapRenames for the
// window this leaves, which Linux closes.
func swap(tmp, dir string) (string, error) { return swapRenames(tmp, dir) }
