// Package goldenfile compares test output with a recorded file. It imports
// nothing of coordtui's, so any package's tests can use it (the cluster
// package's own included).
package goldenfile

import (
	"os"
	"path/filepath"
	"testing"
)

// Check compares got with the file at path. With rewrite it records got
// there instead; flag names the test flag that sets rewrite, for the
// message that says how to re-record.
func Check(t testing.TB, path, got string, rewrite bool, flag string) {
	t.Helper()
	if rewrite {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (record it with -%s)", err, flag)
	}
	if string(want) != got {
		t.Errorf("%s differs (re-record with -%s if intended):\n--- got\n%s\n--- want\n%s", path, flag, got, want)
	}
}
