// Command scalebook builds, serves and checks a system-design guide whose
// pages carry live calculators. See README.md.
package main

import (
	"os"

	"github.com/scalebook/scalebook/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
