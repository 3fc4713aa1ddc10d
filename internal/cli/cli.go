// Package cli is the scalebook command line: it parses flags and hands
// plain option structs to the packages that do the work.
//
// Exit codes: 0 success, 1 build or check errors, 2 usage errors.
package cli

import (
	"errors"
	"flag"
	"io"
	"runtime/debug"
	"strings"

	"github.com/scalebook/scalebook/internal/calccmd"
)

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	// Run executes the command with its arguments (after the name).
	Run func(args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order help shows them, the order
// an author meets them. It is a function, not a variable, because help
// itself is one of them.
func commands() []Command {
	return []Command{
		{Name: "new", Summary: "start a project: site.yaml, a home page, a page with a calculator, the Pages workflow", Run: runNew},
		{Name: "build", Summary: "build the site into a folder (default public/)", Run: runBuild},
		{Name: "serve", Summary: "serve the site on localhost, rebuilding and reloading on every change", Run: runServe},
		{Name: "check", Summary: "check a built site's links, anchors and assets (default public/)", Run: runCheck},
		{Name: "calc", Summary: "evaluate an expression or a sheet in the terminal", Run: calccmd.Run},
		{Name: "help", Summary: "show help for scalebook or a command", Run: runHelp},
	}
}

// Main runs scalebook with os.Args[1:] and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		usage(stdout)
		return 0
	case "-version", "--version", "version":
		io.WriteString(stdout, "scalebook "+Version()+"\n")
		return 0
	}
	for _, c := range commands() {
		if c.Name == name {
			return c.Run(args[1:], stdout, stderr)
		}
	}
	io.WriteString(stderr, "scalebook: unknown command "+quote(name)+"\nRun 'scalebook help' for the list of commands.\n")
	return 2
}

// Version is the module version the binary was built from: a tag such as
// v1.2.0 when installed with go install …@v1.2.0, a pseudo-version for a
// commit, or "(devel)" with the commit when built from a checkout.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	if v == "(devel)" {
		var rev, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = "+dirty"
				}
			}
		}
		if rev != "" {
			v += " " + rev[:min(12, len(rev))] + modified
		}
	}
	return v + " (" + info.GoVersion + ")"
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("scalebook builds a system-design guide with live calculators.\n\nUsage:\n\n\tscalebook <command> [flags]\n\nCommands:\n\n")
	for _, c := range commands() {
		b.WriteString("\t" + c.Name + strings.Repeat(" ", max(1, 8-len(c.Name))) + c.Summary + "\n")
	}
	b.WriteString("\nRun 'scalebook <command> -h' for a command's flags, 'scalebook --version' for the version.\n")
	io.WriteString(w, b.String())
}

func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.Name == args[0] && c.Name != "help" {
			return c.Run([]string{"-h"}, stdout, stderr)
		}
	}
	io.WriteString(stderr, "scalebook help: unknown command "+quote(args[0])+"\n")
	return 2
}

// newFlags makes a FlagSet that prints usage to stdout for -h (exit 0) and
// to stderr for mistakes (exit 2).
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: scalebook "+synopsis+"\n\nFlags:\n")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; it returns an exit code and false when the caller
// should stop (help was shown, or the flags were wrong).
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (int, bool) {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0, false
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	return 0, true
}

func quote(s string) string { return `"` + s + `"` }
