package cli

import (
	"flag"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/output"
	"github.com/scalebook/scalebook/internal/pipeline"
)

// DefaultCacheDir keeps build caches beside the project, outside public/,
// so deploying never ships them and `make clean` finds them.
const DefaultCacheDir = ".cache/scalebook"

// addSiteFlags declares the flags that say what to build, shared by the
// commands that build (build, serve).
func addSiteFlags(fs *flag.FlagSet, o *pipeline.Options) {
	fs.StringVar(&o.ContentDir, "content", "", "folder of Markdown `content` (default: content/ if there is one, else the current folder)")
	fs.StringVar(&o.ThemeDir, "theme", "", "theme `folder` laid over the built-in theme, file by file (default: theme/ beside the content folder, if any)")
	fs.StringVar(&o.BaseURL, "base-url", "", "base `URL`: a path (/repo/) or a full URL (https://user.github.io/repo/); default: site.yaml's base_url, else /")
	fs.StringVar(&o.CacheDir, "cache-dir", DefaultCacheDir, "`folder` for caches kept between builds (empty: none)")
	fs.BoolVar(&o.Drafts, "drafts", false, "include pages marked draft: true")
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	var o pipeline.Options
	fs := newFlags("build", "build [-content DIR] [-theme DIR] [-out DIR] [-base-url URL] [-cache-dir DIR] [-drafts] [-warn-links]", stderr)
	addSiteFlags(fs, &o)
	fs.StringVar(&o.OutDir, "out", "public", "output `folder`; replaced only by a complete, successful build")
	fs.BoolVar(&o.WarnLinks, "warn-links", false, "report broken links as warnings and build anyway, for a folder of Markdown being imported")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the build to `file` (for go tool pprof)")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			io.WriteString(stderr, "scalebook build: "+err.Error()+"\n")
			return 1
		}
		pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	if fs.NArg() > 0 {
		io.WriteString(stderr, "scalebook build: unexpected argument "+quote(fs.Arg(0))+"\n")
		fs.Usage()
		return 2
	}
	// Refuse a dangerous -out before spending time on a build.
	guard := output.Options{Protect: []output.Folder{{Role: "content folder", Path: o.ContentDir}, {Role: "theme folder", Path: o.ThemeDir}, {Role: "cache folder", Path: o.CacheDir}}}
	if err := output.Guard(o.OutDir, guard); err != nil {
		io.WriteString(stderr, "scalebook build: -out: "+err.Error()+"\n")
		return 1
	}
	site, err := pipeline.New(o).Build()
	if err != nil {
		io.WriteString(stderr, diag.Report(err)+"\n")
		if _, statErr := os.Stat(o.OutDir); statErr == nil {
			io.WriteString(stderr, "build failed; "+o.OutDir+"/ still holds the last good build\n")
		} else {
			io.WriteString(stderr, "build failed; nothing was written\n")
		}
		return 1
	}
	for _, w := range site.Warnings {
		io.WriteString(stderr, w.Report()+"\n")
	}
	// The folder remembers its link policy, so that scalebook check holds
	// it to what the build allowed, no more.
	guard.Notes = []string{"links.broken: " + policyWord(site.WarnBroken), "links.anchors: " + policyWord(site.WarnAnchors)}
	if err := output.Write(o.OutDir, site.Files, guard); err != nil {
		io.WriteString(stderr, "scalebook build: cannot write "+o.OutDir+": "+err.Error()+"\n")
		return 1
	}
	warned := ""
	switch n := len(site.Warnings); n {
	case 0:
	case 1:
		warned = ", 1 warning"
	default:
		warned = ", " + strconv.Itoa(n) + " warnings"
	}
	io.WriteString(stdout, "built "+strconv.Itoa(site.Pages)+" pages, "+strconv.Itoa(len(site.Files))+" files ("+
		strconv.FormatInt(site.Stats.OutputBytes/1024, 10)+" KB) into "+o.OutDir+"/ in "+
		site.Stats.Total.Round(time.Millisecond).String()+warned+"\n")
	return 0
}

func policyWord(warn bool) string {
	if warn {
		return "warn"
	}
	return "error"
}
