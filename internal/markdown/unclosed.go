package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A fence that is never closed runs to the end of its container, which
// CommonMark allows and authors never mean: the rest of the page silently
// becomes code, or (for a calculator) a flood of errors about prose read
// as formulas. The check runs before any fence is rendered, reports the
// block once at its opening line, and drops it.
const unclosedPriority = 50

type unclosedFences struct{}

func (unclosedFences) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(unclosedFences{}, unclosedPriority)))
}

func (unclosedFences) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	d := DocOf(pc)
	if d == nil {
		return
	}
	src := reader.Source()
	var bad []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		fc, ok := n.(*ast.FencedCodeBlock)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if open, ok := unclosed(fc, src); ok {
			fence := string(fenceRun(src, open))
			lang := ""
			if fc.Info != nil {
				lang, _, _ = ParseInfo(string(fc.Info.Segment.Value(src)))
			}
			rest := "code"
			if lang == "calc" {
				rest = "part of the calculator"
			}
			d.Errorf(open, "this "+fence+lang+" fence is never closed, so everything after it would be read as "+rest+
				"; add a line "+fence+" where the block ends")
			bad = append(bad, n)
		}
		return ast.WalkSkipChildren, nil
	})
	for _, n := range bad {
		n.Parent().RemoveChild(n.Parent(), n)
	}
}

// unclosed reports whether a fenced block lacks its closing fence, and the
// offset of its opening fence.
func unclosed(fc *ast.FencedCodeBlock, src []byte) (open int, ok bool) {
	lines := fc.Lines()
	switch {
	case fc.Info != nil:
		open = lineStart(src, fc.Info.Segment.Start)
	case lines.Len() > 0:
		open = lineStart(src, max(lines.At(0).Start-1, 0))
	default:
		return 0, false // "```" alone with nothing after: nothing to lose
	}
	open = skipMarkers(src, open)
	run := fenceRun(src, open)
	if len(run) < 3 {
		return 0, false
	}
	// The line after the last line of code (or after the opening line)
	// must close the block.
	end := bytes.IndexByte(src[open:], '\n')
	if end < 0 {
		return open, true
	}
	next := open + end + 1
	if lines.Len() > 0 {
		next = lines.At(lines.Len() - 1).Stop
	}
	if next >= len(src) {
		return open, true
	}
	close := fenceRun(src, skipMarkers(src, lineStart(src, next)))
	return open, !(len(close) >= len(run) && close[0] == run[0])
}

// lineStart is the offset of the start of the line holding offset.
func lineStart(src []byte, offset int) int { return bytes.LastIndexByte(src[:offset], '\n') + 1 }

// skipMarkers skips the indentation and blockquote markers that start a
// line inside containers.
func skipMarkers(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '>') {
		i++
	}
	return i
}

// fenceRun is the run of backticks or tildes at offset i.
func fenceRun(src []byte, i int) []byte {
	if i >= len(src) || (src[i] != '`' && src[i] != '~') {
		return nil
	}
	j := i
	for j < len(src) && src[j] == src[i] {
		j++
	}
	return src[i:j]
}
