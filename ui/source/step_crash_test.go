package source

import (
	"context"
	"testing"
	"time"

	"coordtui/tree"
)

// Crashing the leader while step mode holds its messages neither hangs
// nor loses the ensemble: the crash returns and, once step mode is off,
// the others elect a new leader.
func TestCrashInStepMode(t *testing.T) {
	e := startEmbedded(t, 3)
	ctx := ctxT(t)
	leader, err := e.Ensemble().WaitLeader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Net().SetStep(true); err != nil {
		t.Fatal(err)
	}
	go leader.Write(context.Background(), 0, nil, tree.Op{Type: tree.OpCreate, Path: "/held", ACL: tree.OpenACL})
	eventually(t, "the write's append held", func() bool { return len(e.LocalNet().Queue()) > 0 })
	crashed := make(chan error, 1)
	go func() { crashed <- e.Crash(leader.ID()) }()
	select {
	case err := <-crashed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("crash hung on held messages")
	}
	if err := e.Net().SetStep(false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Ensemble().WaitLeader(ctx); err != nil {
		t.Fatal(err)
	}
}
