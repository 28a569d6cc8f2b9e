package recipes

import (
	"context"
	"errors"
	"sync"

	"coordtui/cluster/zk"
)

// LeaderSelectorProgram is the pseudo-code LeaderSelector's steps point into
// (lines 1-6 are Mutex's).
var LeaderSelectorProgram = Program{
	"create <election>/l- (ephemeral sequential), data = my name",
	"children <election>, sorted by sequence number",
	"if mine is first: I lead; run takeLeadership(token)",
	"else: watch the node just before mine and wait",
	"when it is deleted: go to 2",
	"when takeLeadership returns: delete my node (leadership passes on)",
	"if auto-requeue: go to 1",
}

// LeaderSelector runs a function while this client leads (Curator's
// LeaderSelector): it queues on a Mutex at the election's path, and when it
// acquires it calls takeLeadership with a context and the fencing token;
// when the function returns, leadership passes to the next in line. With
// AutoRequeue the selector then queues again.
//
// Connection states, as Curator's default listener: when the connection is
// Suspended or the session Lost, takeLeadership's context is cancelled —
// the function must stop acting as leader at once (its token may already be
// stale). This needs a client that reports state changes (StateNotifier,
// e.g. Session); with a plain client only Close cancels it. After a Lost
// session the selector stops with ErrSessionLost (see Err).
type LeaderSelector struct {
	m       *Mutex
	fn      func(ctx context.Context, token Token) error
	requeue bool

	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	done    chan struct{}
	leading bool
	terms   int
	err     error
}

// NewLeaderSelector returns a selector for the election at path that runs
// takeLeadership whenever this client leads. Start starts it.
func NewLeaderSelector(c Client, path string, takeLeadership func(ctx context.Context, token Token) error, opts ...Option) *LeaderSelector {
	return &LeaderSelector{m: newQueueMutex(newProc(c, "selector", opts), path, "l-", predecessor, mutexLines, mutexRelease, false),
		fn: takeLeadership, done: make(chan struct{})}
}

// AutoRequeue makes the selector queue again after each term; call it
// before Start.
func (s *LeaderSelector) AutoRequeue() { s.requeue = true }

// Start starts competing, on a goroutine the selector owns until Close.
func (s *LeaderSelector) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return
	}
	s.started = true
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go s.run(ctx)
}

func (s *LeaderSelector) run(ctx context.Context) {
	defer close(s.done)
	for {
		tok, err := s.m.Acquire(ctx)
		if err != nil {
			s.finish(err)
			return
		}
		err = s.term(ctx, tok)
		if rerr := s.m.Release(context.WithoutCancel(ctx)); rerr != nil && !errors.Is(rerr, ErrSessionLost) {
			err = errors.Join(err, rerr)
		}
		if StateOf(s.m.p.c.State()) == Lost {
			s.finish(lostErr(zk.ErrSessionExpired))
			return
		}
		if !s.requeue || ctx.Err() != nil {
			s.finish(err)
			return
		}
	}
}

// term runs one term of leadership, cancelling it when the connection is
// suspended or lost.
func (s *LeaderSelector) term(ctx context.Context, tok Token) error {
	tctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := onState(s.m.p.c, func(ev zk.StateEvent) {
		if StateOf(ev.State) != Connected {
			cancel()
		}
	})
	defer stop()
	if StateOf(s.m.p.c.State()) != Connected {
		cancel()
	}
	s.mu.Lock()
	s.leading = true
	s.terms++
	s.mu.Unlock()
	s.m.p.note(3, "leads %s, token %s: takeLeadership", s.m.path, tok)
	err := s.fn(tctx, tok)
	s.mu.Lock()
	s.leading = false
	s.mu.Unlock()
	s.m.p.note(6, "gave up leading %s", s.m.path)
	if errors.Is(err, context.Canceled) {
		err = nil // asked to stop: the expected end of a term
	}
	return err
}

func (s *LeaderSelector) finish(err error) {
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// IsLeader reports whether takeLeadership is running and the session is
// connected.
func (s *LeaderSelector) IsLeader() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.leading && StateOf(s.m.p.c.State()) == Connected
}

// Terms counts how many times this client has led.
func (s *LeaderSelector) Terms() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.terms
}

// Err returns why the selector stopped (nil while running or after Close).
func (s *LeaderSelector) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Done is closed when the selector has stopped.
func (s *LeaderSelector) Done() <-chan struct{} { return s.done }

// Close stops competing: a running takeLeadership is cancelled, the node is
// deleted, and Close waits for the goroutine.
func (s *LeaderSelector) Close() error {
	s.mu.Lock()
	started, cancel := s.started, s.cancel
	s.mu.Unlock()
	if !started {
		return nil
	}
	cancel()
	<-s.done
	return nil
}

// View returns this client's place in the election.
func (s *LeaderSelector) View() LockView { return s.m.View() }
