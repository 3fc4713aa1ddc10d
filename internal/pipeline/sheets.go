package pipeline

import (
	"bytes"
	"crypto/sha256"
	"hash"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/scalebook/scalebook/calc"
	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/markdown"
	"github.com/scalebook/scalebook/internal/suggest"
)

// Sheets that share. A formula may use another sheet's cell by its sheet's
// id, "twitter.read_qps", whether that sheet is on another page or in the
// content folder's _sheets/ (site-wide sheets such as prices.calc, whose
// id is the file's name). Before any page is rendered, this stage finds
// every calculator, works out which sheets lend to which, evaluates the
// lenders first, and gives each borrower the lent figures as hidden lines
// appended to its text: "twitter.read_qps := 17361.1 /s as req/s hidden".
// The engine sees an ordinary sheet, in the build and in the browser; a
// lent figure is the lender's default, so a reader changing an input on one
// page does not reach into another. "nouns:" and "unit" lines of _sheets/
// files apply to every sheet: they are appended to each sheet's text too,
// so the browser's engine reads them as the build's does.

// SheetsDir is the content folder's folder of site-wide sheets.
const SheetsDir = "_sheets"

// sheetDef is one sheet: a calc fence of a page, or a _sheets/ file.
type sheetDef struct {
	id   string
	file string // as the author sees it, for diagnostics
	page string // the page's content path; "" for a _sheets/ file
	line int    // the line of file where the sheet's text starts
	text string
	refs []sheetRef

	state   int // 0 unvisited, 1 visiting, 2 done
	lines   string
	sheet   *calc.Sheet
	results *calc.Results
}

// sheetRef is a use of another sheet's cell.
type sheetRef struct {
	id, cell  string
	line, col int // in the file
	// input names the input whose default the reference is ("dau =
	// twitter.dau"): the figure is written there as a literal, so the
	// reader can still change it on the borrowing page.
	input string
}

// loan is an input's default taken from another sheet, written into the
// borrower's text in place of the reference.
type loan struct {
	input, ref, literal string
}

// sheets is what the stage hands the calculator extension: the lines each
// borrowing sheet gets, and the lenders by id for figures in the prose.
type sheets struct {
	imports map[string]string // page + "\x00" + sheet id → lines to append
	loans   map[string][]loan // page + "\x00" + sheet id → inputs' defaults
	byID    map[string][]*sheetDef
	nouns   string            // a "nouns:" line for every sheet, or ""
	units   []unitLine        // the "unit" lines of _sheets/ files, once per name
	digests map[string]string // page → what its rendering borrows (digest)
}

// Source returns the text the engine reads for the sheet id of page:
// src with the inputs that borrow their default written as literals, then
// the figures its formulas borrow as hidden lines. Lines keep their
// numbers, so errors do too.
func (s *sheets) Source(page, id, src string) string {
	if s == nil {
		return src
	}
	k := page + "\x00" + id
	for _, l := range s.loans[k] {
		src = substituteLoan(src, l)
	}
	return withLines(src, s.imports[k])
}

// substituteLoan writes l's literal where its input's line names the
// lender's cell: "dau = twitter.dau" becomes "dau = 300000000 users".
func substituteLoan(src string, l loan) string {
	lines := strings.Split(src, "\n")
	for i, line := range lines {
		rest := strings.TrimLeft(line, " \t")
		name, after, ok := strings.Cut(rest, "=")
		if !ok || strings.TrimSpace(name) != l.input || strings.HasPrefix(after, "=") {
			continue
		}
		value := strings.TrimLeft(after, " \t")
		if !strings.HasPrefix(value, l.ref) {
			continue
		}
		tail := value[len(l.ref):]
		if tail != "" && isNameChar(tail[0]) {
			continue
		}
		lines[i] = line[:len(line)-len(value)] + l.literal + tail
	}
	return strings.Join(lines, "\n")
}

// Lent returns the figure a page quotes from a sheet that is not on it
// ({{prices.s3}} on a page without a prices sheet): the lender's result
// for cell, or nil.
func (s *sheets) Lent(id, cell string) *calc.Result {
	if s == nil || len(s.byID[id]) != 1 {
		return nil
	}
	d := s.byID[id][0]
	if d.results == nil {
		return nil
	}
	return d.results.Get(cell)
}

// hasConstants reports whether body may have a {{= …}} figure (spaces may
// come before the "=").
func hasConstants(body []byte) bool {
	for i := bytes.Index(body, []byte("{{")); i >= 0; {
		rest := bytes.TrimLeft(body[i+2:], " \t")
		if len(rest) > 0 && rest[0] == '=' {
			return true
		}
		j := bytes.Index(body[i+2:], []byte("{{"))
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return false
}

// Words returns the lines every sheet gets before its own: the site's
// nouns and units, for constant expressions in the prose.
func (s *sheets) Words() string {
	if s == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(s.nouns)
	for _, u := range s.units {
		b.WriteString(u.text + "\n")
	}
	return b.String()
}

// digest is what a page's rendering depends on beyond its own text: the
// lines its sheets borrow and the lenders its prose quotes. It goes into
// the page's cache key, so a change to a lender re-renders its borrowers.
func (s *sheets) digest(p *content.Page) string {
	if s == nil {
		return ""
	}
	return s.digests[p.File]
}

// computeDigests fills digests for every page, once a build. A digest is
// a hash: it only goes into cache keys.
func (s *sheets) computeDigests(pages []*content.Page, memo map[string]pageSheets) {
	hs := map[string]hash.Hash{}
	h := func(page string) hash.Hash {
		if hs[page] == nil {
			hs[page] = sha256.New()
		}
		return hs[page]
	}
	for _, k := range sortedKeys(s.imports) {
		page, _, _ := strings.Cut(k, "\x00")
		io.WriteString(h(page), k+"\x00"+s.imports[k]+"\x00")
	}
	for _, k := range sortedKeys(s.loans) {
		page, _, _ := strings.Cut(k, "\x00")
		for _, l := range s.loans[k] {
			io.WriteString(h(page), k+"\x00"+l.input+"="+l.literal+"\n")
		}
	}
	words := s.Words()
	for _, p := range pages {
		if memo[p.File].constants {
			io.WriteString(h(p.File), "words\x00"+words+"\x00")
		}
		for _, id := range memo[p.File].quoted {
			for _, d := range s.byID[id] {
				io.WriteString(h(p.File), d.file+"\x00"+d.text+"\x00"+d.lines+"\x00")
			}
		}
	}
	s.digests = make(map[string]string, len(hs))
	for page, h := range hs {
		s.digests[page] = string(h.Sum(nil))
	}
}

// pageSheets is what shareSheets reads from a page's text, kept by the
// Builder so that pages that did not change are not read again.
type pageSheets struct {
	body   []byte
	fences []fenceText // calc fences
	quoted []string    // quotedSheets
	// constants: the prose has {{= …}} figures, which read the site's
	// nouns and units.
	constants bool
}

// quotedSheets lists, sorted and once each, the ids a page's figures name
// ("{{twitter.dau}}", "{{ prices.s3 }}"), in one pass over the page: a
// build checks every page against every sheet, so this must not be a
// search per sheet.
func quotedSheets(body []byte) []string {
	var ids []string
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte("{{"))
		if j < 0 {
			break
		}
		k := i + j + 2
		for k < len(body) && body[k] == ' ' {
			k++
		}
		start := k
		for k < len(body) && isNameChar(body[k]) {
			k++
		}
		if k > start && k < len(body) && body[k] == '.' {
			if id := string(body[start:k]); !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		i = k
	}
	slices.Sort(ids)
	return ids
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// shareSheets is the stage: it finds every sheet, resolves what each
// borrows, and reports references to missing sheets or cells, ambiguous
// ids and cycles at their file:line:col.
func (r *run) shareSheets() {
	var defs []*sheetDef
	byID := map[string][]*sheetDef{}
	nouns := []string{}
	var units []unitLine
	add := func(d *sheetDef) {
		defs = append(defs, d)
		byID[d.id] = append(byID[d.id], d)
	}
	// Site-wide sheets, by file name.
	if entries, err := fs.ReadDir(r.snap, SheetsDir); err == nil {
		for _, e := range entries {
			if e.IsDir() || path.Ext(e.Name()) != ".calc" {
				continue
			}
			name := path.Join(SheetsDir, e.Name())
			data, err := r.snap.ReadFile(name)
			if err != nil {
				r.diags.Addf(r.prefix(name), 0, 0, "cannot read: "+err.Error())
				continue
			}
			id := strings.TrimSuffix(e.Name(), ".calc")
			add(&sheetDef{id: id, file: r.prefix(name), line: 1, text: string(data)})
			for _, u := range unitLines(string(data)) {
				u.file = r.prefix(name)
				i := slices.IndexFunc(units, func(v unitLine) bool { return sameUnit(u, v) })
				switch {
				case i < 0:
					units = append(units, u)
				case units[i].expr != u.expr:
					r.diags.Addf(u.file, u.line, u.col, "unit "+strconv.Quote(u.name)+" is defined differently in "+
						units[i].file+":"+strconv.Itoa(units[i].line)+" ("+units[i].expr+") and here ("+u.expr+"); define it once for the site")
				}
			}
			for _, l := range strings.Split(string(data), "\n") {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "nouns:"); ok {
					for _, w := range strings.Split(rest, ",") {
						if w = strings.TrimSpace(w); w != "" && !slices.Contains(nouns, w) {
							nouns = append(nouns, w)
						}
					}
				}
			}
		}
	}
	pageMemo := make(map[string]pageSheets, len(r.site.Pages))
	defer func() { r.b.pageSheets = pageMemo }()
	for _, p := range r.site.Pages {
		ps, ok := r.b.pageSheets[p.File]
		if !ok || !bytes.Equal(ps.body, p.Body) {
			ps = pageSheets{body: p.Body, quoted: quotedSheets(p.Body), constants: hasConstants(p.Body)}
			if !p.Synthetic && bytes.Contains(p.Body, []byte("calc")) {
				ps.fences = calcFences(p.Body)
			}
		}
		pageMemo[p.File] = ps
		for _, f := range ps.fences {
			add(&sheetDef{id: f.id, file: r.prefix(p.File), page: p.File, line: p.BodyLine + f.line - 1, text: f.text})
		}
	}
	s := &sheets{imports: map[string]string{}, loans: map[string][]loan{}, byID: byID}
	if len(nouns) > 0 {
		s.nouns = "nouns: " + strings.Join(nouns, ", ") + "\n"
	}
	s.units = goodUnits(s.nouns, units)
	// An edit to a page's prose leaves every sheet as it was: reuse the
	// last build's lending and evaluation whole, and report its problems
	// again. Only the digests read page bodies (quoted figures).
	key := sheetsKey(s.nouns, defs)
	if last := r.b.shared; last != nil && last.key == key {
		for _, d := range last.diags {
			r.diags.Add(d)
		}
		s = &sheets{imports: last.s.imports, loans: last.s.loans, byID: last.s.byID, nouns: last.s.nouns, units: last.s.units}
		s.computeDigests(r.site.Pages, pageMemo)
		r.sheets = s
		return
	}
	dl := &diag.List{} // this stage's problems, kept for the next build
	for _, d := range defs {
		d.refs = sheetRefs(d, byID)
	}
	memo := map[string]parsedSheet{}
	var visit func(d *sheetDef, chain []*sheetDef)
	visit = func(d *sheetDef, chain []*sheetDef) {
		d.state = 1
		var lines strings.Builder
		lines.WriteString(s.nouns)
		s.writeUnits(&lines, d, dl)
		seen := map[string]bool{}
		// A figure that cannot be lent is reported here, once, and stands
		// in as zero so the borrower's own check does not report it again.
		broken := func(key string) { lines.WriteString(key + " := 0 hidden\n") }
		for _, ref := range d.refs {
			key := ref.id + "." + ref.cell
			if seen[key+"\x00"+ref.input] {
				continue
			}
			seen[key+"\x00"+ref.input] = true
			lenders := byID[ref.id]
			if len(lenders) > 1 {
				var where []string
				for _, l := range lenders {
					where = append(where, l.file)
				}
				dl.Addf(d.file, ref.line, ref.col, "sheet id "+strconv.Quote(ref.id)+" is on more than one page ("+
					strings.Join(where, ", ")+"); give the one you mean a unique id=")
				broken(key)
				continue
			}
			l := lenders[0]
			switch l.state {
			case 1:
				names := []string{}
				for _, c := range append(chain, d) {
					names = append(names, c.id)
				}
				dl.Addf(d.file, ref.line, ref.col, "sheets lend to each other in a circle: "+strings.Join(append(names, l.id), " → ")+
					"; move the shared inputs to one sheet (or to "+SheetsDir+"/)")
				broken(key)
				continue
			case 0:
				visit(l, append(chain, d))
			}
			if l.sheet == nil {
				broken(key) // the lender's own errors are reported on its page
				continue
			}
			lit, ok := l.sheet.Literal(l.results, ref.cell)
			if c := l.sheet.Cell(ref.cell); ok && ref.input != "" && c != nil && c.Input {
				// An input lent as its own figure reads as the author wrote
				// it ("150 posts/day", not 6.25 an hour; a range as a
				// range), when that text is exact.
				if text, exact := inputText(l.results.Get(ref.cell)); exact {
					k := d.page + "\x00" + d.id
					s.loans[k] = append(s.loans[k], loan{input: ref.input, ref: key, literal: text})
					continue
				}
			}
			if ok && ref.input != "" {
				// An input's value takes no "as"; a percentage is written as one.
				if base, as, cut := strings.Cut(lit, " as "); cut {
					lit = base
					if as == "%" {
						lit = strconv.FormatFloat(l.results.Get(ref.cell).Value*100, 'g', -1, 64) + "%"
					}
				}
				k := d.page + "\x00" + d.id
				s.loans[k] = append(s.loans[k], loan{input: ref.input, ref: key, literal: lit})
				continue
			}
			if !ok {
				msg := "sheet " + ref.id + " (" + l.file + ") has no cell " + strconv.Quote(ref.cell)
				sg := suggestCellOf(l.sheet, ref.cell)
				if sg != "" {
					sg = ref.id + "." + sg
				}
				dl.Add(diag.Diagnostic{File: d.file, Line: ref.line, Col: ref.col, Msg: msg, Suggestion: sg})
				broken(key)
				continue
			}
			lines.WriteString(key + " := " + lit + " hidden\n")
		}
		d.lines = lines.String()
		if d.lines != "" && d.page != "" {
			s.imports[d.page+"\x00"+d.id] = d.lines
		}
		// Lenders are evaluated as their pages show them by default.
		text := d.text
		for _, l := range s.loans[d.page+"\x00"+d.id] {
			text = substituteLoan(text, l)
		}
		full := withLines(text, d.lines)
		ps, ok := r.b.sheetMemo[full]
		if !ok {
			ps.sheet, ps.err = calc.Parse(full)
			if ps.err == nil {
				ps.results = ps.sheet.Eval(nil)
			}
		}
		memo[full] = ps
		if ps.err == nil {
			d.sheet, d.results = ps.sheet, ps.results
		} else if d.page == "" {
			reportSheetFile(dl, d, ps.err)
		}
		d.state = 2
	}
	for _, d := range defs {
		if d.state == 0 {
			visit(d, nil)
		}
	}
	found := dl.Sorted()
	for _, d := range found {
		r.diags.Add(d)
	}
	r.b.shared = &sharedSheets{key: key, s: s, diags: found}
	r.b.sheetMemo = memo
	s.computeDigests(r.site.Pages, pageMemo)
	r.sheets = s
}

// sharedSheets is the last build's shareSheets: its result and problems
// by the key of everything that decided them (sheetsKey).
type sharedSheets struct {
	key   [32]byte
	s     *sheets
	diags []diag.Diagnostic
}

// sheetsKey identifies the sheets of a build: every sheet's text and where
// it is written (diagnostics carry the place), and the site-wide nouns.
func sheetsKey(nouns string, defs []*sheetDef) [32]byte {
	h := sha256.New()
	h.Write([]byte(nouns))
	for _, d := range defs {
		h.Write([]byte("\x00" + d.id + "\x00" + d.file + "\x00" + d.page + "\x00" + strconv.Itoa(d.line) + "\x00" + d.text))
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// parsedSheet is a sheet's text parsed and evaluated with its defaults, or
// the error parsing it gave. Neither is changed once made.
type parsedSheet struct {
	sheet   *calc.Sheet
	results *calc.Results
	err     error
}

// withLines appends lines to a sheet's text, on lines of their own.
func withLines(text, lines string) string {
	if lines == "" {
		return text
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return text + lines
}

// reportSheetFile reports the errors of a _sheets/ file, which no page
// renders.
func reportSheetFile(d *diag.List, def *sheetDef, err error) {
	list, ok := err.(calc.ErrorList)
	if !ok {
		d.Addf(def.file, 0, 0, err.Error())
		return
	}
	for _, e := range list {
		d.Add(diag.Diagnostic{File: def.file, Line: def.line + e.Line - 1, Col: e.Col, Msg: e.Msg, Suggestion: e.Suggestion})
	}
}

func suggestCellOf(s *calc.Sheet, name string) string {
	f := suggest.For(name)
	for _, c := range s.Cells {
		if !strings.Contains(c.Name, ".") {
			f.Add(c.Name)
		}
	}
	return f.Best()
}

// fenceText is one calc fence of a page: its id (or calcN by order, as
// the calculator extension names it), its first line, 1-based from Body,
// and its text.
type fenceText struct {
	id   string
	line int
	text string
}

// calcFences finds the calc fences of a page's Markdown. It reads fences
// the way CommonMark opens and closes them (three or more backticks or
// tildes, the closing run at least as long), which is enough to find a
// page's calculators before the page itself is parsed; a fence the page's
// parser sees differently is reported by the calculator extension.
func calcFences(body []byte) []fenceText {
	var out []fenceText
	lines := strings.Split(string(body), "\n")
	n := 0
	for i := 0; i < len(lines); i++ {
		l := strings.TrimLeft(lines[i], " \t>")
		fc := fenceRun(l)
		if fc == "" {
			continue
		}
		lang, attrs, _ := markdown.ParseInfo(l[len(fc):])
		start := i + 1
		j := start
		for j < len(lines) {
			c := strings.TrimLeft(lines[j], " \t>")
			if r := fenceRun(c); r != "" && r[0] == fc[0] && len(r) >= len(fc) && strings.TrimSpace(c[len(r):]) == "" {
				break
			}
			j++
		}
		if lang == "calc" {
			n++
			id := attrs["id"]
			if id == "" {
				id = "calc" + strconv.Itoa(n)
			}
			out = append(out, fenceText{id: id, line: start + 1, text: strings.Join(lines[start:min(j, len(lines))], "\n") + "\n"})
		}
		i = j
	}
	return out
}

// fenceRun returns the run of three or more backticks or tildes that opens
// l, or "".
func fenceRun(l string) string {
	if len(l) < 3 || (l[0] != '`' && l[0] != '~') {
		return ""
	}
	k := 0
	for k < len(l) && l[k] == l[0] {
		k++
	}
	if k < 3 {
		return ""
	}
	return l[:k]
}

// sheetRefs finds the uses of other sheets' cells in a sheet: a name of a
// known sheet, a dot and a cell name, outside quoted text and comments.
func sheetRefs(d *sheetDef, byID map[string][]*sheetDef) []sheetRef {
	var out []sheetRef
	for li, l := range strings.Split(d.text, "\n") {
		inString := false
		for i := 0; i < len(l); i++ {
			c := l[i]
			switch {
			case c == '"':
				inString = !inString
				continue
			case inString:
				if c == '\\' {
					i++
				}
				continue
			case c == '#':
				i = len(l)
				continue
			case !isNameStart(c) || (i > 0 && (isNameChar(l[i-1]) || l[i-1] == '.')):
				continue
			}
			j := i
			for j < len(l) && (isNameChar(l[j]) || l[j] == '-') {
				j++
			}
			id := l[i:j]
			if j+1 < len(l) && l[j] == '.' && isNameStart(l[j+1]) && id != d.id && len(byID[id]) > 0 {
				k := j + 1
				for k < len(l) && isNameChar(l[k]) {
					k++
				}
				ref := sheetRef{id: id, cell: l[j+1 : k], line: d.line + li, col: i + 1}
				// "name = sheet.cell": the whole value of an input.
				if name, after, ok := strings.Cut(strings.TrimLeft(l[:i], " \t"), "="); ok && after == strings.Repeat(" ", len(after)) &&
					!strings.ContainsAny(name, ":=") && strings.TrimSpace(name) != "" {
					ref.input = strings.TrimSpace(name)
				}
				out = append(out, ref)
				j = k
			}
			i = j - 1
		}
	}
	return out
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isNameChar(c byte) bool  { return isNameStart(c) || c >= '0' && c <= '9' }

// inputText writes a lending input's value as an input of the borrower
// would: its range ("200M..400M users") or its text ("150 posts/day"), and
// reports whether that text reads back to exactly the same figure.
func inputText(r *calc.Result) (string, bool) {
	text := r.Text
	if r.Range != "" {
		text = strings.Replace(strings.Replace(r.Range, "–", "..", 1), " to ", "..", 1)
	}
	s, err := calc.Parse("x = " + text + "\n")
	if err != nil {
		return "", false
	}
	got := s.Eval(nil).Get("x")
	return text, got.Value == r.Value && got.Low == r.Low && got.High == r.High
}

// unitLine is a unit's definition in a sheet's text: "unit rack = 42
// servers", its name, its expression with spaces normalised, and where it
// is (line of the file, column of the name).
type unitLine struct {
	name, expr, text string
	file             string
	line, col        int
}

// unitLines finds the unit definitions of a sheet's text, the way the
// engine reads them; a malformed one is left for the engine to report.
// Lines are counted from 1.
func unitLines(text string) []unitLine {
	var out []unitLine
	for i, l := range strings.Split(text, "\n") {
		rest := strings.TrimLeft(l, " \t")
		after, ok := strings.CutPrefix(rest, "unit")
		if !ok || after == "" || (after[0] != ' ' && after[0] != '\t') {
			continue
		}
		name, expr, ok := strings.Cut(after, "=")
		expr, _, _ = strings.Cut(expr, "#")
		if name = strings.TrimSpace(name); !ok || name == "" || !isNameStart(name[0]) || strings.ContainsAny(name, " \t") {
			continue
		}
		expr = strings.Join(strings.Fields(expr), " ")
		out = append(out, unitLine{name: name, expr: expr, text: "unit " + name + " = " + expr,
			line: i + 1, col: len(l) - len(after) + strings.Index(after, name) + 1})
	}
	return out
}

// unitSpellings are the words a unit is known by: its name and, as the
// engine forms it, its plural.
func unitSpellings(name string) []string {
	if c := name[len(name)-1]; c != 's' && (c < 'A' || c > 'Z') {
		return []string{name, name + "s"}
	}
	return []string{name}
}

// sameUnit reports whether two definitions name the same unit (rack and
// racks do).
func sameUnit(a, b unitLine) bool {
	for _, w := range unitSpellings(a.name) {
		if slices.Contains(unitSpellings(b.name), w) {
			return true
		}
	}
	return false
}

// goodUnits drops the site's units that the engine refuses, read together
// as every sheet will read them: their _sheets/ file reports why, and
// leaving them out keeps every calculator of the site from repeating it
// at a line past its end.
func goodUnits(nouns string, units []unitLine) []unitLine {
	if len(units) == 0 {
		return nil
	}
	var text strings.Builder
	text.WriteString(nouns)
	first := 1 + strings.Count(nouns, "\n") // the line of units[0]
	for _, u := range units {
		text.WriteString(u.text + "\n")
	}
	_, err := calc.Parse(text.String())
	list, _ := err.(calc.ErrorList)
	if err == nil || list == nil {
		return units
	}
	var good []unitLine
	for i, u := range units {
		if !slices.ContainsFunc(list, func(e *calc.Error) bool { return e.Line == first+i }) {
			good = append(good, u)
		}
	}
	return good
}

// writeUnits appends the site's unit lines for sheet d, but not those it
// defines itself: a _sheets/ file's own, and, reported as an error, a
// page's definition of a unit the site already has.
func (s *sheets) writeUnits(lines *strings.Builder, d *sheetDef, diags *diag.List) {
	own := unitLines(d.text)
next:
	for _, u := range s.units {
		for _, o := range own {
			if !sameUnit(u, o) {
				continue
			}
			if d.page != "" {
				diags.Addf(d.file, d.line+o.line-1, o.col, "unit "+strconv.Quote(o.name)+" is already defined for the whole site ("+
					u.file+":"+strconv.Itoa(u.line)+": "+u.text+"); use it, or give this one another name")
			}
			continue next
		}
		lines.WriteString(u.text + "\n")
	}
}
