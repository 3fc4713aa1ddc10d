package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckCommand(t *testing.T) {
	testdata := filepath.Join("..", "check", "testdata")
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Main(append([]string{"check"}, args...), &out, &errOut)
		return code, out.String(), errOut.String()
	}

	code, out, errOut := run(filepath.Join(testdata, "clean"))
	if code != 0 || !strings.Contains(out, "checked 6 pages") || !strings.HasSuffix(out, ": ok\n") || errOut != "" {
		t.Errorf("clean site: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}

	code, out, errOut = run("-v", filepath.Join(testdata, "broken"))
	wantLine := filepath.Join(testdata, "broken", "index.html") + ":15: link to /repo/missing/ does not resolve\n"
	if code != 1 || !strings.Contains(errOut, wantLine) || !strings.Contains(errOut, "under /repo/") ||
		!strings.Contains(errOut, ": 14 problems\n") || out != "external: https://example.com/x\nexternal: https://u.github.io/repo/guide/\nexternal: https://u.github.io/repo/nothing/\n" {
		t.Errorf("broken site: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}

	for _, args := range [][]string{{"a", "b"}, {"-nope"}} {
		if code, _, _ := run(args...); code != 2 {
			t.Errorf("check %q: exit %d, want 2", args, code)
		}
	}
	if code, _, errOut := run(filepath.Join(t.TempDir(), "none")); code != 1 || !strings.Contains(errOut, "is not a folder") {
		t.Errorf("missing folder: exit %d, %s", code, errOut)
	}
	if code, out, _ := run("-h"); code != 0 || !strings.Contains(out, "-base-url") {
		t.Errorf("-h: exit %d, %s", code, out)
	}
}
