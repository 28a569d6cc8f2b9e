package recipes

import (
	"context"
	"slices"
	"sync"

	"coordtui/cluster/zk"
)

// Client is the part of a ZooKeeper session the recipes call. *zk.Client
// satisfies it, and so does *Session. Every method may block on the network
// and must honour ctx; one-shot watch channels receive exactly one event
// (EventNotWatching when the session ends first), as zk.Client documents.
type Client interface {
	Create2(ctx context.Context, path string, data []byte, acl []zk.ACL, mode zk.CreateMode) (string, *zk.Stat, error)
	Delete(ctx context.Context, path string, version int32) error
	Exists(ctx context.Context, path string) (*zk.Stat, error)
	ExistsW(ctx context.Context, path string) (*zk.Stat, <-chan zk.WatchEvent, error)
	Get(ctx context.Context, path string) ([]byte, *zk.Stat, error)
	GetW(ctx context.Context, path string) ([]byte, *zk.Stat, <-chan zk.WatchEvent, error)
	Children2(ctx context.Context, path string) ([]string, *zk.Stat, error)
	ChildrenW(ctx context.Context, path string) ([]string, *zk.Stat, <-chan zk.WatchEvent, error)
	Set(ctx context.Context, path string, data []byte, version int32) (*zk.Stat, error)
	Multi(ctx context.Context, ops ...zk.Op) ([]zk.MultiResult, error)
	Sync(ctx context.Context, path string) (string, error)
	AddWatch(ctx context.Context, path string, mode zk.AddWatchMode, fn func(zk.WatchEvent)) error
	RemoveWatches(ctx context.Context, path string, t zk.WatcherType) error
	GetEphemerals(ctx context.Context, prefix string) ([]string, error)
	SessionID() int64
	State() zk.State
}

var _ Client = (*zk.Client)(nil)

// StateNotifier is implemented by clients that report connection-state
// changes as they happen. Recipes that must react to a change while they
// wait on nothing (a leader that must stop leading when its connection is
// suspended) use it when their client has it, and otherwise only notice the
// state when they next look at Client.State.
type StateNotifier interface {
	// OnStateChange calls fn with every later state change, in order,
	// until stop is called. fn runs on the client's delivery goroutine and
	// must not block.
	OnStateChange(fn func(zk.StateEvent)) (stop func())
}

// Session is a *zk.Client that also reports state changes to any number of
// listeners (StateNotifier).
type Session struct {
	*zk.Client
	listeners *listeners
}

var _ StateNotifier = (*Session)(nil)

// Connect opens a session as zk.Connect does, with a state callback that
// feeds the Session's listeners. Any zk.WithStateCallback among opts still
// runs too.
func Connect(ctx context.Context, connStr string, opts ...zk.Option) (*Session, error) {
	ls := &listeners{fns: make(map[int]func(zk.StateEvent))}
	opts = append(opts[:len(opts):len(opts)], zk.WithStateCallback(ls.deliver))
	c, err := zk.Connect(ctx, connStr, opts...)
	if err != nil {
		return nil, err
	}
	return &Session{Client: c, listeners: ls}, nil
}

// OnStateChange implements StateNotifier.
func (s *Session) OnStateChange(fn func(zk.StateEvent)) (stop func()) {
	return s.listeners.add(fn)
}

// listeners fans one state callback out to many.
type listeners struct {
	mu   sync.Mutex
	next int
	fns  map[int]func(zk.StateEvent)
}

func (l *listeners) add(fn func(zk.StateEvent)) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.next
	l.next++
	l.fns[id] = fn
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.fns, id)
	}
}

func (l *listeners) deliver(ev zk.StateEvent) {
	l.mu.Lock()
	ids := make([]int, 0, len(l.fns))
	for id := range l.fns {
		ids = append(ids, id)
	}
	fns := make([]func(zk.StateEvent), 0, len(ids))
	slices.Sort(ids)
	for _, id := range ids {
		fns = append(fns, l.fns[id])
	}
	l.mu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
}

// NotifierFunc adapts a registration function to StateNotifier, for clients
// whose state changes arrive elsewhere (a worker pool's subscription).
type NotifierFunc func(fn func(zk.StateEvent)) (stop func())

// OnStateChange implements StateNotifier.
func (f NotifierFunc) OnStateChange(fn func(zk.StateEvent)) func() { return f(fn) }

// onState registers fn with c if c can report state changes, and returns
// the function that unregisters it (a no-op otherwise).
func onState(c Client, fn func(zk.StateEvent)) func() {
	if n, ok := unwrap(c).(StateNotifier); ok {
		return n.OnStateChange(fn)
	}
	return func() {}
}
