package search_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/pipeline"
	"github.com/scalebook/scalebook/internal/search"
)

// buildWithConfig builds the fixture site with siteYAML as its site.yaml.
func buildWithConfig(t *testing.T, siteYAML string) (*pipeline.Site, error) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "pipeline", "testdata", "site"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), []byte(siteYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	return pipeline.New(pipeline.Options{ContentDir: dir, ThemeDir: filepath.Join("..", "pipeline", "testdata", "theme")}).Build()
}

func TestSynonymsConfig(t *testing.T) {
	syn := func(site *pipeline.Site) []string {
		var meta struct{ Syn [][][]string }
		if err := json.Unmarshal(site.Files[search.Meta], &meta); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, g := range meta.Syn {
			var ps []string
			for _, p := range g {
				ps = append(ps, strings.Join(p, " "))
			}
			out = append(out, strings.Join(ps, "="))
		}
		return out
	}
	site, err := buildWithConfig(t, "title: T\nsearch:\n  synonyms:\n    - [k8s, kubernetes, kube]\n    - [SLO, service level objective]\n")
	if err != nil {
		t.Fatal(err)
	}
	got := syn(site)
	for _, want := range []string{"k8s=kube=kubernet", "servic level object=slo", "qps=request per second"} {
		if !slices.Contains(got, want) {
			t.Errorf("synonym groups %q lack %q", got, want)
		}
	}
	site, err = buildWithConfig(t, "title: T\nsearch:\n  default_synonyms: false\n  synonyms:\n    - [slo, service level objective]\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := syn(site); !slices.Equal(got, []string{"servic level object=slo"}) {
		t.Errorf("without the built-in table: %q", got)
	}

	for _, tc := range []struct{ yaml, want string }{
		{"title: T\nsearch:\n  synonyms:\n    - [qps]\n", "site.yaml:4:7: search.synonyms: a synonym group needs two or more words or phrases"},
		{"title: T\nsearch:\n  synonyms:\n    - [x, the]\n", "site.yaml:4:7: search.synonyms: \"x\" has no word search can find"},
		{"title: T\nsearch:\n  synonym:\n    - [a, b]\n", "site.yaml:3:3: unknown key \"synonym\""},
		{"title: T\nsearch:\n  synonyms: [qps, rps]\n", "site.yaml:3:"},
	} {
		_, err := buildWithConfig(t, tc.yaml)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("site.yaml %q: error %v, want one containing %q", tc.yaml, err, tc.want)
		}
	}
}
