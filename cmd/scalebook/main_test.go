package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/scalebook/scalebook/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"scalebook": func() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the whole-CLI scenarios in testdata/script. Each script
// gets $FIXTURE, the builder's test site and theme, to copy from.
func TestScripts(t *testing.T) {
	fixture, err := filepath.Abs(filepath.Join("..", "..", "internal", "pipeline", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("FIXTURE", fixture)
			return nil
		},
	})
}
