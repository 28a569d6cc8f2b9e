package demos_test

import (
	"context"
	"testing"
	"time"

	"coordtui/demos"
	"coordtui/lessons/script"
	"coordtui/lessons/script/scripttest"
)

// Act two of split-brain partitions the ensemble and act three prints
// zxids. A session open across the partition lives or dies by how fast its
// client finds the majority (a 2 s session against the client's backoff),
// and an expiry is a transaction of the majority's: on some runs it moved
// every later zxid by one. So no session may be open when the split comes.
func TestSplitBrainPartitionsNoSession(t *testing.T) {
	d, err := demos.Get("split-brain")
	if err != nil {
		t.Fatal(err)
	}
	r, err := script.NewRunner(d.Script, scripttest.Config(demos.Registry()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for !r.Done() && d.Script.Steps[r.Pos()].Cmd != "split" {
		res, err := r.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Failed() {
			t.Fatalf("%s: %v %q", res.Step.Line0(), res.Err, res.Lines)
		}
	}
	if r.Done() {
		t.Fatal("split-brain has no split step")
	}
	l, err := r.Env().Leader()
	if err != nil {
		t.Fatal(err)
	}
	names := r.Env().SessionNames()
	for _, s := range l.Sessions() {
		t.Errorf("session %s (%#x) is open when the ensemble splits", names[s.ID], s.ID)
	}
}
