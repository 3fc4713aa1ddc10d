package pipeline

import (
	"github.com/scalebook/scalebook/internal/diagram"
	"github.com/scalebook/scalebook/internal/markdown"
)

// fences returns the renderers for fenced blocks by language. Each is built
// here with what it needs (cache folder, options), never looked up later.
func (b *Builder) fences() map[string]markdown.FenceHandler {
	return map[string]markdown.FenceHandler{
		// ```d2: diagrams as inline SVG; the theme's CSS bundle must
		// include diagram.CSS.
		"d2": diagram.New(diagram.Options{Cache: b.cache}),
	}
}
