package recipes

import (
	"context"
	"fmt"
	"sync"
)

// MutexProgram is the pseudo-code Mutex's steps point into.
var MutexProgram = Program{
	"create <lock>/l- (ephemeral sequential), data = my name",
	"children <lock>, sorted by sequence number",
	"if mine is first: I hold the lock; token = my node's czxid",
	"else: watch the node just before mine (exists) and wait",
	"when it is deleted: go to 2",
	"release: delete my node",
}

// Mutex is a distributed mutual-exclusion lock (Curator's
// InterProcessMutex): each contender creates an ephemeral sequential node
// under the lock's path and waits for the node just before its own to go,
// so a release wakes exactly one waiter — no herd. Acquiring yields a
// fencing Token, the lock node's czxid; pass it to whatever the lock
// protects (ProtectedResource) so a holder that lost the lock without
// knowing it is refused.
//
// A reentrant Mutex (NewMutex) counts acquisitions by the same instance;
// the instance is the holder, as a Curator thread is. A non-reentrant one
// (NewNonReentrantMutex, Curator's InterProcessSemaphoreMutex) queues a
// second Acquire behind its own node, so an instance that acquires twice
// waits for itself until its context ends.
//
// Connection states: while Suspended, Holding reports false (the lock may be
// lost if the session expires meanwhile) and requests that failed with
// connection loss are retried under the RetryPolicy; the node's create is
// protected (see protectedCreate), so a lost reply leaves no orphan. When
// Lost, the node is gone with the session: Acquire fails with
// ErrSessionLost, Holding reports false, and Release returns
// ErrSessionLost; build a new Mutex on a new session to try again. An
// Acquire whose context ends deletes its node before returning.
//
// Methods are safe for concurrent use; Acquire blocks.
type Mutex struct {
	p         *proc
	path      string
	reentrant bool
	serial    chan struct{} // one Acquire at a time, for reentrancy
	prefix    string        // of its nodes' names: "l-", "read-", "write-"
	rule      decide
	lines     queueLines
	release   int // Program line of the release

	mu      sync.Mutex
	held    *contender
	count   int
	waiting []*contender
}

// Lines of MutexProgram.
var mutexLines = queueLines{create: 1, children: 2, got: 3, watch: 4, woke: 5}

const mutexRelease = 6

// NewMutex returns a reentrant lock on path for the session c.
func NewMutex(c Client, path string, opts ...Option) *Mutex {
	return newQueueMutex(newProc(c, "lock", opts), path, "l-", predecessor, mutexLines, mutexRelease, true)
}

// NewNonReentrantMutex returns a lock on path that even its holder must wait
// for.
func NewNonReentrantMutex(c Client, path string, opts ...Option) *Mutex {
	return newQueueMutex(newProc(c, "lock", opts), path, "l-", predecessor, mutexLines, mutexRelease, false)
}

func newQueueMutex(p *proc, path, prefix string, rule decide, lines queueLines, release int, reentrant bool) *Mutex {
	return &Mutex{p: p, path: path, reentrant: reentrant, serial: make(chan struct{}, 1),
		prefix: prefix, rule: rule, lines: lines, release: release}
}

// Acquire blocks until this instance holds the lock, and returns the
// fencing token; or it fails when ctx ends (its node deleted first) or the
// session is lost.
func (m *Mutex) Acquire(ctx context.Context) (Token, error) {
	if m.reentrant {
		select {
		case m.serial <- struct{}{}:
			defer func() { <-m.serial }()
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		m.mu.Lock()
		if m.held != nil && StateOf(m.p.c.State()) == Lost {
			m.held, m.count = nil, 0 // gone with the session
		}
		if m.held != nil {
			m.count++
			_, _, tok := m.held.snapshot()
			n := m.count
			m.mu.Unlock()
			m.p.note(m.lines.got, "re-entered %s (count %d), token %s", m.path, n, tok)
			return tok, nil
		}
		m.mu.Unlock()
	}
	q := &contender{p: m.p, dir: m.path, prefix: m.prefix}
	m.mu.Lock()
	m.waiting = append(m.waiting, q)
	m.mu.Unlock()
	defer m.forget(q)
	if err := q.create(ctx, m.lines.create); err != nil {
		return 0, err
	}
	if err := q.await(ctx, m.lines, m.rule); err != nil {
		if !isLost(err) {
			q.remove(ctx, m.release, "abandon", false)
		}
		return 0, err
	}
	_, _, tok := q.snapshot()
	m.mu.Lock()
	m.held, m.count = q, 1
	m.mu.Unlock()
	m.p.note(m.lines.got, "acquired %s, token %s", m.path, tok)
	return tok, nil
}

func (m *Mutex) forget(q *contender) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, w := range m.waiting {
		if w == q {
			m.waiting = append(m.waiting[:i], m.waiting[i+1:]...)
			break
		}
	}
}

// Release gives up one acquisition; the last one deletes the node, which
// wakes the next waiter. It fails with ErrNotHeld when this instance holds
// nothing, and ErrSessionLost when the session (and so the lock) was already
// gone. If the delete fails otherwise the lock is still held and Release may
// be called again.
func (m *Mutex) Release(ctx context.Context) error {
	m.mu.Lock()
	q := m.held
	if q == nil {
		m.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrNotHeld, m.path)
	}
	if m.count > 1 {
		m.count--
		n := m.count
		m.mu.Unlock()
		m.p.note(m.lines.got, "left %s once (count %d)", m.path, n)
		return nil
	}
	m.mu.Unlock()
	err := q.remove(ctx, m.release, "release", true)
	if err != nil && !isLost(err) {
		return err
	}
	m.mu.Lock()
	// A non-reentrant instance's second Acquire, queued behind this node,
	// may already hold by now (the delete woke it): leave its hold be.
	if m.held == q {
		m.held, m.count = nil, 0
	}
	m.mu.Unlock()
	if err == nil {
		m.p.note(m.release, "released %s", m.path)
	}
	return err
}

// Holding reports whether this instance holds the lock and its session is
// connected: a suspended holder may already have lost it.
func (m *Mutex) Holding() bool {
	m.mu.Lock()
	held := m.held != nil
	m.mu.Unlock()
	return held && StateOf(m.p.c.State()) == Connected
}

// Token returns the fencing token of the acquisition held, or 0.
func (m *Mutex) Token() Token {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.held == nil {
		return 0
	}
	_, _, t := m.held.snapshot()
	return t
}

// View returns a copy of what this instance knows of its place in the
// queue.
func (m *Mutex) View() LockView {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := LockView{Client: m.p.name, Path: m.path, Count: m.count, State: StateOf(m.p.c.State())}
	if m.held != nil {
		v.Node, _, v.Token = m.held.snapshot()
		v.Holds = true
		return v
	}
	for _, q := range m.waiting {
		if node, waits, tok := q.snapshot(); node != "" {
			v.Node, v.Waits, v.Token = node, waits, tok
			break
		}
	}
	return v
}

// LockView is one client's place in a lock queue, as that client sees it.
type LockView struct {
	Client string
	Path   string // the lock
	Node   string // my node, "" when none
	Waits  string // the node I wait for, "" when not waiting
	Holds  bool
	Count  int // reentrant acquisitions
	Token  Token
	State  ConnState
}

// String: "c2 /lock: l-0000000003 waits for l-0000000002",
// "c1 /lock: holds l-0000000001 token 0x2_00000005".
func (v LockView) String() string {
	s := v.Client + " " + v.Path + ":"
	switch {
	case v.Holds:
		s += fmt.Sprintf(" holds %s token %s", base(v.Node), v.Token)
		if v.Count > 1 {
			s += fmt.Sprintf(" x%d", v.Count)
		}
	case v.Waits != "" && v.Node == "":
		s += " waits for " + base(v.Waits)
	case v.Waits != "":
		s += fmt.Sprintf(" %s waits for %s", base(v.Node), base(v.Waits))
	case v.Node != "":
		s += " " + base(v.Node)
	default:
		s += " idle"
	}
	if v.State != Connected {
		s += " (" + v.State.String() + ")"
	}
	return s
}
