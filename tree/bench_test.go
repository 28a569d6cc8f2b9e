package tree

import (
	"fmt"
	"math/rand"
	"runtime"
	"testing"
)

// Benchmarks, not timed tests: speeds vary with the machine and its load.
//
//	go test -run XXX -bench . -benchmem ./tree

var benchData = make([]byte, 256)

// benchTree has 100 parents /p00 … /p99 under the root.
func benchTree(b *testing.B) (*Tree, Zxid) {
	tr := New()
	z := MakeZxid(1, 0)
	for i := 0; i < 100; i++ {
		z++
		if r := tr.Apply(&Txn{Zxid: z, Op: mkCreate(fmt.Sprintf("/p%02d", i), "", Persistent)}); r.Err != OK {
			b.Fatal(r.Err)
		}
	}
	return tr, z
}

// BenchmarkApplyCreate creates znodes with 256 bytes of data: sequential
// names (the tree names them), and 16-character names in random order.
func BenchmarkApplyCreate(b *testing.B) {
	b.Run("sequential", func(b *testing.B) {
		tr, z := benchTree(b)
		parents := make([]string, 100)
		for i := range parents {
			parents[i] = fmt.Sprintf("/p%02d/n-", i)
		}
		txn := &Txn{Time: 1, Session: 0, Op: Op{Type: OpCreate, Data: benchData, ACL: OpenACL, Flags: PersistentSequential}}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			z++
			txn.Zxid = z
			txn.Op.Path = parents[i%100]
			if r := tr.Apply(txn); r.Err != OK {
				b.Fatal(r.Err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
	})
	b.Run("named", func(b *testing.B) {
		tr, z := benchTree(b)
		paths := make([]string, b.N)
		rng := rand.New(rand.NewSource(1))
		for i, j := range rng.Perm(b.N) {
			paths[i] = fmt.Sprintf("/p%02d/%016x", j%100, uint64(j)*0x9e3779b97f4a7c15)
		}
		txn := &Txn{Time: 1, Op: Op{Type: OpCreate, Data: benchData, ACL: OpenACL}}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			z++
			txn.Zxid = z
			txn.Op.Path = paths[i]
			if r := tr.Apply(txn); r.Err != OK {
				b.Fatal(r.Err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
	})
}

// BenchmarkApplySetData overwrites 256 bytes in 10,000 znodes round robin.
func BenchmarkApplySetData(b *testing.B) {
	tr, z := benchTree(b)
	paths := make([]string, 10000)
	for i := range paths {
		paths[i] = fmt.Sprintf("/p%02d/n%d", i%100, i)
		z++
		tr.Apply(&Txn{Zxid: z, Op: Op{Type: OpCreate, Path: paths[i], Data: benchData, ACL: OpenACL}})
	}
	txn := &Txn{Time: 1, Op: Op{Type: OpSetData, Data: benchData, Version: -1}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z++
		txn.Zxid = z
		txn.Op.Path = paths[i%len(paths)]
		if r := tr.Apply(txn); r.Err != OK {
			b.Fatal(r.Err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkZnodeMemory measures the live heap a znode costs beyond its
// name and its data: 100,000 znodes of 256 bytes with 16-character names
// under 100 parents (BENCHMARKS.md W9's shape).
func BenchmarkZnodeMemory(b *testing.B) {
	const n = 100_000
	var perNode float64
	for it := 0; it < b.N; it++ {
		b.StopTimer()
		tr, z := benchTree(b)
		paths := make([]string, n)
		for i := range paths {
			paths[i] = fmt.Sprintf("/p%02d/%016x", i%100, uint64(i)*0x9e3779b97f4a7c15)
		}
		before := liveHeap()
		b.StartTimer()
		for i := range paths {
			z++
			if r := tr.Apply(&Txn{Zxid: z, Op: Op{Type: OpCreate, Path: paths[i], Data: benchData, ACL: OpenACL}}); r.Err != OK {
				b.Fatal(r.Err)
			}
		}
		b.StopTimer()
		paths = nil
		after := liveHeap()
		perNode = float64(after-before)/n - 16 - 256
		runtime.KeepAlive(tr)
	}
	b.ReportMetric(perNode, "B/znode-overhead")
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkSnapshot encodes and restores a tree of 100,000 znodes.
func BenchmarkSnapshot(b *testing.B) {
	tr, z := benchTree(b)
	for i := 0; i < 100_000; i++ {
		z++
		tr.Apply(&Txn{Zxid: z, Op: Op{Type: OpCreate, Path: fmt.Sprintf("/p%02d/n%d", i%100, i), Data: benchData, ACL: OpenACL}})
	}
	snap := tr.AppendSnapshot(nil)
	b.Run("append", func(b *testing.B) {
		b.SetBytes(int64(len(snap)))
		buf := make([]byte, 0, len(snap))
		for i := 0; i < b.N; i++ {
			buf = tr.AppendSnapshot(buf[:0])
		}
	})
	b.Run("restore", func(b *testing.B) {
		b.SetBytes(int64(len(snap)))
		for i := 0; i < b.N; i++ {
			if _, err := RestoreSnapshot(snap); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTrigger fans one NodeDataChanged out to 1,000 data watchers and
// re-arms them, as a thundering herd does.
func BenchmarkTrigger(b *testing.B) {
	w := NewWatches()
	c := Change{Type: EventNodeDataChanged, Path: "/hot", ACL: OpenACL}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for id := WatcherID(1); id <= 1000; id++ {
			w.Add("/hot", WatchData, id)
		}
		if got := w.Trigger(c, nil); len(got) != 1000 {
			b.Fatal(len(got))
		}
	}
}
