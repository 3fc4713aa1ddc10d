package cli

import (
	"io"
	"strings"

	"github.com/scalebook/scalebook/internal/starter"
)

func runNew(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("new", "new [-title TITLE] DIR", stderr)
	title := fs.String("title", "My guide", "the site's `title`")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if fs.NArg() != 1 {
		io.WriteString(stderr, "scalebook new: name the folder to create, e.g. scalebook new my-guide\n")
		return 2
	}
	dir := fs.Arg(0)
	// The workflow installs the same release as this binary, or the
	// latest one when this binary is not a release.
	version := "latest"
	if v, _, _ := strings.Cut(Version(), " "); strings.HasPrefix(v, "v") && !strings.Contains(v, "-0.") {
		version = v
	}
	wrote, err := starter.Write(dir, starter.Options{Title: *title, Version: version})
	if err != nil {
		io.WriteString(stderr, "scalebook new: "+err.Error()+"\n")
		return 1
	}
	for _, f := range wrote {
		io.WriteString(stdout, "wrote "+dir+"/"+f+"\n")
	}
	io.WriteString(stdout, "\nNext:\n\tcd "+dir+"\n\tscalebook serve      # preview with live reload\n\tscalebook build      # the site, into public/\n")
	return 0
}
