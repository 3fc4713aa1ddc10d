package pipeline

import (
	"encoding/binary"
	"errors"
	"html/template"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/markdown"
)

// A page result goes to the file cache in a small binary form: strings and
// lists prefixed by their length as uvarints, fields in a fixed order after
// a version byte. gob was the first choice, but a gob stream carries its
// type description and a decoder compiles it, and with one cache entry per
// page that compilation happened a thousand times per warm build, half its
// time. Results with diagnostics are never cached, so Diags is not stored.
const pageCodecVersion = 1

func encodePage(r *pageResult) []byte {
	var e encoder
	e.b = append(e.b, pageCodecVersion)
	e.b = append(e.b, r.Sum[:]...)
	e.bytes(r.HTML)
	e.uint(len(r.Headings))
	for _, h := range r.Headings {
		e.uint(h.Level)
		e.str(h.ID)
		e.str(h.Text)
		e.str(string(h.Title))
	}
	e.strs(r.Anchors)
	e.uint(len(r.Sections))
	for _, s := range r.Sections {
		e.str(s.ID)
		e.str(s.Heading)
		e.uint(s.Level)
		e.str(s.Text)
	}
	e.bool(r.HasCalc)
	e.strs(r.ExternalImages)
	e.uint(len(r.Refs))
	for _, f := range r.Refs {
		e.str(f.URL)
		e.str(f.File)
		e.str(f.Frag)
		e.str(f.At.File)
		e.uint(f.At.Line)
		e.uint(f.At.Col)
		e.str(f.At.Msg)
		e.bool(f.At.Warning)
	}
	e.uint(len(r.Links))
	for _, l := range r.Links {
		e.str(l.Dest)
		e.str(l.URL)
		e.str(l.Problem)
		e.str(l.Asset)
	}
	return e.b
}

var errBadPage = errors.New("damaged page record")

func decodePage(data []byte) (*pageResult, error) {
	d := decoder{b: data}
	if d.byte() != pageCodecVersion || len(d.b) < 32 {
		return nil, errBadPage
	}
	r := new(pageResult)
	copy(r.Sum[:], d.b[:32])
	d.b = d.b[32:]
	r.HTML = d.bytes()
	r.Headings = make([]markdown.Heading, d.count())
	for i := range r.Headings {
		h := &r.Headings[i]
		h.Level = d.uint()
		h.ID, h.Text, h.Title = d.str(), d.str(), template.HTML(d.str())
	}
	r.Anchors = d.strs()
	r.Sections = make([]markdown.Section, d.count())
	for i := range r.Sections {
		s := &r.Sections[i]
		s.ID, s.Heading = d.str(), d.str()
		s.Level = d.uint()
		s.Text = d.str()
	}
	r.HasCalc = d.bool()
	r.ExternalImages = d.strs()
	r.Refs = make([]fragRef, d.count())
	for i := range r.Refs {
		f := &r.Refs[i]
		f.URL, f.File, f.Frag = d.str(), d.str(), d.str()
		f.At = diag.Diagnostic{File: d.str(), Line: d.uint(), Col: d.uint(), Msg: d.str(), Warning: d.bool()}
	}
	r.Links = make([]linkUse, d.count())
	for i := range r.Links {
		l := &r.Links[i]
		l.Dest, l.URL, l.Problem, l.Asset = d.str(), d.str(), d.str(), d.str()
	}
	if d.err || len(d.b) != 0 {
		return nil, errBadPage
	}
	// Decoded empty lists are nil, as a fresh render leaves them.
	if len(r.Headings) == 0 {
		r.Headings = nil
	}
	if len(r.Sections) == 0 {
		r.Sections = nil
	}
	if len(r.Refs) == 0 {
		r.Refs = nil
	}
	if len(r.Links) == 0 {
		r.Links = nil
	}
	return r, nil
}

type encoder struct{ b []byte }

func (e *encoder) uint(n int)     { e.b = binary.AppendUvarint(e.b, uint64(n)) }
func (e *encoder) str(s string)   { e.uint(len(s)); e.b = append(e.b, s...) }
func (e *encoder) bytes(b []byte) { e.uint(len(b)); e.b = append(e.b, b...) }
func (e *encoder) strs(ss []string) {
	e.uint(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// decoder reads what encoder wrote. A read past the end, or a length that
// cannot fit, sets err and yields zero values, so decodePage checks once.
type decoder struct {
	b   []byte
	err bool
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uint() int {
	v, n := binary.Uvarint(d.b)
	// A longer form than needed (a trailing zero byte) is damage too, so
	// that a record has one spelling.
	if n <= 0 || v > 1<<40 || (n > 1 && d.b[n-1] == 0) {
		d.err = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

// count reads a list length, which cannot exceed the bytes left: every
// element takes at least one.
func (d *decoder) count() int {
	n := d.uint()
	if n > len(d.b) {
		d.err = true
		d.b = nil
		return 0
	}
	return n
}

func (d *decoder) bytes() []byte {
	n := d.count()
	if d.err || n == 0 {
		return nil
	}
	b := d.b[:n:n]
	d.b = d.b[n:]
	return b
}

func (d *decoder) str() string { return string(d.bytes()) }

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

func (d *decoder) bool() bool { return d.byte() == 1 }
