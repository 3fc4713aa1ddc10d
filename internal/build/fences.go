package build

import "github.com/scalebook/scalebook/internal/markdown"

// fences returns the renderers for fenced blocks by language. Each is built
// here with what it needs (cache folder, options), never looked up later.
func (b *Builder) fences() map[string]markdown.FenceHandler {
	return map[string]markdown.FenceHandler{}
}
