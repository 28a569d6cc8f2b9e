package zkcli

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"coordtui/cluster"
)

// startEnsemble runs a coordtui ensemble with client ports for t.
func startEnsemble(t testing.TB, members int) *cluster.Ensemble {
	t.Helper()
	e, err := cluster.NewEnsemble(cluster.EnsembleConfig{Members: members, Dir: t.TempDir(),
		Timing: cluster.TestTiming, Client: &cluster.ServerConfig{FourLetterWords: []string{"*"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := e.WaitLeader(ctx); err != nil {
		t.Fatal(err)
	}
	return e
}

// connect returns a shell connected to server, closed when t ends.
func connect(t testing.TB, cfg Config) *Shell {
	t.Helper()
	s := New(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Connect(ctx, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// run runs one line and returns its stdout, stderr and status.
func run(t testing.TB, s *Shell, line string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st := s.Exec(ctx, line, &out, &errb)
	return out.String(), errb.String(), st
}

var (
	reDate  = regexp.MustCompile(`[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \S+ \d{4}`)
	reZxid  = regexp.MustCompile(`(?m)^(cZxid|mZxid|pZxid) = 0x[0-9a-f]+$`)
	reOwner = regexp.MustCompile(`(?m)^ephemeralOwner = 0x[0-9a-f]*[1-9a-f][0-9a-f]*$`)
	reJSON  = regexp.MustCompile(`"(czxid|mzxid|pzxid|ctime|mtime)":\d+`)
	reJOwn  = regexp.MustCompile(`"ephemeralOwner":[1-9]\d*`)
)

// normalize hides what differs between two runs of the same script: zxids,
// times and session ids.
func normalize(s string) string {
	s = reDate.ReplaceAllString(s, "DATE")
	s = reZxid.ReplaceAllString(s, "$1 = 0xZ")
	s = reOwner.ReplaceAllString(s, "ephemeralOwner = 0xSESSION")
	s = reJSON.ReplaceAllString(s, `"$1":0`)
	s = reJOwn.ReplaceAllString(s, `"ephemeralOwner":1`)
	return s
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// diff shows two texts side by side, line by line, marking differences.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		mark := "  "
		if a != c {
			mark = "!!"
		}
		b.WriteString(mark + " " + a + "  |  " + c + "\n")
	}
	return b.String()
}
