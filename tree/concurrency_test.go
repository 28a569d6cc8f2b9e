package tree

import (
	"math/rand"
	"sync"
	"testing"
)

// TestConcurrentReads runs every read method from several goroutines at
// once on one tree, as the cluster does under its read lock. Reads must not
// write anything, caches included; under -race any write fails this test.
func TestConcurrentReads(t *testing.T) {
	g := &gen{rng: rand.New(rand.NewSource(3)), zxid: MakeZxid(1, 0), now: 1_000_000}
	tr := New()
	for i := 0; i < 1500; i++ {
		g.learn(tr.Apply(g.txn(tr)))
	}
	paths := append([]string{"/", "", "/zookeeper"}, g.paths...)
	want := tr.AppendSnapshot(nil)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			auth := genIDs[w%len(genIDs)]
			for _, p := range paths {
				tr.Get(p, auth)
				tr.Exists(p)
				tr.ExistsAuth(p, auth)
				tr.Children(p, auth)
				tr.GetACL(p, auth)
				tr.AllChildrenNumber(p, auth)
				tr.NodeInfo(p)
				tr.MultiRead([]Op{{Type: OpGetData, Path: p}, {Type: OpGetChildren, Path: p}}, auth)
			}
			for _, s := range tr.Sessions() {
				tr.Session(s.ID)
				tr.Ephemerals(s.ID, "/")
			}
			tr.Walk("/", func(string, Stat, []byte) bool { return true })
			tr.ReapCandidatesWith(1<<50, 1)
			tr.SetWatches(0, paths[:10], paths[:10], paths[:10], nil, nil, WatcherID(w), NewWatches())
			tr.Digest()
			tr.NodeCount()
			tr.LastZxid()
			if string(tr.AppendSnapshot(nil)) != string(want) {
				t.Error("a snapshot taken while reading differs")
			}
		}(w)
	}
	wg.Wait()
}
