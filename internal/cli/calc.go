package cli

import "github.com/scalebook/scalebook/internal/calccmd"

func init() {
	register(&Command{Name: "calc", Summary: "evaluate an expression or a sheet in the terminal", Run: calccmd.Run})
}
