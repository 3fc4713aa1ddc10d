package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindAlert is the node kind of a GitHub-style alert.
var KindAlert = ast.NewNodeKind("Alert")

// Alert is a callout written as a blockquote whose first line is [!NOTE],
// [!TIP], [!IMPORTANT], [!WARNING] or [!CAUTION], as GitHub renders them.
type Alert struct {
	ast.BaseBlock
	// Type is the lower-case kind: note, tip, important, warning, caution.
	AlertType string
}

// Kind implements ast.Node.
func (n *Alert) Kind() ast.NodeKind { return KindAlert }

// Dump implements ast.Node.
func (n *Alert) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Type": n.AlertType}, nil)
}

var alertTitles = map[string]string{
	"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution",
}

// Priorities: alerts are recognized after blockquotes are parsed and before
// anything that walks the tree for content (headings, links).
const (
	alertTransformerPriority = 100
	alertRendererPriority    = 500
)

type alertTransformer struct{}

func (alertTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var quotes []*ast.Blockquote
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if q, ok := n.(*ast.Blockquote); ok && entering {
			quotes = append(quotes, q)
		}
		return ast.WalkContinue, nil
	})
	for _, q := range quotes {
		para, ok := q.FirstChild().(*ast.Paragraph)
		if !ok || para.Lines().Len() == 0 {
			continue
		}
		first := para.Lines().At(0)
		line := bytes.TrimSpace(first.Value(src))
		if !bytes.HasPrefix(line, []byte("[!")) || !bytes.HasSuffix(line, []byte("]")) {
			continue
		}
		typ := strings.ToLower(string(line[2 : len(line)-1]))
		if alertTitles[typ] == "" {
			continue
		}
		alert := &Alert{AlertType: typ}
		// Drop the marker: the inline nodes that came from the first line.
		for c := para.FirstChild(); c != nil; {
			next := c.NextSibling()
			t, isText := c.(*ast.Text)
			if isText && t.Segment.Start >= first.Start && t.Segment.Stop <= first.Stop+1 {
				para.RemoveChild(para, c)
				if t.SoftLineBreak() || t.HardLineBreak() {
					break
				}
				c = next
				continue
			}
			if !isText {
				break
			}
			c = next
		}
		if para.ChildCount() == 0 {
			q.RemoveChild(q, para)
		}
		parent := q.Parent()
		parent.ReplaceChild(parent, q, alert)
		for c := q.FirstChild(); c != nil; {
			next := c.NextSibling()
			alert.AppendChild(alert, c)
			c = next
		}
	}
}

type alertRenderer struct{}

func (alertRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindAlert, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		a := n.(*Alert)
		if entering {
			w.WriteString(`<div class="alert alert-` + a.AlertType + `" role="note"><p class="alert-title">` + alertTitles[a.AlertType] + "</p>\n")
		} else {
			w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	})
}

type alerts struct{}

// Alerts is the goldmark extension for GitHub-style alerts.
var Alerts goldmark.Extender = alerts{}

func (alerts) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(alertTransformer{}, alertTransformerPriority)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(alertRenderer{}, alertRendererPriority)))
}
