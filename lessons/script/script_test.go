package script_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"coordtui/lessons/script"
	"coordtui/lessons/script/scripttest"
)

var rewrite = flag.Bool("rewrite", false, "write the transcripts the run printed back into testdata")

// Every script under testdata is a golden test of the engine's builtins.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			scripttest.Run(t, name, f, string(src), scripttest.Config(script.Builtins()), *rewrite)
		})
	}
}
