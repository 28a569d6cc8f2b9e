package cluster

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"coordtui/tree"
)

// benchEnsemble is a 3-member ensemble with the embedded timing and
// durable (fsync'd) logs on the same disk as everything else.
func benchEnsemble(b *testing.B) *Ensemble {
	b.Helper()
	e, err := NewEnsemble(EnsembleConfig{Members: 3, Dir: b.TempDir(), Timing: EmbeddedTiming})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	waitLeader(b, e)
	return e
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// BenchmarkWrite measures replicated setData throughput and latency with
// 1 and 32 concurrent writers, spread over all three members (followers
// forward to the leader), 100-byte values.
func BenchmarkWrite(b *testing.B) {
	for _, writers := range []int{1, 32} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			e := benchEnsemble(b)
			nodes := e.Nodes()
			for w := range writers {
				mustWrite(b, nodes[0], 0, create(fmt.Sprintf("/w%d", w), ""))
			}
			data := make([]byte, 100)
			var next atomic.Int64
			lat := make([][]time.Duration, writers)
			var wg sync.WaitGroup
			b.ResetTimer()
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n := nodes[w%len(nodes)]
					op := tree.Op{Type: tree.OpSetData, Path: fmt.Sprintf("/w%d", w), Data: data, Version: -1}
					for next.Add(1) <= int64(b.N) {
						start := time.Now()
						if _, err := n.Write(context.Background(), 0, nil, op); err != nil {
							b.Error(err)
							return
						}
						lat[w] = append(lat[w], time.Since(start))
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			all := slices.Concat(lat...)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
			b.ReportMetric(float64(percentile(all, 0.50).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(all, 0.99).Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkFailover measures, with the embedded timing, the time from a
// leader crash to the next successful write through a surviving member.
func BenchmarkFailover(b *testing.B) {
	e := benchEnsemble(b)
	var gaps []time.Duration
	for i := range b.N {
		leader := waitLeader(b, e)
		var survivor *Node
		for _, n := range e.Nodes() {
			if n != leader {
				survivor = n
				break
			}
		}
		mustWrite(b, survivor, 0, create(fmt.Sprintf("/f%d", i), ""))
		start := time.Now()
		if err := e.Crash(leader.ID()); err != nil {
			b.Fatal(err)
		}
		op := tree.Op{Type: tree.OpSetData, Path: fmt.Sprintf("/f%d", i), Version: -1}
		for {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			_, err := survivor.Write(ctx, 0, nil, op)
			cancel()
			if err == nil {
				break
			}
		}
		gaps = append(gaps, time.Since(start))
		if err := e.Restart(leader.ID()); err != nil {
			b.Fatal(err)
		}
		eventually(b, 20*time.Second, "restarted member catches up", func() bool { return converged(e) })
	}
	b.ReportMetric(float64(percentile(gaps, 0.5).Microseconds())/1000, "p50-ms/failover")
	b.ReportMetric(float64(slices.Max(gaps).Microseconds())/1000, "max-ms/failover")
}
