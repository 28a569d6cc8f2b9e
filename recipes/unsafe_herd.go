package recipes

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"coordtui/cluster/zk"
)

// UnsafeHerdLockProgram is the pseudo-code UnsafeHerdLock's steps point into.
var UnsafeHerdLockProgram = Program{
	"create <lock>/lock (ephemeral)",
	"if it already exists: watch <lock>/lock (exists) and wait",
	"when it is deleted: go to 1 (every waiter does, at once)",
	"I hold the lock; token = the node's czxid",
	"release: delete <lock>/lock",
}

// UnsafeHerdLock is the naive lock for teaching. UNSAFE at scale: every
// waiter watches the one lock node, so each release wakes all n waiters at
// once — n notifications, then n creates of which n-1 fail, then n-1 new
// watches — the herd effect, O(n) load per release and O(n²) to drain a
// queue. It is also unfair: whoever's create lands first wins, so a waiter
// can starve. Mutual exclusion itself holds (create is atomic), and it
// yields a fencing token like Mutex. Mutex is the fix: each waiter watches
// only its predecessor.
//
// Connection states: as Mutex, without the protected create (a lost reply
// to the create is taken as not holding; the orphan node then blocks
// everyone until the session ends).
type UnsafeHerdLock struct {
	p    *proc
	path string
	node string

	mu    sync.Mutex
	held  bool
	token Token
	waits bool
}

// NewUnsafeHerdLock returns a herd lock whose lock node is path/lock.
func NewUnsafeHerdLock(c Client, path string, opts ...Option) *UnsafeHerdLock {
	return &UnsafeHerdLock{p: newProc(c, "herd-lock", opts), path: path, node: join(path, "lock")}
}

// Acquire blocks until the lock is held, ctx ends or the session is lost.
func (l *UnsafeHerdLock) Acquire(ctx context.Context) (Token, error) {
	for {
		var tok Token
		err := l.p.op(ctx, Step{Line: 1, Kind: KindCreate, Path: l.node, Detail: modeText(zk.ModeEphemeral)}, func(s *Step) error {
			_, st, err := l.p.c.Create2(ctx, l.node, []byte(l.p.name), l.p.acl, zk.ModeEphemeral)
			if errors.Is(err, zk.ErrNodeExists) {
				s.Note = "taken"
				return nil
			}
			if err != nil {
				return checkLost(err)
			}
			tok = Token(st.Czxid)
			return nil
		})
		if errors.Is(err, zk.ErrNoNode) {
			if err = l.p.ensurePath(ctx, 1, l.path, zk.ModePersistent); err == nil {
				continue
			}
		}
		if err != nil {
			return 0, err
		}
		if tok != 0 {
			l.mu.Lock()
			l.held, l.token = true, tok
			l.mu.Unlock()
			l.p.note(4, "acquired %s, token %s", l.path, tok)
			return tok, nil
		}
		var ch <-chan zk.WatchEvent
		err = l.p.op(ctx, Step{Line: 2, Kind: KindExists, Path: l.node, Detail: "the lock itself", Watch: true, Wait: true}, func(s *Step) error {
			st, c, err := l.p.c.ExistsW(ctx, l.node)
			if err != nil {
				return checkLost(err)
			}
			if st == nil {
				// The exists watch stays armed for a create; harmless, as
				// the next round re-arms it anyway.
				s.Wait, s.Note = false, "already gone"
				return nil
			}
			ch = c
			return nil
		})
		if err != nil {
			return 0, err
		}
		if ch == nil {
			continue
		}
		l.setWaiting(true)
		_, err = l.p.await(ctx, 3, l.node, ch)
		l.setWaiting(false)
		if err != nil {
			return 0, err
		}
	}
}

func (l *UnsafeHerdLock) setWaiting(w bool) {
	l.mu.Lock()
	l.waits = w
	l.mu.Unlock()
}

// Release deletes the lock node, waking every waiter.
func (l *UnsafeHerdLock) Release(ctx context.Context) error {
	l.mu.Lock()
	held := l.held
	l.mu.Unlock()
	if !held {
		return fmt.Errorf("%w: %s", ErrNotHeld, l.path)
	}
	err := l.p.op(ctx, Step{Line: 5, Kind: KindDelete, Path: l.node, Detail: "release"}, func(s *Step) error {
		err := l.p.retry(ctx, func() error { return l.p.c.Delete(ctx, l.node, -1) })
		if errors.Is(err, zk.ErrNoNode) {
			return nil
		}
		return checkLost(err)
	})
	if err != nil && !isLost(err) {
		return err
	}
	l.mu.Lock()
	l.held, l.token = false, 0
	l.mu.Unlock()
	return err
}

// Holding reports whether the lock is held and the session connected.
func (l *UnsafeHerdLock) Holding() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held && StateOf(l.p.c.State()) == Connected
}

// View returns this client's view of the lock.
func (l *UnsafeHerdLock) View() LockView {
	l.mu.Lock()
	defer l.mu.Unlock()
	v := LockView{Client: l.p.name, Path: l.path, Holds: l.held, Token: l.token, State: StateOf(l.p.c.State())}
	if l.held {
		v.Node, v.Count = l.node, 1
	} else if l.waits {
		v.Waits = l.node
	}
	return v
}
