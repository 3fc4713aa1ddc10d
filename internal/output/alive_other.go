//go:build !unix

package output

// alive cannot ask about processes portably here; a folder whose build may
// still be running is left alone, and removed by hand or by `make clean`.
func alive(pid int) bool { return true }
