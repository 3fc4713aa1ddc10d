package figures

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/scalebook/scalebook/internal/diag"
)

// AllowFile is the allow-list's name in the content folder. The leading
// underscore keeps it out of the site, like _sheets/.
const AllowFile = "_figures.allow"

// Entry is one line of the allow-list: figures typed on purpose.
type Entry struct {
	// Path is a page's path in the content folder, with "/" separators;
	// it may be a pattern (path.Match: "systems/*.md").
	Path string
	// Text is a figure exactly as Scan reports it ("300K QPS"), or "*" for
	// every figure of the page: a page of published numbers or notation.
	Text string
	// Why is the reason, required: the list is read by reviewers.
	Why  string
	Line int
}

// ParseAllow reads an allow-list. Each line is "path: text  # why"; blank
// lines and lines starting with "#" are comments. Problems name file:line:col.
func ParseAllow(file string, data []byte) ([]Entry, []diag.Diagnostic) {
	var out []Entry
	var problems []diag.Diagnostic
	seen := map[[2]string]int{}
	for n, line := range strings.Split(string(data), "\n") {
		n++
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		bad := func(col int, msg string) {
			problems = append(problems, diag.Diagnostic{File: file, Line: n, Col: col, Msg: msg, LineText: line})
		}
		colon := strings.Index(line, ": ")
		if colon < 0 {
			bad(1, `an allow-list entry is "path: figure  # why", with a colon and a space after the path`)
			continue
		}
		p := strings.TrimSpace(line[:colon])
		rest := line[colon+2:]
		hash := strings.Index(rest, " #")
		if hash < 0 {
			bad(colon+3+len(rest), `say why the figure may be typed: add "  # reason" (a source, "assumption", "constant")`)
			continue
		}
		text := strings.TrimSpace(rest[:hash])
		why := strings.TrimSpace(rest[hash+2:])
		switch {
		case p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\"):
			bad(1, "the path is relative to the content folder, with / between folders")
		case !validPattern(p):
			bad(1, "the path "+strconv.Quote(p)+" is not a valid pattern")
		case text == "":
			bad(colon+3, "no figure between the path and the #")
		case why == "":
			bad(colon+3+hash+2, "the reason after # is empty")
		default:
			key := [2]string{p, text}
			if first, dup := seen[key]; dup {
				bad(1, "the same entry is on line "+strconv.Itoa(first))
				continue
			}
			seen[key] = n
			out = append(out, Entry{Path: p, Text: text, Why: why, Line: n})
		}
	}
	return out, problems
}

func validPattern(p string) bool {
	_, err := path.Match(p, "")
	return err == nil
}

// matches reports whether the entry covers a figure of the page at name.
func (e Entry) matches(name, text string) bool {
	ok, _ := path.Match(e.Path, name)
	return ok && (e.Text == "*" || e.Text == text)
}

// Report is the outcome of an audit.
type Report struct {
	// Pages is how many Markdown files were read; Found how many
	// candidates they hold and Allowed how many of those the list covers.
	Pages, Found, Allowed int
	// Problems are the figures not in the list, stale entries and
	// mistakes in the list, sorted by file and position.
	Problems []diag.Diagnostic
}

// Audit scans every Markdown page under dir (a content folder) and holds
// the candidates to dir's allow-list: a candidate not on the list is a
// problem, and so is an entry that no longer matches anything, so that the
// list shrinks as figures become cells. File names in problems are dir
// joined with the page's path.
func Audit(dir string) (Report, error) {
	var r Report
	allowName := filepath.Join(dir, AllowFile)
	var entries []Entry
	if data, err := os.ReadFile(allowName); err == nil {
		var problems []diag.Diagnostic
		entries, problems = ParseAllow(allowName, data)
		r.Problems = append(r.Problems, problems...)
	} else if !os.IsNotExist(err) {
		return r, err
	}
	used := make([]bool, len(entries))
	fsys := os.DirFS(dir)
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".md") {
			return nil
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		r.Pages++
		lines := strings.Split(string(src), "\n")
		for _, h := range Scan(src) {
			r.Found++
			allowed := false
			for i, e := range entries {
				if e.matches(name, h.Text) {
					used[i], allowed = true, true
				}
			}
			if allowed {
				r.Allowed++
				continue
			}
			r.Problems = append(r.Problems, diag.Diagnostic{
				File: filepath.Join(dir, filepath.FromSlash(name)), Line: h.Line, Col: h.Col,
				Msg: strconv.Quote(h.Text) + " typed in prose; quote the cell ({{sheet.cell}}) or, if it is a sourced fact, list it in " +
					filepath.ToSlash(allowName),
				LineText: strings.TrimRight(lines[h.Line-1], "\r"),
			})
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	for i, e := range entries {
		if !used[i] {
			r.Problems = append(r.Problems, diag.Diagnostic{File: allowName, Line: e.Line, Col: 1,
				Msg: "stale entry: no figure " + strconv.Quote(e.Text) + " in " + e.Path + "; remove the line"})
		}
	}
	slices.SortStableFunc(r.Problems, func(a, b diag.Diagnostic) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return r, nil
}
