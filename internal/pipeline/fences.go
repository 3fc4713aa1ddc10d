package pipeline

import (
	"github.com/yuin/goldmark"

	"github.com/scalebook/scalebook/calc"
	"github.com/scalebook/scalebook/internal/calcblock"
	"github.com/scalebook/scalebook/internal/diagram"
	"github.com/scalebook/scalebook/internal/highlight"
	"github.com/scalebook/scalebook/internal/markdown"
)

// newMarkdown builds the site's Markdown renderer with its fence handlers,
// each given what it needs (the cache, options) here, never looked up
// later. A fence whose language has no handler is highlighted as code.
func newMarkdown(b *Builder) *markdown.Renderer {
	calc := calcblock.New(lender{b})
	return markdown.New(markdown.Options{
		Highlighter: highlight.New(b.cache),
		Fences: map[string]markdown.FenceHandler{
			// ```d2: diagrams as inline SVG; the theme's CSS bundle
			// must include diagram.CSS.
			"d2": diagram.New(diagram.Options{Cache: b.cache}),
		},
		PageFences: map[string]markdown.PageFenceHandler{
			// ```calc: a page's calculators, with the inline figures
			// that quote them.
			calcblock.Lang: calc,
		},
		// The inline figure syntax, {{sheet.cell}}.
		Extensions: []goldmark.Extender{calc},
	})
}

// lender gives the calculator extension the current build's shared sheets
// (shareSheets), which change from build to build while the extension,
// like the renderer, lives as long as the Builder.
type lender struct{ b *Builder }

func (l lender) Source(page, id, src string) string { return l.b.sheets.Source(page, id, src) }

func (l lender) Lent(id, cell string) *calc.Result { return l.b.sheets.Lent(id, cell) }

func (l lender) Words() string { return l.b.sheets.Words() }
