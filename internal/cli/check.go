package cli

import (
	"io"
	"os"
	"strconv"
	"time"

	"github.com/scalebook/scalebook/internal/check"
	"github.com/scalebook/scalebook/internal/figures"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	var o check.Options
	var verbose bool
	fs := newFlags("check", "check [-base-url URL] [-external] [-v] [DIR]\n       scalebook check -figures [-content DIR]", stderr)
	fs.StringVar(&o.BaseURL, "base-url", "", "base `URL` the site is served at: a path (/repo/) or a full URL; default: the base the site's home page announces, else /")
	fs.BoolVar(&o.External, "external", false, "also fetch external links (needs the network)")
	warnLinks := fs.Bool("warn-links", false, "report broken links and missing ids as warnings (default: the policy the build recorded)")
	fs.DurationVar(&o.Timeout, "timeout", 15*time.Second, "time allowed for each external request")
	fs.IntVar(&o.Concurrency, "concurrency", 8, "external requests at a time")
	fs.BoolVar(&verbose, "v", false, "list the external links")
	figs := fs.Bool("figures", false, "check the Markdown instead of a built site: list figures typed in prose that are neither calculator cells nor in the content folder's "+figures.AllowFile)
	contentDir := fs.String("content", "", "with -figures, the folder of Markdown `content` (default: content/ if there is one, else the current folder)")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if *figs {
		if fs.NArg() > 0 {
			io.WriteString(stderr, "scalebook check -figures: reads the Markdown, not a built site; name the folder with -content, not "+quote(fs.Arg(0))+"\n")
			return 2
		}
		return runFigures(*contentDir, stdout, stderr)
	}
	if *contentDir != "" {
		io.WriteString(stderr, "scalebook check: -content goes with -figures; a built site is named as the last argument\n")
		return 2
	}
	switch fs.NArg() {
	case 0:
		o.Dir = "public"
	case 1:
		o.Dir = fs.Arg(0)
	default:
		io.WriteString(stderr, "scalebook check: one folder at most, got "+strconv.Itoa(fs.NArg())+" arguments\n")
		fs.Usage()
		return 2
	}
	// Hold the site to the link policy its build recorded, unless told.
	o.WarnBroken, o.WarnAnchors = *warnLinks, *warnLinks
	if o.Dir == "" {
		o.Dir = "public"
	}
	if b, a, ok := check.Policy(o.Dir); ok {
		o.WarnBroken, o.WarnAnchors = o.WarnBroken || b, o.WarnAnchors || a
	}
	rep, err := check.Run(o)
	if err != nil {
		io.WriteString(stderr, "scalebook check: "+err.Error()+"\n")
		return 1
	}
	if verbose {
		for _, u := range rep.External {
			io.WriteString(stdout, "external: "+u+"\n")
		}
	}
	for _, p := range rep.Problems {
		io.WriteString(stderr, p.Error()+"\n")
	}
	summary := "checked " + nounCount(rep.Pages, "page") + " and " + nounCount(rep.Refs, "internal link") + " under " + rep.BaseURL
	if n := len(rep.External); n > 0 {
		summary += "; " + nounCount(n, "external link")
		if o.External {
			summary += " fetched"
		} else if !verbose {
			summary += " not fetched (-v lists them, -external fetches them)"
		}
	}
	errs, warns := 0, 0
	for _, p := range rep.Problems {
		if p.Warning {
			warns++
		} else {
			errs++
		}
	}
	if errs > 0 {
		io.WriteString(stderr, summary+": "+nounCount(errs, "problem")+"\n")
		return 1
	}
	if warns > 0 {
		summary += ", " + nounCount(warns, "warning")
	}
	io.WriteString(stdout, summary+": ok\n")
	return 0
}

func nounCount(n int, noun string) string {
	s := strconv.Itoa(n) + " " + noun
	if n != 1 {
		s += "s"
	}
	return s
}

// runFigures audits the prose of a content folder for figures typed by
// hand (package figures).
func runFigures(dir string, stdout, stderr io.Writer) int {
	if dir == "" {
		dir = "content"
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			dir = "."
		}
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		io.WriteString(stderr, "scalebook check -figures: "+dir+" is not a folder\n")
		return 1
	}
	rep, err := figures.Audit(dir)
	if err != nil {
		io.WriteString(stderr, "scalebook check -figures: "+err.Error()+"\n")
		return 1
	}
	for _, p := range rep.Problems {
		io.WriteString(stderr, p.Report()+"\n")
	}
	summary := "checked " + nounCount(rep.Pages, "page") + " for typed figures: " + nounCount(rep.Found, "figure") + " in prose, " +
		strconv.Itoa(rep.Allowed) + " on the allow-list"
	if n := len(rep.Problems); n > 0 {
		io.WriteString(stderr, summary+": "+nounCount(n, "problem")+"\n")
		return 1
	}
	io.WriteString(stdout, summary+": ok\n")
	return 0
}
