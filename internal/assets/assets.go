// Package assets bundles the theme's JavaScript and CSS with esbuild's Go API
// into minified, content-hashed files with source maps, so that the site
// needs no Node toolchain and browsers may cache assets forever.
//
// esbuild reads every file through a plugin from the theme's file system
// (the author's folder laid over the built-in theme), so the built-in
// theme never has to be written to disk, bundles do not depend on where
// the project is checked out, and source maps name theme paths.
package assets

import (
	"io/fs"
	"path"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/scalebook/scalebook/internal/diag"
)

// Options say where the theme's sources are and what to add to them.
type Options struct {
	// Theme holds assets/js/main.js, assets/js/theme-init.js and
	// assets/css/main.css, as slash-separated paths.
	Theme fs.FS
	// Where names a theme path for messages (the author's file, or the
	// built-in one); nil prints the path as it is.
	Where func(name string) string
	// ExtraCSS is appended to the stylesheet (the generated code colours).
	ExtraCSS []byte
}

// Bundle is the result: output files by site path, and the URL path of each
// entry by its name ("main.js", "theme-init.js", "site.css").
type Bundle struct {
	Files map[string][]byte
	Paths map[string]string
}

// ns is the namespace of theme files in esbuild; siteCSS is the virtual
// stylesheet entry: the theme's main.css followed by ExtraCSS.
const (
	ns      = "theme"
	siteCSS = "assets/css/site.css"
	outDir  = "/scalebook-out"
)

// Build bundles the theme. Problems are reported with their file and
// position in diags.
func Build(opts Options, diags *diag.List) *Bundle {
	where := opts.Where
	if where == nil {
		where = func(name string) string { return name }
	}
	site := `@import "./main.css";` + "\n" + string(opts.ExtraCSS)
	res := api.Build(api.BuildOptions{
		EntryPointsAdvanced: []api.EntryPoint{
			{InputPath: "assets/js/main.js", OutputPath: "main"},
			{InputPath: "assets/js/theme-init.js", OutputPath: "theme-init"},
			{InputPath: siteCSS, OutputPath: "site"},
		},
		Bundle:            true,
		Write:             false,
		Outdir:            outDir,
		AbsWorkingDir:     "/",
		EntryNames:        "assets/[name]-[hash]",
		AssetNames:        "assets/[name]-[hash]",
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Sourcemap:         api.SourceMapLinked,
		Target:            api.ES2020,
		Format:            api.FormatIIFE,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsNone,
		Plugins: []api.Plugin{{
			Name: "scalebook-theme",
			Setup: func(b api.PluginBuild) {
				b.OnResolve(api.OnResolveOptions{Filter: `.*`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
					p := a.Path
					switch {
					case a.Kind == api.ResolveEntryPoint:
					case strings.Contains(p, ":") || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "#"):
						// A URL (https:, data:) or a root path: the browser's.
						return api.OnResolveResult{Path: p, External: true}, nil
					default:
						// Every other import is relative to its importer
						// ("./util.js", and CSS's bare "base.css").
						p = path.Join(path.Dir(a.Importer), p)
					}
					return api.OnResolveResult{Path: p, Namespace: ns}, nil
				})
				b.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: ns}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
					if a.Path == siteCSS {
						return api.OnLoadResult{Contents: &site, Loader: api.LoaderCSS}, nil
					}
					data, err := fs.ReadFile(opts.Theme, a.Path)
					if err != nil {
						return api.OnLoadResult{}, err
					}
					text := string(data)
					return api.OnLoadResult{Contents: &text, Loader: loader(a.Path)}, nil
				})
			},
		}},
	})
	for _, m := range res.Errors {
		file, line, col := "", 0, 0
		if m.Location != nil {
			file, line, col = where(strings.TrimPrefix(m.Location.File, ns+":")), m.Location.Line, m.Location.Column+1
		}
		diags.Addf(file, line, col, m.Text)
	}
	b := &Bundle{Files: map[string][]byte{}, Paths: map[string]string{}}
	for _, f := range res.OutputFiles {
		rel := strings.TrimPrefix(strings.TrimPrefix(f.Path, outDir), "/")
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

// loader picks how esbuild reads a theme file: scripts and stylesheets are
// bundled, images and fonts referenced from CSS are copied with a hash.
func loader(name string) api.Loader {
	switch path.Ext(name) {
	case ".js", ".mjs":
		return api.LoaderJS
	case ".css":
		return api.LoaderCSS
	case ".json":
		return api.LoaderJSON
	}
	return api.LoaderFile
}

// Exists reports whether the theme has bundled sources, so a broken theme
// gives one clear error instead of esbuild's three.
func Exists(theme fs.FS) bool {
	_, err := fs.Stat(theme, "assets/js/main.js")
	return err == nil
}
