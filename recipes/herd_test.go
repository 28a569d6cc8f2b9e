package recipes

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"coordtui/cluster"
	"coordtui/tree"
)

// lastSteps keeps each client's last finished step, and lets a test wait
// until they satisfy a condition.
type lastSteps struct {
	mu      sync.Mutex
	last    map[string]Step
	changed chan struct{}
}

func newLastSteps() *lastSteps {
	return &lastSteps{last: make(map[string]Step), changed: make(chan struct{})}
}

func (l *lastSteps) Trace(s Step) {
	if s.Phase == Next {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last[s.Client] = s
	close(l.changed)
	l.changed = make(chan struct{})
}

// waitFor waits until cond holds over the clients' last steps.
func (l *lastSteps) waitFor(t testing.TB, what string, cond func(map[string]Step) bool) {
	t.Helper()
	deadline := time.NewTimer(20 * time.Second)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		ok, ch := cond(l.last), l.changed
		l.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// settled: exactly one client holds (its last step is the acquisition),
// and want others wait on a watch.
func settled(want int) func(map[string]Step) bool {
	return func(last map[string]Step) bool {
		holders, waiting := 0, 0
		for _, s := range last {
			switch {
			case s.Kind == KindState && len(s.Note) > 8 && s.Note[:8] == "acquired":
				holders++
			case s.Wait && s.Phase == Done:
				waiting++
			}
		}
		return holders == 1 && waiting == want
	}
}

// counts sums the ensemble's exact counters over its members.
type counts struct{ notifications, create, exists, getData, children uint64 }

func countNow(e *cluster.Ensemble) counts {
	var c counts
	for _, n := range e.Nodes() {
		k := n.Counters()
		c.notifications += k.Notifications()
		c.create += k.Requests(tree.OpCreate) + k.Requests(tree.OpCreate2)
		c.exists += k.Requests(tree.OpExists)
		c.getData += k.Requests(tree.OpGetData)
		c.children += k.Requests(tree.OpGetChildren) + k.Requests(tree.OpGetChildren2)
	}
	return c
}

func (c counts) minus(o counts) counts {
	return counts{c.notifications - o.notifications, c.create - o.create, c.exists - o.exists,
		c.getData - o.getData, c.children - o.children}
}

func (c counts) String() string {
	return fmt.Sprintf("%d notifications, follow-ups: %d create, %d exists, %d getData, %d getChildren",
		c.notifications, c.create, c.exists, c.getData, c.children)
}

// locker is what the herd test needs of a lock.
type locker interface {
	Acquire(ctx context.Context) (Token, error)
	Release(ctx context.Context) error
	Holding() bool
	View() LockView
}

// The herd effect, on the ensemble's exact counters: with 100 clients
// waiting, one release of the herd lock wakes all of them and each sends a
// create, and the losers a new exists; one release of Mutex wakes one
// client, which sends one getChildren.
func TestHerdEffect(t *testing.T) {
	b := coordtui(t)
	e := newEnv(t, b)
	const waiters, releases = 100, 3
	sessions := make([]*Session, waiters+1)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Go(func() { sessions[i] = e.session(fmt.Sprintf("c%d", i), 4*time.Second) })
	}
	wg.Wait()
	for i, s := range sessions {
		if s == nil {
			t.Fatalf("session %d did not connect", i)
		}
	}

	run := func(name string, mk func(c Client, client string, tr Tracer) locker) []counts {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		tr := newLastSteps()
		locks := make([]locker, len(sessions))
		for i, s := range sessions {
			locks[i] = mk(s, fmt.Sprintf("c%d", i), tr)
		}
		if _, err := locks[0].Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		acquired := make(chan int, len(locks))
		waitCtx, stop := context.WithCancel(ctx)
		var running sync.WaitGroup
		for i := 1; i < len(locks); i++ {
			running.Go(func() {
				if _, err := locks[i].Acquire(waitCtx); err == nil {
					acquired <- i
				}
			})
		}
		defer func() {
			stop()
			running.Wait()
			for _, l := range locks {
				if l.Holding() {
					l.Release(context.Background())
				}
			}
		}()
		tr.waitFor(t, name+": every client waiting", settled(waiters))
		holder := 0
		var deltas []counts
		for r := 1; r <= releases; r++ {
			before := countNow(b.ens)
			if err := locks[holder].Release(ctx); err != nil {
				t.Fatal(err)
			}
			select {
			case holder = <-acquired:
			case <-ctx.Done():
				t.Fatalf("%s: nobody acquired after release %d", name, r)
			}
			tr.waitFor(t, fmt.Sprintf("%s: settled after release %d", name, r), settled(waiters-r))
			d := countNow(b.ens).minus(before)
			t.Logf("%s release %d (%d waiting): %v", name, r, waiters-r+1, d)
			deltas = append(deltas, d)
		}
		return deltas
	}

	herd := run("herd lock", func(c Client, client string, tr Tracer) locker {
		return NewUnsafeHerdLock(c, "/herd", WithName(client), WithTracer(tr))
	})
	for i, d := range herd {
		woken := uint64(waiters - i) // everyone still waiting
		if d.notifications != woken || d.create != woken || d.exists != woken-1 || d.children != 0 {
			t.Errorf("herd lock release %d with %d waiting: %v; want %d notifications, %d creates, %d exists",
				i+1, woken, d, woken, woken, woken-1)
		}
	}
	pred := run("mutex", func(c Client, client string, tr Tracer) locker {
		return NewMutex(c, "/mutex", WithName(client), WithTracer(tr))
	})
	for i, d := range pred {
		if d.notifications != 1 || d.children != 1 || d.create != 0 || d.exists != 0 || d.getData != 0 {
			t.Errorf("mutex release %d: %v; want 1 notification and 1 getChildren", i+1, d)
		}
	}
}
