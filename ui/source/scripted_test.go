package source

import (
	"context"
	"testing"
	"time"

	"coordtui/cluster"
	"coordtui/lessons/script"
)

// cutLinks counts the links the snapshot shows cut.
func cutLinks(s Snapshot) int {
	n := 0
	for _, l := range s.Matrix.Links {
		if l.Fault.Cut {
			n++
		}
	}
	return n
}

// The source follows the ensembles a script builds, one after another;
// slowing down keeps a partition the script made; heal lifts it; workers
// the console starts live in the script's pool.
// scripted plays text through a Scripted source, as the console does.
func scripted(t *testing.T, text string) (*Scripted, *script.Runner, context.Context) {
	t.Helper()
	s, err := script.Parse("t", text)
	if err != nil {
		t.Fatal(err)
	}
	src := NewScripted(cluster.TestTiming)
	r, err := script.NewRunner(s, script.Config{Events: src.Bus(), Timing: cluster.TestTiming})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); src.Close() })
	src.SetWorld(r.Env())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return src, r, ctx
}

func TestScriptedFollowsTheScript(t *testing.T) {
	src, r, ctx := scripted(t, "ensemble members=3\n\nisolate n1\n\nensemble members=1\n")

	if snap := src.Snapshot(ctx); len(snap.Members) != 0 || len(snap.Notes) == 0 || src.Generation() != 0 {
		t.Fatalf("before the first ensemble: %+v", snap)
	}
	if err := src.Crash(1); err != ErrNoEnsemble {
		t.Fatalf("crash before an ensemble: %v", err)
	}
	for range 2 {
		if _, err := r.Next(ctx); err != nil {
			t.Fatal(err)
		}
	}
	snap := src.Snapshot(ctx)
	if len(snap.Members) != 3 || cutLinks(snap) != 4 || src.Generation() != 1 {
		t.Fatalf("after isolate n1: %d members, %d cut links, generation %d", len(snap.Members), cutLinks(snap), src.Generation())
	}
	if err := src.Net().SetSpeed(2); err != nil {
		t.Fatal(err)
	}
	if snap := src.Snapshot(ctx); cutLinks(snap) != 4 || snap.Speed != 2 {
		t.Fatalf("slow motion healed the script's partition: %d cut, speed %g", cutLinks(snap), snap.Speed)
	}
	if got := r.Env().Within(time.Second); got != 2*time.Second {
		t.Fatalf("the script's deadlines did not stretch: %v", got)
	}
	src.Net().Heal()
	if snap := src.Snapshot(ctx); cutLinks(snap) != 0 {
		t.Fatalf("heal left %d links cut", cutLinks(snap))
	}
	pool, err := src.EnsureWorkers()
	if err != nil || pool != r.Env().Pool() || src.Workers() != pool {
		t.Fatalf("the console's pool is not the script's: %v", err)
	}

	if _, err := r.Next(ctx); err != nil {
		t.Fatal(err)
	}
	snap = src.Snapshot(ctx)
	if len(snap.Members) != 1 || src.Generation() != 2 || snap.Speed != 2 || src.Workers() != nil {
		t.Fatalf("after the second ensemble: %d members, generation %d, speed %g", len(snap.Members), src.Generation(), snap.Speed)
	}
}

// Step mode carries over to the next ensemble a script builds, which the
// script's Env already runs stretched for it: still held, not stretched
// twice.
func TestScriptedCarriesStepMode(t *testing.T) {
	src, r, ctx := scripted(t, "ensemble members=1\n\nensemble members=1\n")
	if _, err := r.Next(ctx); err != nil {
		t.Fatal(err)
	}
	if snap := src.Snapshot(ctx); len(snap.Members) != 1 {
		t.Fatalf("first ensemble: %d members", len(snap.Members))
	}
	if err := src.Net().SetStep(true); err != nil {
		t.Fatal(err)
	}
	want := time.Duration(StepStretch * float64(time.Second))
	if _, err := r.Next(ctx); err != nil {
		t.Fatal(err)
	}
	if snap := src.Snapshot(ctx); src.Generation() != 2 || !snap.Step {
		t.Fatalf("after the second ensemble: generation %d, step %v", src.Generation(), snap.Step)
	}
	if got := r.Env().Within(time.Second); got != want {
		t.Fatalf("the script's deadlines are stretched %v, want %v", got, want)
	}
	if err := src.Net().SetStep(false); err != nil {
		t.Fatal(err)
	}
	if got := r.Env().Within(time.Second); got != time.Second {
		t.Fatalf("step mode off left the deadlines at %v", got)
	}
}
