// Package scripttest runs scripts as golden tests: each step's transcript
// must be the one written under it in the file, and every claim must hold.
// With rewrite set, the file is written back with the transcripts the run
// printed (go test ./demos -rewrite), for a person to review in the diff.
package scripttest

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"coordtui/cluster"
	"coordtui/lessons/script"
)

// Config is what golden runs use: the patient test timing, and more
// patience still under the race detector.
func Config(reg *script.Registry) script.Config {
	p := 1.0
	if raceEnabled {
		p = 3
	}
	return script.Config{Registry: reg, Timing: cluster.TestTiming, Patience: p}
}

// Run plays the script src (named name, kept at path for rewriting) with
// cfg and fails t for every step whose transcript differs and every claim
// that did not hold. Steps run to the end even after a failure, so one run
// shows every difference.
func Run(t *testing.T, name, path, src string, cfg script.Config, rewrite bool) {
	t.Helper()
	s, err := script.Parse(name, src)
	if err != nil {
		t.Fatal(err)
	}
	r, err := script.NewRunner(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := r.Run(ctx); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, res := range r.Results() {
		if res.Failed() {
			t.Errorf("%s:%d: %s\n%s", name, res.Step.Line, res.Step.Line0(), strings.Join(res.Lines, "\n"))
		}
	}
	if rewrite {
		if err := os.WriteFile(path, []byte(r.Rewritten()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, res := range r.Mismatches() {
		t.Errorf("%s:%d: %s\nwant:\n%s\ngot:\n%s", name, res.Step.Line, res.Step.Line0(),
			indent(res.Step.Want), indent(res.Lines))
	}
}

func indent(lines []string) string {
	if len(lines) == 0 {
		return "    (nothing)"
	}
	return "    " + strings.Join(lines, "\n    ")
}
