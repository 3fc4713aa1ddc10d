package search

import (
	"encoding/binary"
	"errors"
)

// A fragment goes to the build's file cache in a small binary form, so a
// warm build reads each page's share of the index instead of tokenising
// and stemming the page again: a version byte, then lengths and numbers as
// uvarints and strings prefixed by their length.
const fragCodecVersion = 1

// MarshalBinary encodes f for the file cache.
func (f Fragment) MarshalBinary() ([]byte, error) {
	size := 16 + len(f.Doc)
	for _, t := range f.Terms {
		size += len(t.Stem) + 4 + 3*len(t.Posts)
		for _, w := range t.Words {
			size += len(w) + 1
		}
	}
	b := make([]byte, 0, size)
	b = append(b, fragCodecVersion)
	b = binary.AppendUvarint(b, uint64(len(f.Doc)))
	b = append(b, f.Doc...)
	b = binary.AppendUvarint(b, uint64(f.Entries))
	b = binary.AppendUvarint(b, uint64(f.Text))
	b = binary.AppendUvarint(b, uint64(len(f.Terms)))
	for _, t := range f.Terms {
		b = binary.AppendUvarint(b, uint64(len(t.Stem)))
		b = append(b, t.Stem...)
		b = binary.AppendUvarint(b, uint64(len(t.Words)))
		for _, w := range t.Words {
			b = binary.AppendUvarint(b, uint64(len(w)))
			b = append(b, w...)
		}
		b = binary.AppendUvarint(b, uint64(len(t.Posts)))
		for _, p := range t.Posts {
			b = binary.AppendUvarint(b, uint64(p.Entry))
			b = binary.AppendUvarint(b, uint64(p.Class))
		}
	}
	return b, nil
}

var errBadFragment = errors.New("search: damaged fragment")

// UnmarshalFragment decodes what MarshalBinary wrote. Damaged or foreign
// data is an error, never a panic: the cache treats it as a miss.
func UnmarshalFragment(data []byte) (Fragment, error) {
	d := fragDecoder{b: data}
	if len(data) == 0 || d.byte() != fragCodecVersion {
		return Fragment{}, errBadFragment
	}
	var f Fragment
	f.Doc = d.bytes()
	f.Entries = d.int()
	f.Text = d.int()
	n := d.count()
	f.Terms = make([]FragTerm, n)
	for i := range f.Terms {
		t := &f.Terms[i]
		t.Stem = string(d.bytes())
		if nw := d.count(); nw > 0 {
			t.Words = make([]string, nw)
			for j := range t.Words {
				t.Words[j] = string(d.bytes())
			}
		}
		t.Posts = make([]Post, d.count())
		for j := range t.Posts {
			t.Posts[j] = Post{Entry: d.int(), Class: d.int()}
		}
	}
	if d.err || len(d.b) != 0 {
		return Fragment{}, errBadFragment
	}
	return f, nil
}

type fragDecoder struct {
	b   []byte
	err bool
}

func (d *fragDecoder) byte() byte {
	if len(d.b) == 0 {
		d.err = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *fragDecoder) int() int {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > 1<<31 {
		d.err = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

// count reads a length that must fit in what is left (every element takes
// at least one byte), so damaged data cannot ask for a huge allocation.
func (d *fragDecoder) count() int {
	n := d.int()
	if n > len(d.b) {
		d.err = true
		d.b = nil
		return 0
	}
	return n
}

func (d *fragDecoder) bytes() []byte {
	n := d.count()
	if d.err {
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}
