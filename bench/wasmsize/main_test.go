package main

import "testing"

func TestPkgOf(t *testing.T) {
	for sym, want := range map[string]string{
		"github.com_scalebook_scalebook_calc.__Sheet_.Eval": "github.com_scalebook_scalebook_calc",
		"github.com_scalebook_scalebook_calc.msg":           "github.com_scalebook_scalebook_calc",
		"runtime.findRunnable":                              "runtime",
		"internal_strconv.fmtX":                             "internal_strconv",
		"type_.eq.runtime.Frame":                            "type_",
		"memchr":                                            "memchr",
	} {
		if got := pkgOf(sym); got != want {
			t.Errorf("pkgOf(%q) = %q, want %q", sym, got, want)
		}
	}
}

// A hand-made module: one imported function, two defined ones of 4 and 6
// bytes of body, and a name section naming the second.
func TestParse(t *testing.T) {
	bin := []byte("\x00asm\x01\x00\x00\x00")
	section := func(id byte, body ...byte) {
		bin = append(bin, id, byte(len(body)))
		bin = append(bin, body...)
	}
	section(2, 1, 1, 'm', 1, 'f', 0, 0)                            // import m.f: function of type 0
	section(10, 2, 3, 0, 0x01, 0x0b, 5, 0, 0x01, 0x01, 0x01, 0x0b) // two bodies of 3 and 5 bytes, each after its length
	names := []byte{1, 5, 1, 2, 2, 'g', 'o'}                       // function names: index 2 is "go"
	section(0, append([]byte{4, 'n', 'a', 'm', 'e'}, names...)...)
	m, err := parse(bin)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.funcs) != 2 || m.funcs[0].size != 3 || m.funcs[1].size != 5 {
		t.Fatalf("funcs = %+v", m.funcs)
	}
	if m.funcs[0].name != "func[1]" || m.funcs[1].name != "go" {
		t.Errorf("names = %q, %q", m.funcs[0].name, m.funcs[1].name)
	}
	if m.total != len(bin) || m.sections["code"] != 11 || m.sections["custom name"] != 12 {
		t.Errorf("sections = %v of %d", m.sections, m.total)
	}
	if _, err := parse([]byte("nope")); err == nil {
		t.Error("not a module, no error")
	}
	if _, err := parse(bin[:len(bin)-3]); err == nil {
		t.Error("truncated module, no error")
	}
}
