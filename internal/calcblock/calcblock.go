// Package calcblock is the goldmark extension for live calculators: fenced
// ```calc blocks become calculators and {{…}} inline figures quote their
// cells in the prose.
//
// Everything is evaluated at build time with package calc, so a page reads
// correctly and completely without JavaScript; the same sheet text is put in
// the page for the WebAssembly build of calc to re-evaluate when a reader
// changes an input.
//
// Inline syntax (chosen because "{{" has no meaning in CommonMark and can be
// written literally as "\{{"):
//
//	{{sheet.cell}}           a cell's value; {{cell}} when one sheet has it
//	{{input sheet.cell}}     an adjustable input for an input cell
//	{{sheet: expr}}          an expression in the scope of a sheet (live)
//	{{= expr}}               a constant expression (knowing the site's nouns
//	                         and units), or one in the scope of the page's
//	                         only sheet
//
// Expressions become hidden cells appended to their sheet, so the browser
// recomputes them like any other cell.
package calcblock

import (
	"bytes"
	"errors"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/scalebook/scalebook/calc"
	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/markdown"
	"github.com/scalebook/scalebook/internal/suggest"
)

// Lang is the fence language of a calculator.
const Lang = "calc"

// Priorities: the inline parser runs before links and emphasis so that
// "{{" is claimed first. The calculators themselves are rendered by the
// page's one fence dispatch (markdown.PageFenceHandler).
const (
	figureParserPriority   = 90
	figureRendererPriority = 100
)

// KindFigure is the node kind of an inline figure.
var KindFigure = ast.NewNodeKind("CalcFigure")

// Figure is an inline {{…}} reference, resolved to HTML by the transformer.
type Figure struct {
	ast.BaseInline
	// Raw is the text between the braces; Offset its position in the source.
	Raw    string
	Offset int
	// HTML is what the figure renders as, once resolved.
	HTML []byte

	state *figState
}

// Kind implements ast.Node.
func (n *Figure) Kind() ast.NodeKind { return KindFigure }

// Dump implements ast.Node.
func (n *Figure) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Raw": n.Raw}, nil)
}

type figureParser struct{}

func (figureParser) Trigger() []byte { return []byte{'{'} }

func (figureParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !bytes.HasPrefix(line, []byte("{{")) {
		return nil
	}
	end := bytes.Index(line[2:], []byte("}}"))
	if end < 0 {
		return nil
	}
	raw := string(line[2 : 2+end])
	// Other tools use double braces too ({{#include file.md}} in mdBook,
	// {{ title }} in Handlebars and Jinja): only our forms are figures,
	// and never inside raw HTML <code> or <pre>.
	if !figureForm.MatchString(raw) || insideRawCode(parent, block.Source()) {
		return nil
	}
	block.Advance(2 + end + 2)
	return &Figure{Raw: raw, Offset: seg.Start}
}

// figureForm matches the text between the braces of the figure forms:
// "= expr", "input sheet.cell", "sheet: expr" and "sheet.cell" or "cell".
var figureForm = regexp.MustCompile(`^\s*(?:=|input\s+[A-Za-z_][\w-]*(?:\.[A-Za-z_]\w*)?\s*$|[A-Za-z_][\w-]*\s*:|[A-Za-z_][\w-]*(?:\.[A-Za-z_]\w*)?\s*$)`)

// insideRawCode reports whether the inline content parsed so far in parent
// has opened a raw HTML <code>, <pre>, <kbd>, <samp> or <var> that it has not
// closed: text there is code, whatever braces it holds.
func insideRawCode(parent ast.Node, src []byte) bool {
	depth := 0
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		r, ok := c.(*ast.RawHTML)
		if !ok || r.Segments.Len() == 0 {
			continue
		}
		first := r.Segments.At(0)
		tag := bytes.ToLower(first.Value(src))
		for _, name := range []string{"code", "pre", "kbd", "samp", "var"} {
			switch {
			case bytes.HasPrefix(tag, []byte("<"+name)) && len(tag) > len(name)+1 && !isNameByte(tag[len(name)+1]):
				depth++
			case bytes.HasPrefix(tag, []byte("</"+name)):
				depth--
			}
		}
	}
	return depth > 0
}

func isNameByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' }

// Extension is the calculator extension: a goldmark extender for the
// inline figures, and the handler of ```calc fences, which renders a page's
// calculators and resolves its figures together. Build it with New.
type Extension struct {
	lender Lender
	memo   memo
}

// Lender gives a page what other sheets lend it: the site builder, which
// sees every page, resolves "twitter.read_qps" in one sheet against the
// twitter sheet of another page before pages are rendered.
type Lender interface {
	// Source returns the text the engine reads for sheet id on page (the
	// page's path in the content folder), given its text src as written:
	// with inputs that borrow their default ("dau = twitter.dau") written
	// as literals, and the figures its formulas borrow appended as hidden
	// formulas. Lines keep their numbers.
	Source(page, id, src string) string
	// Lent returns the result of cell in the sheet id that is on no page
	// but its own, for a figure the prose quotes ({{prices.s3}}), or nil.
	Lent(id, cell string) *calc.Result
	// Words returns the lines every sheet of the site gets before its own
	// (its "nouns:" line and "unit" lines), or "": a constant expression
	// outside any sheet ({{= 3 racks}}) is read with them.
	Words() string
}

// New returns the extension. The engine is linked in, and the WebAssembly
// build is the site builder's business; lender, which may be nil, gives
// the sheets of other pages.
func New(lender Lender) *Extension { return &Extension{lender: lender} }

var _ markdown.PageFenceHandler = (*Extension)(nil)

// Extend implements goldmark.Extender: the inline figure syntax.
func (e *Extension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(figureParser{}, figureParserPriority)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(figureRenderer{}, figureRendererPriority)))
}

type figureRenderer struct{}

func (figureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindFigure, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.Write(n.(*Figure).HTML)
		}
		return ast.WalkContinue, nil
	})
}

// sheetBlock is one calculator of the page while it is being resolved.
type sheetBlock struct {
	id    string
	src   string // as written
	line  int    // line of Doc.Source where the sheet starts
	sheet *calc.Sheet
	// extra are hidden cells for inline expressions, appended to src.
	extra     []extraCell
	final     *calc.Sheet
	finalSrc  string
	results   *calc.Results
	failed    bool
	hasInline bool
}

type extraCell struct {
	name   string
	expr   string
	fig    *Figure
	offset int
}

// RenderFences implements markdown.PageFenceHandler: it parses the page's
// sheets, resolves every inline figure against them (expressions become
// hidden cells of their sheet), evaluates the sheets, and returns each
// calculator's HTML; the figures get theirs in place.
func (e *Extension) RenderFences(d *markdown.Doc, fences []*markdown.Fence) [][]byte {
	var blocks []*sheetBlock
	for i, f := range fences {
		blocks = append(blocks, e.readBlock(d, f, i))
	}
	var figs []*Figure
	ast.Walk(d.Root(), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if f, ok := n.(*Figure); ok && entering {
			figs = append(figs, f)
		}
		return ast.WalkContinue, nil
	})
	out := make([][]byte, len(blocks))
	if len(blocks) == 0 && len(figs) == 0 {
		return out
	}
	byID := map[string]*sheetBlock{}
	for _, b := range blocks {
		if prev := byID[b.id]; prev != nil {
			d.ErrorAt(b.line-1, 1, "a calculator with id "+strconv.Quote(b.id)+" is already on this page; give this one another id=")
			b.failed = true
			continue
		}
		byID[b.id] = b
		if b.failed {
			continue
		}
		sheet, err := e.memo.parse(b.src)
		if err != nil {
			reportSheetErrors(d, b, err)
			b.failed = true
			continue
		}
		for _, w := range sheet.Warnings {
			d.Diags.Add(diag.Diagnostic{File: d.File, Line: b.line + w.Line - 1 + d.Line - 1, Col: b.byteCol(w.Line, w.Col), Msg: w.Msg, Warning: true})
		}
		b.sheet = sheet
	}

	// Resolve figures: references point at cells; expressions become cells.
	for i, f := range figs {
		e.resolveFigure(d, f, i, blocks, byID)
	}

	for _, b := range blocks {
		if b.failed {
			continue
		}
		b.finalSrc = b.src
		b.final = b.sheet
		if len(b.extra) > 0 {
			// The expressions are parsed alone and compiled with the
			// sheet; the browser gets the sheet's text with them added.
			var sb strings.Builder
			for _, x := range b.extra {
				sb.WriteString(x.name + " := " + x.expr + " hidden\n")
			}
			final, err := e.memo.extend(b.src, sb.String(), func() (*calc.Sheet, error) {
				final, err := b.sheet.Extend(sb.String())
				if err != nil {
					// The same lines without their "hidden" option, for
					// the messages: "1 +" would otherwise want a value
					// before "hidden", a word the author never wrote.
					if _, plain := b.sheet.Extend(strings.ReplaceAll(sb.String(), " hidden\n", "\n")); plain != nil {
						err = plain
					}
				}
				return final, err
			})
			if err != nil {
				reportSheetErrors(d, b, err)
				b.failed = true
				continue
			}
			b.final = final
			b.finalSrc = strings.TrimRight(b.src, "\n") + "\n" + sb.String()
		}
		b.results = e.memo.eval(b.finalSrc, b.final)
		for i, r := range b.results.Cells {
			if r.Err != nil {
				reportCellError(d, b, b.final.Cells[i], r.Err)
				b.failed = true
			}
		}
		for _, err := range b.results.Errors {
			if e, ok := err.(*calc.Error); ok && e.Line == 0 {
				d.ErrorAt(b.line, 1, e.Msg)
				b.failed = true
			}
		}
	}
	d.HasCalc = d.HasCalc || len(blocks) > 0
	for i, b := range blocks {
		if !b.failed {
			out[i] = e.memo.render(b)
		}
	}
	for _, f := range figs {
		fillFigure(f)
	}
	return out
}

// readBlock takes a calc fence's id and text.
func (e *Extension) readBlock(d *markdown.Doc, f *markdown.Fence, index int) *sheetBlock {
	b := &sheetBlock{id: f.Attrs["id"], src: string(f.Code), line: f.InfoLine + 1}
	if b.id == "" {
		b.id = "calc" + strconv.Itoa(index+1)
	}
	if e.lender != nil {
		b.src = e.lender.Source(d.Name, b.id, b.src)
	}
	if f.Attrs["id"] != "" && !validID(b.id) {
		d.ErrorAt(f.InfoLine, 1, "calculator id "+strconv.Quote(b.id)+" must be a letter followed by letters, digits, - or _")
		b.failed = true
	}
	return b
}

func validID(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '_'):
		default:
			return false
		}
	}
	return s != ""
}

func lineOf(src []byte, off int) (int, int) {
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(src[:off], '\n')
	return line, col
}

func reportSheetErrors(d *markdown.Doc, b *sheetBlock, err error) {
	list, ok := err.(calc.ErrorList)
	if !ok {
		d.ErrorAt(b.line, 1, err.Error())
		return
	}
	srcLines := strings.Count(strings.TrimRight(b.src, "\n"), "\n") + 1
	for _, e := range list {
		if e.Line > srcLines {
			// A line added for an inline expression: report it there.
			if x := b.extraAt(e.Line - srcLines - 1); x != nil {
				line, col := lineOf(d.Source, x.offset)
				d.SuggestAt(line, col, "in {{"+x.fig.Raw+"}}: "+e.Msg, e.Suggestion)
				continue
			}
		}
		d.SuggestAt(b.line+e.Line-1, b.byteCol(e.Line, e.Col), e.Msg, e.Suggestion)
	}
}

// byteCol turns calc's rune column on a line of the block into the byte
// column diagnostics count.
func (b *sheetBlock) byteCol(line, col int) int {
	text := b.src
	for ; line > 1; line-- {
		_, text, _ = strings.Cut(text, "\n")
	}
	text, _, _ = strings.Cut(text, "\n")
	return diag.ByteCol(text, max(col, 1))
}

func (b *sheetBlock) extraAt(i int) *extraCell {
	if i >= 0 && i < len(b.extra) {
		return &b.extra[i]
	}
	return nil
}

func reportCellError(d *markdown.Doc, b *sheetBlock, c *calc.Cell, err error) {
	msg, suggestion := calcMessage(err)
	for _, x := range b.extra {
		if x.name == c.Name {
			line, col := lineOf(d.Source, x.offset)
			d.SuggestAt(line, col, "in {{"+x.fig.Raw+"}}: "+msg, suggestion)
			return
		}
	}
	d.SuggestAt(b.line+c.Line-1, b.byteCol(c.Line, c.Col), c.Name+": "+msg, suggestion)
}

// figure kinds after resolution
const (
	figValue = iota
	figInput
	figConst
)

// figState is stored in the Figure's HTML once values are known.
type figState struct {
	kind  int
	block *sheetBlock
	cell  string
	text  string // figConst: the formatted constant
}

func (e *Extension) resolveFigure(d *markdown.Doc, f *Figure, index int, blocks []*sheetBlock, byID map[string]*sheetBlock) {
	raw := strings.TrimSpace(f.Raw)
	failSuggest := func(msg, suggestion string) {
		line, col := lineOf(d.Source, f.Offset)
		d.SuggestAt(line, col, msg, suggestion)
		f.HTML = []byte(html.EscapeString("{{" + f.Raw + "}}"))
	}
	fail := func(msg string) { failSuggest(msg, "") }
	setState := func(s *figState) { f.state = s }
	switch {
	case strings.HasPrefix(raw, "="):
		expr := strings.TrimSpace(raw[1:])
		var live []*sheetBlock
		for _, b := range blocks {
			if !b.failed {
				live = append(live, b)
			}
		}
		if len(blocks) == 1 && len(live) == 1 {
			addExtra(live[0], f, expr, index)
			setState(&figState{kind: figValue, block: live[0], cell: live[0].extra[len(live[0].extra)-1].name})
			return
		}
		q, err := e.constant(expr)
		if err != nil {
			msg, suggestion := calcMessage(err)
			hint := ""
			if len(blocks) > 1 {
				hint = " (this page has several calculators: write {{sheet: expression}} to use one's cells)"
			}
			failSuggest("in {{"+f.Raw+"}}: "+msg+hint, suggestion)
			return
		}
		setState(&figState{kind: figConst, text: q.String()})
	case strings.HasPrefix(raw, "input "):
		ref := strings.TrimSpace(strings.TrimPrefix(raw, "input "))
		b, cell, msg, suggestion := lookup(ref, blocks, byID)
		if msg != "" {
			failSuggest(msg, suggestion)
			return
		}
		if b == nil {
			return
		}
		if c := b.sheet.Cell(cell); !c.Input {
			fail("{{input " + ref + "}}: " + cell + " is a formula; only inputs can be adjusted (use {{" + ref + "}} to show it)")
			return
		}
		b.hasInline = true
		setState(&figState{kind: figInput, block: b, cell: cell})
	default:
		if id, expr, ok := strings.Cut(raw, ":"); ok && validID(strings.TrimSpace(id)) {
			b := byID[strings.TrimSpace(id)]
			if b == nil {
				fail("no calculator with id " + strconv.Quote(strings.TrimSpace(id)) + " on this page" + knownIDs(blocks))
				return
			}
			if b.failed {
				f.HTML = []byte{}
				return
			}
			addExtra(b, f, strings.TrimSpace(expr), index)
			setState(&figState{kind: figValue, block: b, cell: b.extra[len(b.extra)-1].name})
			return
		}
		if id, cell, ok := strings.Cut(raw, "."); ok && byID[id] == nil && e.lender != nil {
			// A figure of a sheet on another page: its value as that
			// page shows it by default.
			if r := e.lender.Lent(id, cell); r != nil && r.Err == nil {
				setState(&figState{kind: figConst, text: figureText(r)})
				return
			}
		}
		b, cell, msg, suggestion := lookup(raw, blocks, byID)
		if msg != "" {
			failSuggest(msg, suggestion)
			return
		}
		if b == nil {
			return // its calculator failed, which is reported already
		}
		setState(&figState{kind: figValue, block: b, cell: cell})
	}
}

// constant evaluates an expression outside any sheet's scope, knowing
// the site's nouns and units.
func (e *Extension) constant(expr string) (calc.Quantity, error) {
	if e.lender != nil {
		if words := e.lender.Words(); words != "" {
			sheet, err := e.memo.parse(words)
			if err != nil {
				// Reported where the words are defined.
				return calc.EvalExpr(expr)
			}
			return calc.EvalExprIn(sheet, expr)
		}
	}
	return calc.EvalExpr(expr)
}

func addExtra(b *sheetBlock, f *Figure, expr string, index int) {
	name := "inline_" + strconv.Itoa(index+1)
	b.extra = append(b.extra, extraCell{name: name, expr: expr, fig: f, offset: f.Offset})
}

// lookup finds "sheet.cell" or a bare "cell" that exactly one sheet has.
// When it cannot, it says why and, for a misspelt cell, which reference
// was probably meant.
func lookup(ref string, blocks []*sheetBlock, byID map[string]*sheetBlock) (b *sheetBlock, cell, msg, suggestion string) {
	if id, cell, ok := strings.Cut(ref, "."); ok {
		b := byID[id]
		if b == nil {
			return nil, "", "{{" + ref + "}}: no calculator with id " + strconv.Quote(id) + " on this page" + knownIDs(blocks), ""
		}
		if b.failed || b.sheet == nil {
			return nil, "", "", ""
		}
		if b.sheet.Cell(cell) == nil {
			if best := closestCell(cell, b); best != "" {
				suggestion = id + "." + best
			}
			return nil, "", "{{" + ref + "}}: calculator " + id + " has no cell " + strconv.Quote(cell), suggestion
		}
		return b, cell, "", ""
	}
	var found *sheetBlock
	for _, b := range blocks {
		if b.sheet != nil && b.sheet.Cell(ref) != nil {
			if found != nil {
				return nil, "", "{{" + ref + "}}: calculators " + found.id + " and " + b.id + " both have a cell " + ref + "; write {{" + found.id + "." + ref + "}}", ""
			}
			found = b
		}
	}
	if found == nil {
		if len(blocks) == 0 {
			return nil, "", "{{" + ref + "}}: this page has no calculator; add a ```calc block, write {{= expression}} for a constant, or \\{{ to show the braces as they are", ""
		}
		if best := closestCell(ref, blocks...); best != "" {
			// Bare when one calculator has it, as the author wrote it.
			var has []string
			for _, b := range blocks {
				if b.sheet != nil && b.sheet.Cell(best) != nil {
					has = append(has, b.id)
				}
			}
			suggestion = best
			if len(has) > 1 {
				suggestion = has[0] + "." + best
			}
		}
		return nil, "", "{{" + ref + "}}: no calculator on this page has a cell " + strconv.Quote(ref), suggestion
	}
	return found, ref, "", ""
}

func knownIDs(blocks []*sheetBlock) string {
	if len(blocks) == 0 {
		return ""
	}
	ids := make([]string, len(blocks))
	for i, b := range blocks {
		ids[i] = b.id
	}
	return " (calculators here: " + strings.Join(ids, ", ") + ")"
}

// closestCell names the cell of blocks closest to a misspelt name, or "".
func closestCell(name string, blocks ...*sheetBlock) string {
	f := suggest.For(name)
	for _, b := range blocks {
		if b.sheet == nil {
			continue
		}
		for _, c := range b.sheet.Cells {
			f.Add(c.Name)
		}
	}
	return f.Best()
}

// calcMessage splits a calc error into its message and suggestion, without
// the line:col that calc counts from the start of its own text.
func calcMessage(err error) (msg, suggestion string) {
	var e *calc.Error
	if l, ok := err.(calc.ErrorList); ok && len(l) > 0 {
		e = l[0]
	} else if !errors.As(err, &e) {
		return err.Error(), ""
	}
	return e.Msg, e.Suggestion
}
