package server

import (
	"os/exec"
	"strings"
	"testing"
)

// The client runs inside pages with a strict CSP and shows build errors,
// which may contain anything: it must never parse text as markup, never
// use inline styles, and must listen for every event the server sends.
func TestReloadClient(t *testing.T) {
	data, err := clientFiles.ReadFile("client/reload.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(data)
	for _, banned := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", ".style.", `setAttribute("style"`, "cssText"} {
		if strings.Contains(js, banned) {
			t.Errorf("reload.js uses %s", banned)
		}
	}
	for _, want := range []string{`"role", "alert"`, "textContent", "sessionStorage", `link[rel~="stylesheet"]`, `"overlay.css"`, `"events"`} {
		if !strings.Contains(js, want) {
			t.Errorf("reload.js lacks %s", want)
		}
	}
	for _, ev := range []string{EventHello, EventReload, EventCSS, EventError, EventOK} {
		if !strings.Contains(js, `addEventListener("`+ev+`"`) {
			t.Errorf("reload.js does not listen for %q", ev)
		}
	}
	if node, err := exec.LookPath("node"); err == nil {
		if out, err := exec.Command(node, "--check", "client/reload.js").CombinedOutput(); err != nil {
			t.Errorf("node --check reload.js: %v\n%s", err, out)
		}
	}
}
