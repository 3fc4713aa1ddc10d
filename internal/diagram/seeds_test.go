package diagram

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/scalebook/scalebook/internal/diagram/svgclean"
)

// seedSources are the diagrams whose raw D2 output seeds svgclean's
// FuzzClean.
var seedSources = map[string]string{
	"arch":   archSrc,
	"labels": "# md\nm: |md\n  # T\n  **b** `c`\n|\nc: |go\n  x := 1\n|\nt: {shape: sql_table; id: int}\nx: {tooltip: t; link: https://example.com; style.3d: true}\nm -> c -> t\n",
}

// TestFuzzSeeds checks the fuzz seeds are D2's current output (with its
// stylesheets emptied, to keep them small) and that they clean.
func TestFuzzSeeds(t *testing.T) {
	r := New(Options{})
	srcs := map[string]string{"sequence": readCode(t, "sequence.md")}
	for k, v := range seedSources {
		srcs[k] = v
	}
	styles := regexp.MustCompile(`(?s)(<style[^>]*>).*?(</style>)`)
	for name, src := range srcs {
		raw, errs := r.d2([]byte(src))
		if errs != nil {
			t.Fatal(errs)
		}
		raw = styles.ReplaceAll(raw, []byte("$1<![CDATA[.x{}]]>$2"))
		file := filepath.Join("svgclean", "testdata", "seed-"+name+".svg")
		if *update {
			if err := os.WriteFile(file, raw, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(raw, want) {
			t.Errorf("D2's output changed from %s (go test -update rewrites it)", file)
		}
		clean, err := svgclean.Clean(raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := svgclean.Check(clean); err != nil {
			t.Error(err)
		}
	}
}

func TestRealOutputIsCanonical(t *testing.T) {
	r := New(Options{})
	for _, src := range []string{archSrc, readCode(t, "sequence.md")} {
		svg, errs := r.SVG([]byte(src))
		if errs != nil {
			t.Fatal(errs)
		}
		if err := svgclean.Check(svg); err != nil {
			t.Error(err)
		}
	}
}
