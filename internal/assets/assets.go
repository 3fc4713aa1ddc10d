// Package assets bundles the theme's JavaScript and CSS with esbuild's Go API
// into minified, content-hashed files with source maps, so that the site
// needs no Node toolchain and browsers may cache assets forever.
package assets

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/scalebook/scalebook/internal/diag"
)

// Options say where the theme's sources are and what to add to them.
type Options struct {
	// ThemeDir holds assets/js/main.js, assets/js/theme-init.js and
	// assets/css/main.css.
	ThemeDir string
	// ExtraCSS is appended to the stylesheet (the generated code colours).
	ExtraCSS []byte
	// Entries adds JavaScript entry points beyond the theme's, by output
	// name (for example the dev server's reload client).
	Entries map[string]string
}

// Bundle is the result: output files by site path, and the URL path of each
// entry by its name ("main.js", "theme-init.js", "site.css").
type Bundle struct {
	Files map[string][]byte
	Paths map[string]string
}

const virtualNS = "scalebook"

// Build bundles the theme. Problems are reported with their file and
// position in diags.
func Build(opts Options, diags *diag.List) *Bundle {
	theme, err := filepath.Abs(opts.ThemeDir)
	if err != nil {
		diags.Addf(opts.ThemeDir, 0, 0, err.Error())
		return &Bundle{Files: map[string][]byte{}, Paths: map[string]string{}}
	}
	js := filepath.Join(theme, "assets", "js")
	css := filepath.Join(theme, "assets", "css", "main.css")
	entries := []api.EntryPoint{
		{InputPath: filepath.Join(js, "main.js"), OutputPath: "main"},
		{InputPath: filepath.Join(js, "theme-init.js"), OutputPath: "theme-init"},
		{InputPath: virtualNS + ":site.css", OutputPath: "site"},
	}
	names := make([]string, 0, len(opts.Entries))
	for name := range opts.Entries {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		entries = append(entries, api.EntryPoint{InputPath: opts.Entries[name], OutputPath: strings.TrimSuffix(name, path.Ext(name))})
	}
	// A relative import keeps the bundle's hash independent of where the
	// project is checked out.
	siteCSS := `@import "./main.css";` + "\n" + string(opts.ExtraCSS)
	res := api.Build(api.BuildOptions{
		EntryPointsAdvanced: entries,
		Bundle:              true,
		Write:               false,
		Outdir:              filepath.Join(theme, "..", ".assets-out"),
		AbsWorkingDir:       filepath.Dir(theme),
		EntryNames:          "assets/[name]-[hash]",
		AssetNames:          "assets/[name]-[hash]",
		MinifyWhitespace:    true,
		MinifyIdentifiers:   true,
		MinifySyntax:        true,
		Sourcemap:           api.SourceMapLinked,
		Target:              api.ES2020,
		Format:              api.FormatIIFE,
		Charset:             api.CharsetUTF8,
		LegalComments:       api.LegalCommentsNone,
		Loader:              map[string]api.Loader{".svg": api.LoaderFile, ".png": api.LoaderFile, ".woff2": api.LoaderFile},
		Plugins: []api.Plugin{{
			Name: "scalebook-virtual",
			Setup: func(b api.PluginBuild) {
				b.OnResolve(api.OnResolveOptions{Filter: `^` + virtualNS + `:`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
					return api.OnResolveResult{Path: strings.TrimPrefix(a.Path, virtualNS+":"), Namespace: virtualNS}, nil
				})
				b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: virtualNS}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
					dir := filepath.Dir(css)
					return api.OnLoadResult{Contents: &siteCSS, Loader: api.LoaderCSS, ResolveDir: dir}, nil
				})
			},
		}},
	})
	for _, m := range res.Errors {
		file, line, col := "", 0, 0
		if m.Location != nil {
			file, line, col = m.Location.File, m.Location.Line, m.Location.Column+1
		}
		diags.Addf(file, line, col, m.Text)
	}
	b := &Bundle{Files: map[string][]byte{}, Paths: map[string]string{}}
	outBase := filepath.Join(theme, "..", ".assets-out")
	for _, f := range res.OutputFiles {
		rel, err := filepath.Rel(outBase, f.Path)
		if err != nil {
			continue
		}
		rel = filepath.ToSlash(rel)
		b.Files[rel] = f.Contents
		if strings.HasSuffix(rel, ".map") {
			continue
		}
		// "assets/main-HASH.js" → "main.js"
		base := path.Base(rel)
		ext := path.Ext(base)
		stem := strings.TrimSuffix(base, ext)
		if i := strings.LastIndexByte(stem, '-'); i > 0 {
			stem = stem[:i]
		}
		b.Paths[stem+ext] = rel
	}
	return b
}

// Exists reports whether the theme has bundled sources, so a broken theme
// path gives one clear error instead of esbuild's three.
func Exists(themeDir string) bool {
	_, err := os.Stat(filepath.Join(themeDir, "assets", "js", "main.js"))
	return err == nil
}
