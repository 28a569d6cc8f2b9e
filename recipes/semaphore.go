package recipes

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"coordtui/cluster/zk"
)

// SemaphoreProgram is the pseudo-code Semaphore's steps point into.
var SemaphoreProgram = Program{
	"acquire the semaphore's own lock <sem>/locks (a Mutex)",
	"create <sem>/leases/lease- (ephemeral sequential)",
	"children <sem>/leases, and watch them",
	"if at most N leases exist: release the lock; I hold a lease (token = its czxid)",
	"else: wait for the leases to change; go to 3",
	"return a lease: delete its node",
}

// Semaphore hands out at most N leases at a time (Curator's
// InterProcessSemaphoreV2). Acquirers line up on the semaphore's own Mutex,
// so only the one at its head watches the leases: a returned lease wakes one
// client, not all. Each lease is an ephemeral node whose czxid is its
// fencing token.
//
// Connection states: as Mutex. A lease is an ephemeral, so a holder whose
// session is Lost has returned its lease without knowing (Lease.Valid turns
// false); while Suspended, Valid reports false too. An Acquire whose context
// ends returns its lease node and its place on the lock.
type Semaphore struct {
	p    *proc
	path string
	max  int
	lock *Mutex

	mu     sync.Mutex
	leases []*Lease
}

// Lease is one of a Semaphore's N permits.
type Lease struct {
	s     *Semaphore
	Node  string
	Token Token
}

// NewSemaphore returns a semaphore of max leases at path.
func NewSemaphore(c Client, path string, max int, opts ...Option) *Semaphore {
	p := newProc(c, "semaphore", opts)
	lockLines := queueLines{create: 1, children: 1, got: 1, watch: 1, woke: 1}
	return &Semaphore{p: p, path: path, max: max,
		lock: newQueueMutex(p, join(path, "locks"), "l-", predecessor, lockLines, 4, true)}
}

// Acquire blocks until this client holds a lease, and returns it.
func (s *Semaphore) Acquire(ctx context.Context) (*Lease, error) {
	if _, err := s.lock.Acquire(ctx); err != nil {
		return nil, err
	}
	l, err := s.lease(ctx)
	if rerr := s.lock.Release(ctx); rerr != nil && err == nil && !isLost(rerr) {
		err = rerr
	}
	if err != nil {
		if l != nil {
			l.drop(ctx, false)
		}
		return nil, err
	}
	s.mu.Lock()
	s.leases = append(s.leases, l)
	s.mu.Unlock()
	s.p.note(4, "holds lease %s of %s, token %s", base(l.Node), s.path, l.Token)
	return l, nil
}

// lease creates a lease node and waits, holding the semaphore's lock,
// until it is among the first max.
func (s *Semaphore) lease(ctx context.Context) (*Lease, error) {
	dir := join(s.path, "leases")
	l := &Lease{s: s}
	data := []byte(fmt.Sprintf("%s #%d", s.p.name, attempts.Add(1)))
	mode := zk.ModeEphemeralSequential
	create := func() error {
		return s.p.op(ctx, Step{Line: 2, Kind: KindCreate, Path: join(dir, "lease-"), Detail: modeText(mode)}, func(st *Step) error {
			path, stat, err := s.p.protectedCreate(ctx, join(dir, "lease-"), data, mode)
			if err != nil {
				return checkLost(err)
			}
			st.Path, l.Node, l.Token = path, path, Token(stat.Czxid)
			return nil
		})
	}
	err := create()
	if errors.Is(err, zk.ErrNoNode) {
		if err = s.p.ensurePath(ctx, 2, dir, zk.ModeContainer); err == nil {
			err = create()
		}
	}
	if err != nil {
		return nil, err
	}
	for {
		var ch <-chan zk.WatchEvent
		n := 0
		err := s.p.op(ctx, Step{Line: 3, Kind: KindChildren, Path: dir, Watch: true, Wait: true}, func(st *Step) error {
			kids, _, c, err := s.p.c.ChildrenW(ctx, dir)
			if err != nil {
				return checkLost(err)
			}
			n, ch = len(kids), c
			st.Note = fmt.Sprintf("%d of %d leases taken", n, s.max)
			if n <= s.max {
				st.Wait = false
			}
			return nil
		})
		if err != nil {
			return l, err
		}
		if n <= s.max {
			return l, nil
		}
		if _, err := s.p.await(ctx, 5, dir, ch); err != nil {
			return l, err
		}
	}
}

// Release returns the lease. A lease already gone with its session is not
// an error, but ErrSessionLost is returned so the holder knows it had lost
// it.
func (l *Lease) Release(ctx context.Context) error { return l.drop(ctx, true) }

func (l *Lease) drop(ctx context.Context, gated bool) error {
	s := l.s
	fn := func(ctx context.Context, st *Step) error {
		err := s.p.retry(ctx, func() error { return s.p.c.Delete(ctx, l.Node, -1) })
		if errors.Is(err, zk.ErrNoNode) {
			st.Note = "already gone"
			err = nil
		}
		return checkLost(err)
	}
	step := Step{Line: 6, Kind: KindDelete, Path: l.Node, Detail: "return lease"}
	var err error
	if gated {
		err = s.p.op(ctx, step, func(st *Step) error { return fn(ctx, st) })
	} else {
		err = s.p.cleanup(step, fn)
	}
	if err == nil || isLost(err) {
		s.mu.Lock()
		for i, x := range s.leases {
			if x == l {
				s.leases = append(s.leases[:i], s.leases[i+1:]...)
				break
			}
		}
		s.mu.Unlock()
	}
	return err
}

// Valid reports whether the lease is still held as far as the client can
// tell: not returned, and its session connected.
func (l *Lease) Valid() bool {
	s := l.s
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.leases {
		if x == l {
			return StateOf(s.p.c.State()) == Connected
		}
	}
	return false
}

// Leases returns the leases this instance holds.
func (s *Semaphore) Leases() []Lease {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Lease, len(s.leases))
	for i, l := range s.leases {
		out[i] = *l
	}
	return out
}

// View reports this client's part in the semaphore as a LockView: Holds
// with the newest lease's token, or its place on the semaphore's lock.
func (s *Semaphore) View() LockView {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.leases); n > 0 {
		l := s.leases[n-1]
		return LockView{Client: s.p.name, Path: s.path, Node: l.Node, Holds: true, Count: n, Token: l.Token, State: StateOf(s.p.c.State())}
	}
	v := s.lock.View()
	v.Holds, v.Token, v.Path = false, 0, s.path
	return v
}
