package runner

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"coordtui/cluster/clustertest"
	"coordtui/cluster/goldenfile"
	"coordtui/cluster/zk"
	"coordtui/recipes"
	"coordtui/recipes/worker"
)

var rootSeq atomic.Int64

var rewrite = flag.Bool("rewrite", false, "re-record testdata transcripts")

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	clustertest.Close()
	os.Exit(code)
}

func ensemble(t testing.TB) string { return clustertest.Shared(t) }

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// chroot makes a top-level node for the test and returns the connection
// string into it.
func chroot(t testing.TB) string {
	t.Helper()
	conn := ensemble(t)
	root := fmt.Sprintf("/%s-%d", strings.ReplaceAll(t.Name(), "/", "_"), rootSeq.Add(1))
	c, err := zk.Connect(ctxT(t, 10*time.Second), conn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Create(ctxT(t, 10*time.Second), root, nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	return conn + root
}

func session(t testing.TB, conn string) *recipes.Session {
	t.Helper()
	s, err := recipes.Connect(ctxT(t, 10*time.Second), conn, zk.WithSessionTimeout(4*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func pool(t testing.TB, conn string, n int, timeout time.Duration) *worker.Pool {
	t.Helper()
	p := worker.NewPool(worker.Config{ConnString: conn, SessionTimeout: timeout})
	t.Cleanup(func() { p.Close() })
	if _, err := p.Start(ctxT(t, 20*time.Second), n); err != nil {
		t.Fatal(err)
	}
	return p
}

func newRunner(t testing.TB, cfg Config) *Runner {
	t.Helper()
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// until waits until cond holds for the runner's snapshot.
func until(t testing.TB, r *Runner, what string, cond func(Snapshot) bool) Snapshot {
	t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		ch := r.Changed()
		s := r.Snapshot()
		if cond(s) {
			return s
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; now:\n%s\nlog:\n%s", what, s, strings.Join(s.Log, "\n"))
		}
	}
}

func viewOf(s Snapshot, name string) ClientView {
	for _, c := range s.Clients {
		if c.Name == name {
			return c
		}
	}
	return ClientView{}
}

// held waits until name has its next request held at the gate: the moment
// between two steps, when what it will do next can be read.
func held(t testing.TB, r *Runner, name string) Snapshot {
	t.Helper()
	return until(t, r, name+" has a step held", func(s Snapshot) bool { return viewOf(s, name).Next != "" })
}

// step lets name's held request through once it has one, and waits until
// that request has finished (its Last changes).
func step(t testing.TB, r *Runner, name string) {
	t.Helper()
	before := r.Snapshot()
	until(t, r, name+" has a step held", func(s Snapshot) bool { return viewOf(s, name).Next != "" })
	n := len(before.Log)
	if _, ok := r.Step(name); !ok {
		t.Fatalf("%s had nothing to step", name)
	}
	until(t, r, name+"'s step to finish", func(s Snapshot) bool {
		for _, l := range s.Log[min(n, len(s.Log)):] {
			if strings.HasPrefix(l, name+" ") {
				return true
			}
		}
		return false
	})
}

var maskRE = regexp.MustCompile(`0x[0-9a-f]+_[0-9a-f]{8}`)

func golden(t testing.TB, name string, got []string) {
	t.Helper()
	var lines []string
	for _, l := range got {
		lines = append(lines, maskRE.ReplaceAllString(l, "T"))
	}
	goldenfile.Check(t, filepath.Join("testdata", name), strings.Join(lines, "\n")+"\n", *rewrite, "rewrite")
}

// settled: every client is held at the gate, waits on a watch for a node a
// live client owns, or is done — nothing is on its way.
func settled(s Snapshot) bool {
	for _, w := range s.WaitFor {
		if strings.Contains(w, "gone") {
			return false
		}
	}
	for _, c := range s.Clients {
		if c.Next == "" && c.Waiting == "" && !c.Done {
			return false
		}
	}
	return true
}
