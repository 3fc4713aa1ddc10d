// Command wasmsize shows where the bytes of the calculator engine's
// WebAssembly go, the way twiggy does for Rust: it builds calc/wasm with
// symbol names kept, reads the binary's code, data and name sections, and
// prints the largest functions and the total per package.
//
//	go run ./bench/wasmsize [-top 40] [-filter calc] [file.wasm]
//
// Given a file, it reads that instead of building. Sizes are of the
// uncompressed code bodies; the shipped file is the same code without the
// name section (-ldflags=-s -w), so the per-package shares carry over.
package main

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	top := flag.Int("top", 40, "how many of the largest functions to list")
	filter := flag.String("filter", "", "list only functions whose name contains this")
	flag.Parse()
	file := flag.Arg(0)
	if file == "" {
		dir, err := os.MkdirTemp("", "wasmsize")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
		file = filepath.Join(dir, "calc.wasm")
		cmd := exec.Command("go", "build", "-trimpath", "-o", file, "./calc/wasm")
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fail(err)
		}
	}
	bin, err := os.ReadFile(file)
	if err != nil {
		fail(err)
	}
	m, err := parse(bin)
	if err != nil {
		fail(fmt.Errorf("%s: %v", file, err))
	}
	report(m, *top, *filter)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wasmsize:", err)
	os.Exit(1)
}

// module is what the report needs of a WebAssembly binary.
type module struct {
	total    int
	sections map[string]int // bytes per section, custom ones by name
	funcs    []function
}

type function struct {
	name string
	size int
}

// parse reads the sections of a binary (https://webassembly.github.io/spec/core/binary/).
func parse(bin []byte) (*module, error) {
	if len(bin) < 8 || !bytes.Equal(bin[:4], []byte("\x00asm")) {
		return nil, errors.New("not a WebAssembly binary")
	}
	m := &module{total: len(bin), sections: map[string]int{}}
	var imported int
	var bodies []int
	names := map[int]string{}
	r := reader{b: bin[8:]}
	for len(r.b) > 0 {
		id := r.byte()
		size := int(r.uleb())
		if r.err != nil || size > len(r.b) {
			return nil, errors.New("truncated section")
		}
		body := reader{b: r.b[:size]}
		r.b = r.b[size:]
		name := sectionNames[id]
		switch id {
		case 0: // custom
			name = "custom " + body.name()
			if name == "custom name" {
				readNames(body, names)
			}
		case 2: // imports: imported functions take the first indices
			for n := body.uleb(); n > 0 && body.err == nil; n-- {
				body.name()
				body.name()
				switch kind := body.byte(); kind {
				case 0:
					body.uleb()
					imported++
				case 1: // table
					body.byte()
					body.limits()
				case 2:
					body.limits()
				case 3:
					body.byte()
					body.byte()
				}
			}
		case 10: // code
			for n := body.uleb(); n > 0 && body.err == nil; n-- {
				s := int(body.uleb())
				bodies = append(bodies, s)
				body.skip(s)
			}
		}
		m.sections[name] += size
	}
	for i, s := range bodies {
		n := names[imported+i]
		if n == "" {
			n = fmt.Sprintf("func[%d]", imported+i)
		}
		m.funcs = append(m.funcs, function{n, s})
	}
	return m, r.err
}

var sectionNames = map[byte]string{1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
	6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "data count"}

// readNames reads the function names of a "name" custom section.
func readNames(r reader, names map[int]string) {
	for len(r.b) > 0 && r.err == nil {
		id := r.byte()
		size := int(r.uleb())
		sub := reader{b: r.b[:min(size, len(r.b))]}
		r.skip(size)
		if id != 1 {
			continue
		}
		for n := sub.uleb(); n > 0 && sub.err == nil; n-- {
			i := int(sub.uleb())
			names[i] = sub.name()
		}
	}
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.err = errors.New("truncated")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uleb() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errors.New("bad number")
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) skip(n int) {
	if n > len(r.b) {
		r.err = errors.New("truncated")
		n = len(r.b)
	}
	r.b = r.b[n:]
}

func (r *reader) name() string {
	n := int(r.uleb())
	if n > len(r.b) {
		r.err = errors.New("truncated")
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) limits() {
	if r.byte()&1 != 0 {
		r.uleb()
	}
	r.uleb()
}

// pkgOf returns the package of a symbol as the linker names it in
// WebAssembly, where "/" in a path becomes "_":
// "github.com_x_calc.__Sheet_.Eval" → "github.com_x_calc", "math.Log" → "math".
func pkgOf(sym string) string {
	dot := strings.IndexByte(sym, '.')
	if dot < 0 {
		return sym
	}
	// A host name's dot ("github.com_…") is part of the path: what follows
	// it runs to an underscore with no dot or punctuation on the way.
	if us := strings.IndexByte(sym[dot:], '_'); us > 1 && !strings.ContainsAny(sym[dot+1:dot+us], ".()*[]") {
		if next := strings.IndexByte(sym[dot+us:], '.'); next >= 0 {
			return sym[:dot+us+next]
		}
	}
	return sym[:dot]
}

func report(m *module, top int, filter string) {
	fmt.Printf("%d bytes in all\n\nsections:\n", m.total)
	type row struct {
		name string
		size int
	}
	var secs []row
	for k, v := range m.sections {
		secs = append(secs, row{k, v})
	}
	byBytes := func(a, b row) int { return cmp.Or(cmp.Compare(b.size, a.size), cmp.Compare(a.name, b.name)) }
	slices.SortFunc(secs, byBytes)
	for _, s := range secs {
		fmt.Printf("%10d  %5.1f%%  %s\n", s.size, pct(s.size, m.total), s.name)
	}
	code := m.sections["code"]
	pkgs := map[string]int{}
	for _, f := range m.funcs {
		pkgs[pkgOf(f.name)] += f.size
	}
	var ps []row
	for k, v := range pkgs {
		ps = append(ps, row{k, v})
	}
	slices.SortFunc(ps, byBytes)
	fmt.Printf("\ncode by package (of %d bytes of code):\n", code)
	for _, p := range ps[:min(len(ps), 25)] {
		fmt.Printf("%10d  %5.1f%%  %s\n", p.size, pct(p.size, code), p.name)
	}
	fs := slices.Clone(m.funcs)
	fs = slices.DeleteFunc(fs, func(f function) bool { return !strings.Contains(f.name, filter) })
	slices.SortFunc(fs, func(a, b function) int { return byBytes(row(a), row(b)) })
	fmt.Printf("\nlargest functions%s:\n", map[bool]string{true: " matching " + fmt.Sprintf("%q", filter)}[filter != ""])
	for _, f := range fs[:min(len(fs), top)] {
		fmt.Printf("%10d  %5.1f%%  %s\n", f.size, pct(f.size, code), f.name)
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
