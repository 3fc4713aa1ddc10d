package build

import (
	"errors"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/scalebook/scalebook/internal/diag"
)

// layouts are the templates a theme must provide, besides base.html and
// partials/*.html.
var layouts = []string{"home.html", "section.html", "page.html", "404.html"}

// templates holds one executable set per layout.
type templates struct {
	byLayout map[string]*template.Template
	redirect *template.Template
}

// loadTemplates parses base.html and the partials once, then clones that set
// for each layout, so each layout can define its own "main" block.
func loadTemplates(themeDir string, funcs template.FuncMap, diags *diag.List) *templates {
	dir := filepath.Join(themeDir, "layouts")
	t := &templates{byLayout: map[string]*template.Template{}}
	root := template.New("").Funcs(funcs)
	files := []string{filepath.Join(dir, "base.html")}
	partials, _ := filepath.Glob(filepath.Join(dir, "partials", "*.html"))
	files = append(files, partials...)
	ok := true
	for _, f := range files {
		if !parseInto(root, f, diags) {
			ok = false
		}
	}
	if !ok {
		return nil
	}
	for _, l := range layouts {
		clone, err := root.Clone()
		if err != nil {
			diags.Addf(filepath.Join(dir, l), 0, 0, err.Error())
			continue
		}
		if parseInto(clone, filepath.Join(dir, l), diags) {
			t.byLayout[l] = clone
		}
	}
	redirect := template.New("").Funcs(funcs)
	if parseInto(redirect, filepath.Join(dir, "redirect.html"), diags) {
		t.redirect = redirect
	}
	if diags.Len() > 0 {
		return nil
	}
	return t
}

func parseInto(t *template.Template, file string, diags *diag.List) bool {
	data, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			diags.Addf(file, 0, 0, "the theme has no "+filepath.Base(file)+"; add it or point -theme at a complete theme")
		} else {
			diags.Addf(file, 0, 0, "cannot read template: "+err.Error())
		}
		return false
	}
	if _, err := t.New(filepath.Base(file)).Parse(string(data)); err != nil {
		addTemplateError(file, err, diags)
		return false
	}
	return true
}

// templateErrPos finds "name:line:col" or "name:line" in html/template's
// messages ("template: page.html:12:3: …").
var templateErrPos = regexp.MustCompile(`template: ([^:\s]+):(\d+)(?::(\d+))?: `)

// addTemplateError reports err at the template file and line it names.
func addTemplateError(file string, err error, diags *diag.List) {
	msg := err.Error()
	m := templateErrPos.FindStringSubmatchIndex(msg)
	if m == nil {
		diags.Addf(file, 0, 0, strings.TrimPrefix(msg, "template: "))
		return
	}
	name := msg[m[2]:m[3]]
	line, _ := strconv.Atoi(msg[m[4]:m[5]])
	col := 0
	if m[6] >= 0 {
		col, _ = strconv.Atoi(msg[m[6]:m[7]])
	}
	diags.Addf(filepath.Join(filepath.Dir(file), name), line, col, strings.TrimSpace(msg[m[1]:]))
}

// layoutFile finds the file for a template name in the theme, for errors that
// happen while executing.
func layoutFile(themeDir, name string) string {
	dir := filepath.Join(themeDir, "layouts")
	if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
		return filepath.Join(dir, name)
	}
	return filepath.Join(dir, "partials", name)
}
