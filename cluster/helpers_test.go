package cluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	"coordtui/tree"
)

// testEnsemble starts n members with the patient test timing and stops
// them when the test ends.
func testEnsemble(t testing.TB, n int, mod ...func(*EnsembleConfig)) *Ensemble {
	t.Helper()
	cfg := EnsembleConfig{Members: n, Dir: t.TempDir(), Timing: TestTiming,
		Sessions: SessionConfig{TickTime: 200 * time.Millisecond}}
	for _, m := range mod {
		m(&cfg)
	}
	e, err := NewEnsemble(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	waitLeader(t, e)
	return e
}

func waitLeader(t testing.TB, e *Ensemble) *Node {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l, err := e.WaitLeader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// eventually polls cond until it holds or the deadline passes: tests wait
// on observed state, never on a sleep.
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

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func mustWrite(t testing.TB, n *Node, session int64, op tree.Op) *Applied {
	t.Helper()
	a, err := n.Write(ctxT(t, 10*time.Second), session, nil, op)
	if err != nil {
		t.Fatalf("n%d %s %s: %v", n.ID(), op.Type, op.Path, err)
	}
	return a
}

func create(path, data string) tree.Op {
	return tree.Op{Type: tree.OpCreate, Path: path, Data: []byte(data), ACL: tree.OpenACL}
}

func getData(n *Node, path string) (string, error) {
	var data []byte
	var err error
	n.View(func(t *tree.Tree) { data, _, err = t.Get(path, nil) })
	return string(data), err
}

func digests(e *Ensemble) string {
	s := ""
	for _, n := range e.Nodes() {
		var d uint64
		var z tree.Zxid
		n.View(func(t *tree.Tree) { d, z = t.Digest(), t.LastZxid() })
		s += fmt.Sprintf("n%d:%s/%x ", n.ID(), z, d)
	}
	return s
}

// converged reports whether every running member has the same last zxid
// and digest.
func converged(e *Ensemble) bool {
	var first string
	for i, n := range e.Nodes() {
		var s string
		n.View(func(t *tree.Tree) { s = fmt.Sprintf("%s/%x", t.LastZxid(), t.Digest()) })
		if i == 0 {
			first = s
		} else if s != first {
			return false
		}
	}
	return true
}
