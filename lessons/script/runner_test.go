package script_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"coordtui/cluster"
	"coordtui/lessons/script"
)

func run(t *testing.T, src string, cfg script.Config) *script.Runner {
	t.Helper()
	s, err := script.Parse("t", src)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timing = cluster.TestTiming
	r, err := script.NewRunner(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	return r
}

// A claim that does not hold, a step that errs and a transcript that
// differs are each reported: the golden tests could not fail otherwise.
func TestFailuresAreReported(t *testing.T) {
	r := run(t, `ensemble members=1
----
ensemble of 1: n1 leads alone

assert znode /nothing-here

crash n7

zk c1 ls /
----
something else
`, script.Config{})
	held, failed := r.Tally()
	if held != 0 || failed != 3 {
		t.Fatalf("held %d failed %d", held, failed)
	}
	res := r.Results()
	if res[0].Failed() || !res[0].Matches() {
		t.Fatalf("ensemble step: %+v", res[0])
	}
	if !res[1].Failed() || !strings.HasPrefix(res[1].Lines[0], "FAILED: /nothing-here exists") {
		t.Fatalf("assert: %q", res[1].Lines)
	}
	if res[2].Err == nil || res[2].Lines[0] != "error: there is no member n7" {
		t.Fatalf("crash n7: %v %q", res[2].Err, res[2].Lines)
	}
	if len(r.Mismatches()) != 3 {
		t.Fatalf("mismatches: %d", len(r.Mismatches()))
	}
}

func TestUnknownCommandsAreCaughtBeforeRunning(t *testing.T) {
	s, _ := script.Parse("t", "ensemble members=1\n\nfrobnicate n1\n\nwait sunshine\n")
	_, err := script.NewRunner(s, script.Config{})
	if err == nil || !strings.Contains(err.Error(), `t:3: unknown command "frobnicate"`) ||
		!strings.Contains(err.Error(), `t:5: unknown predicate "sunshine"`) {
		t.Fatalf("%v", err)
	}
}

// learner answers wrong first, then right, and solves exercises with the
// reference solution, as a person pressing "show" would.
type learner struct{ answers []string }

func (l *learner) Answer(ctx context.Context, q *script.Quiz, attempt int) (string, error) {
	a := l.answers[0]
	l.answers = l.answers[1:]
	return a, nil
}

func (l *learner) Exercise(ctx context.Context, x *script.Exercise) error {
	if ok, _ := x.Check(ctx); ok {
		return nil // nothing done yet cannot pass
	}
	if _, err := x.Solve(ctx); err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ok, _ := x.Check(ctx); ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return script.ErrSkipped
}

func TestALearnerAnswersAndExercises(t *testing.T) {
	l := &learner{answers: []string{"c", "a", "b"}}
	r := run(t, `ensemble members=1

client you on=n1

exercise make
  Make /x.
  do: zk you create /x
  check: znode /x

quiz
  Pick b.
  a) no
  b) yes
  c) no
  answer: b
`, script.Config{Learner: l})
	res := r.Results()
	if got := strings.Join(res[2].Lines, "|"); got != "done by you|ok: /x exists|exercise make: done" {
		t.Fatalf("exercise: %s", got)
	}
	if got := strings.Join(res[3].Lines, "|"); got != "answered c: not quite, try again|answered a: not quite, try again|answered b: right|ok: quiz answered" {
		t.Fatalf("quiz: %s", got)
	}
}

func TestHeadlessPrintsTheNarratedTranscript(t *testing.T) {
	s, _ := script.Parse("h", `title Tiny

claim
  One member leads alone.

narrate
  A single member.

ensemble members=1
----
ensemble of 1: n1 leads alone

assert leader
----
ok: n1 leads

assert gone /x
----
ok: /x does not exist
`)
	var b strings.Builder
	ok, err := script.Headless(context.Background(), s, script.Config{Timing: cluster.TestTiming}, &b)
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	want := `== Tiny ==

claim: One member leads alone.

A single member.

$ ensemble members=1
  ensemble of 1: n1 leads alone
$ assert leader
  ok: n1 leads
$ assert gone /x
  ok: /x does not exist

2 claims held, 0 failed
`
	if b.String() != want {
		t.Fatalf("got\n%s", b.String())
	}
	s2, _ := script.Parse("h", "ensemble members=1\n\nassert znode /x\n")
	b.Reset()
	if ok, err := script.Headless(context.Background(), s2, script.Config{Timing: cluster.TestTiming}, &b); ok || err != nil {
		t.Fatalf("a failed claim reported ok=%v err=%v", ok, err)
	}
	if !strings.HasSuffix(b.String(), "0 claims held, 1 failed\n(2 steps printed other than the script records)\n") {
		t.Fatalf("tally:\n%s", b.String())
	}
}

// Going back rebuilds the world: Replay runs the first steps again on a new
// ensemble, and the results are those of the new run.
func TestReplayRebuildsTheWorld(t *testing.T) {
	r := run(t, "ensemble members=1\n\nclient c1\n\nzk c1 create /a x\n\nassert znode /a data=x\n", script.Config{})
	first := r.Env().Ensemble()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := r.Replay(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if r.Pos() != 2 || r.Env().Ensemble() == first || r.Env().Ensemble() == nil {
		t.Fatalf("pos %d, ensemble replaced: %v", r.Pos(), r.Env().Ensemble() != first)
	}
	// /a was made by step 3, which has not run again.
	res, err := r.Next(ctx)
	if err != nil || res.Failed() {
		t.Fatalf("step 3 again: %v %q", err, res.Lines)
	}
	res, _ = r.Next(ctx)
	if res.Failed() {
		t.Fatalf("step 4 again: %q", res.Lines)
	}
}

func TestConcernsResolveMembers(t *testing.T) {
	r := run(t, "ensemble members=3\n\ncrash leader as=old\n\nwait leader not=old as=L2\n", script.Config{})
	res := r.Results()
	if got := res[1].Concerns.Members; len(got) != 1 || got[0] != 1 {
		t.Fatalf("crash leader concerns %v", got)
	}
	if got := res[2].Concerns.Members; len(got) != 1 || got[0] == 1 {
		t.Fatalf("the new leader is a member other than n1: %v", got)
	}
	if got := res[1].Concerns.Names; len(got) != 1 || got[0] != "leader" {
		t.Fatalf("names as written: %v", got)
	}
}
