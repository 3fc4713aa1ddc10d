package cli

import (
	"io"
	"strconv"
	"time"

	"github.com/scalebook/scalebook/internal/check"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	var o check.Options
	var verbose bool
	fs := newFlags("check", "check [-base-url URL] [-external] [-v] [DIR]", stderr)
	fs.StringVar(&o.BaseURL, "base-url", "", "base `URL` the site is served at: a path (/repo/) or a full URL; default: the base the site's home page announces, else /")
	fs.BoolVar(&o.External, "external", false, "also fetch external links (needs the network)")
	warnLinks := fs.Bool("warn-links", false, "report broken links and missing ids as warnings (default: the policy the build recorded)")
	fs.DurationVar(&o.Timeout, "timeout", 15*time.Second, "time allowed for each external request")
	fs.IntVar(&o.Concurrency, "concurrency", 8, "external requests at a time")
	fs.BoolVar(&verbose, "v", false, "list the external links")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
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
