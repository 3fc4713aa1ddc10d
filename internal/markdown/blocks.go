package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// a11y adjusts GFM output for the site's accessibility rules: wide tables
// scroll inside a focusable wrapper (so keyboard users can scroll them), and
// task-list checkboxes say what they mean.
type a11y struct{}

// KindTableWrap is the node kind of the scrolling wrapper around a table.
var KindTableWrap = ast.NewNodeKind("TableWrap")

// TableWrap holds one table.
type TableWrap struct{ ast.BaseBlock }

// Kind implements ast.Node.
func (n *TableWrap) Kind() ast.NodeKind { return KindTableWrap }

// Dump implements ast.Node.
func (n *TableWrap) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// The wrapper is added after tables exist and before anything walks blocks.
const (
	tableWrapPriority    = 300
	a11yRendererPriority = 100
)

func (a11y) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(a11y{}, tableWrapPriority)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(a11y{}, a11yRendererPriority)))
}

func (a11y) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var tables []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == east.KindTable {
			tables = append(tables, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, t := range tables {
		w := &TableWrap{}
		p := t.Parent()
		p.ReplaceChild(p, t, w)
		w.AppendChild(w, t)
	}
}

func (a11y) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindTableWrap, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString(`<div class="table-wrap" tabindex="0">` + "\n")
		} else {
			w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(east.KindTaskCheckBox, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.(*east.TaskCheckBox).IsChecked {
			w.WriteString(`<input type="checkbox" checked disabled aria-label="done"> `)
		} else {
			w.WriteString(`<input type="checkbox" disabled aria-label="not done"> `)
		}
		return ast.WalkContinue, nil
	})
}
