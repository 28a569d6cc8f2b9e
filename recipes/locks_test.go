package recipes

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Readers share; a writer waits for the readers ahead of it; a reader
// behind a writer waits for the writer.
func TestReadWriteLock(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		rec := NewRecorder()
		rw := func(name string) *ReadWriteLock {
			return NewReadWriteLock(e.session(name, 4*time.Second), "/rw", WithName(name), WithTracer(rec))
		}
		r1, r2, w, r3 := rw("r1").ReadLock(), rw("r2").ReadLock(), rw("w").WriteLock(), rw("r3").ReadLock()
		if _, err := r1.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := r2.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		if !r1.Holding() || !r2.Holding() {
			t.Fatal("two readers should hold at once")
		}
		wGot := async(func() (Token, error) { return w.Acquire(ctx) })
		if s := waiting(t, rec, "w"); base(s.Path) != "read-0000000001" {
			t.Fatalf("the writer should wait for the reader just ahead: %v", s)
		}
		r3Got := async(func() (Token, error) { return r3.Acquire(ctx) })
		if s := waiting(t, rec, "r3"); base(s.Path) != "write-0000000002" {
			t.Fatalf("a reader behind a writer should wait for it: %v", s)
		}
		r1.Release(ctx)
		r2.Release(ctx)
		wt := recv(t, wGot, "writer")
		if r3.Holding() {
			t.Fatal("a reader holds while the writer does")
		}
		w.Release(ctx)
		if rt := recv(t, r3Got, "r3"); rt <= wt {
			t.Fatalf("tokens %v then %v", wt, rt)
		}
		r3.Release(ctx)
	})
}

// At most N leases at once, checked by counting holders; a returned lease
// lets a waiter in.
func TestSemaphoreLeases(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 60*time.Second)
		const max, clients, rounds = 2, 4, 3
		var inside, peak atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan error, clients)
		for i := range clients {
			name := fmt.Sprintf("c%d", i+1)
			s := NewSemaphore(e.session(name, 4*time.Second), "/sem", max, WithName(name))
			wg.Go(func() {
				for range rounds {
					l, err := s.Acquire(ctx)
					if err != nil {
						errs <- err
						return
					}
					n := inside.Add(1)
					for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
					}
					if n > max {
						errs <- fmt.Errorf("%d holders at once", n)
					}
					inside.Add(-1)
					if err := l.Release(ctx); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}

		rec := NewRecorder()
		sem := func(name string) *Semaphore {
			return NewSemaphore(e.session(name, 4*time.Second), "/sem2", 2, WithName(name), WithTracer(rec))
		}
		a, bb, c := sem("a"), sem("b"), sem("c")
		la, err := a.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bb.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		got := async(func() (*Lease, error) { return c.Acquire(ctx) })
		if s := waiting(t, rec, "c"); s.Path != "/sem2/leases" {
			t.Fatalf("c should wait on the leases: %v", s)
		}
		if err := la.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if l := recv(t, got, "c's lease"); l.Token <= la.Token || !l.Valid() {
			t.Fatalf("c's lease %v", l)
		}
	})
}

// A multi-lock takes all its locks or none, and waits for a lock another
// client holds.
func TestMultiLock(t *testing.T) {
	both(t, func(t *testing.T, b backend) {
		e := newEnv(t, b)
		ctx := ctxT(t, 30*time.Second)
		rec := NewRecorder()
		single := NewMutex(e.session("s", 4*time.Second), "/b", WithName("s"), WithTracer(rec))
		multi := NewMultiLock(e.session("m", 4*time.Second), []string{"/b", "/a"}, WithName("m"), WithTracer(rec))
		if _, err := single.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithCancel(ctx)
		got := async(func() ([]Token, error) { return multi.Acquire(wctx) })
		if s := waiting(t, rec, "m"); s.Path != "/b/l-0000000000" {
			t.Fatalf("m should hold /a and wait on /b: %v", s)
		}
		if !multi.Locks()[0].Holding() {
			t.Fatal("m does not hold /a while waiting for /b")
		}
		cancel()
		if r := <-got; r.err == nil {
			t.Fatal("a cancelled multi-lock acquired")
		}
		if multi.Locks()[0].Holding() {
			t.Fatal("all or none: /a still held after the acquire failed")
		}
		got = async(func() ([]Token, error) { return multi.Acquire(ctx) })
		waiting(t, rec, "m")
		single.Release(ctx)
		if toks := recv(t, got, "multi"); len(toks) != 2 || !multi.Holding() {
			t.Fatalf("tokens %v holding %v", toks, multi.Holding())
		}
		if err := multi.Release(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
