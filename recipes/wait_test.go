package recipes

import (
	"testing"
	"time"

	"coordtui/cluster/zk"
)

// waitState waits for a session's client state, using its notifications.
func waitState(t testing.TB, s *Session, want zk.State) {
	t.Helper()
	changed := make(chan struct{}, 1)
	stop := s.OnStateChange(func(zk.StateEvent) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer stop()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for s.State() != want {
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("session %x: state %v, want %v", s.SessionID(), s.State(), want)
		}
	}
}

// eventually polls cond (for state that has no change signal) until it
// holds, failing after d.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, what)
		}
		<-tick.C
	}
}

// async runs fn on a goroutine and returns a channel with its result.
func async[T any](fn func() (T, error)) <-chan result[T] {
	ch := make(chan result[T], 1)
	go func() {
		v, err := fn()
		ch <- result[T]{v, err}
	}()
	return ch
}

type result[T any] struct {
	v   T
	err error
}

func recv[T any](t testing.TB, ch <-chan result[T], what string) T {
	t.Helper()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("%s: %v", what, r.err)
		}
		return r.v
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: no result in 30 s", what)
	}
	var zero T
	return zero
}

// waiting waits until client's last finished step in rec is a watch it now
// waits on (it armed the watch and has not woken since).
func waiting(t testing.TB, rec *Recorder, client string) Step {
	t.Helper()
	steps, err := rec.WaitFor(ctxT(t, 30*time.Second), func(steps []Step) bool {
		s, ok := lastDone(steps, client)
		return ok && s.Wait && s.Phase == Done
	})
	if err != nil {
		t.Fatalf("%s never waited; steps: %v", client, lines(steps, client))
	}
	s, _ := lastDone(steps, client)
	return s
}

// lastDone returns client's last finished step.
func lastDone(steps []Step, client string) (Step, bool) {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Client == client && steps[i].Phase != Next {
			return steps[i], true
		}
	}
	return Step{}, false
}

func lines(steps []Step, client string) []string {
	var out []string
	for _, s := range steps {
		if s.Phase != Next && (client == "" || s.Client == client) {
			out = append(out, s.String())
		}
	}
	return out
}
