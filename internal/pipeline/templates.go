package pipeline

import (
	"errors"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/theme"
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
func loadTemplates(th *theme.Theme, funcs template.FuncMap, diags *diag.List) *templates {
	t := &templates{byLayout: map[string]*template.Template{}}
	root := template.New("").Funcs(funcs)
	files := []string{"layouts/base.html"}
	if entries, err := th.ReadDir("layouts/partials"); err == nil {
		for _, e := range entries {
			if !e.IsDir() && path.Ext(e.Name()) == ".html" {
				files = append(files, "layouts/partials/"+e.Name())
			}
		}
	}
	ok := true
	for _, f := range files {
		if !parseInto(root, th, f, diags) {
			ok = false
		}
	}
	if !ok {
		return nil
	}
	for _, l := range layouts {
		clone, err := root.Clone()
		if err != nil {
			diags.Addf(th.Where("layouts/"+l), 0, 0, err.Error())
			continue
		}
		if parseInto(clone, th, "layouts/"+l, diags) {
			t.byLayout[l] = clone
		}
	}
	redirect := template.New("").Funcs(funcs)
	if parseInto(redirect, th, "layouts/redirect.html", diags) {
		t.redirect = redirect
	}
	if diags.Len() > 0 {
		return nil
	}
	return t
}

func parseInto(t *template.Template, th *theme.Theme, file string, diags *diag.List) bool {
	data, err := th.ReadFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			diags.Addf(th.Where(file), 0, 0, "the theme has no "+path.Base(file)+"; add it, or remove the file that hides the built-in one")
		} else {
			diags.Addf(th.Where(file), 0, 0, "cannot read template: "+err.Error())
		}
		return false
	}
	if _, err := t.New(path.Base(file)).Parse(string(data)); err != nil {
		addTemplateError(th, err, diags)
		return false
	}
	return true
}

// templateErrPos finds "name:line:col" or "name:line" in html/template's
// messages ("template: page.html:12:3: …").
var templateErrPos = regexp.MustCompile(`template: ([^:\s]+):(\d+)(?::(\d+))?: `)

// addTemplateError reports err at the template file and line it names.
func addTemplateError(th *theme.Theme, err error, diags *diag.List) {
	msg := err.Error()
	m := templateErrPos.FindStringSubmatchIndex(msg)
	if m == nil {
		diags.Addf(th.Where("layouts"), 0, 0, strings.TrimPrefix(msg, "template: "))
		return
	}
	name := msg[m[2]:m[3]]
	line, _ := strconv.Atoi(msg[m[4]:m[5]])
	col := 0
	if m[6] >= 0 {
		col, _ = strconv.Atoi(msg[m[6]:m[7]])
	}
	diags.Addf(th.Where(layoutFile(th, name)), line, col, strings.TrimSpace(msg[m[1]:]))
}

// layoutFile finds the theme path of a template name ("page.html" is a
// layout, "toc.html" a partial).
func layoutFile(th *theme.Theme, name string) string {
	if _, err := th.Stat("layouts/" + name); err == nil {
		return "layouts/" + name
	}
	return "layouts/partials/" + name
}
