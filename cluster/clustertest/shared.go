// Package clustertest gives a test binary one in-process ensemble to share:
// starting three members per test would dominate a package's run time on
// two cores, and tests stay apart by working under roots of their own.
package clustertest

import (
	"context"
	"sync"
	"testing"
	"time"

	"coordtui/cluster"
)

var shared struct {
	once sync.Once
	e    *cluster.Ensemble
	err  error
}

// Shared starts, on first use, three members with the test timing, 200 ms
// ticks and every four-letter word, waits for a leader, and returns their
// connection string. Call Close from TestMain after m.Run.
func Shared(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		shared.e, shared.err = cluster.NewEnsemble(cluster.EnsembleConfig{Members: 3, Timing: cluster.TestTiming,
			Sessions: cluster.SessionConfig{TickTime: 200 * time.Millisecond},
			Client:   &cluster.ServerConfig{FourLetterWords: []string{"*"}}})
		if shared.err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, shared.err = shared.e.WaitLeader(ctx)
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.e.ConnString()
}

// Close stops the shared ensemble, if Shared started one.
func Close() {
	if shared.e != nil {
		shared.e.Close()
	}
}
