package worker

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"coordtui/cluster/zk"
)

// DefaultRoot is where workers register their ephemerals.
const DefaultRoot = "/workers"

// ErrNoWorker is returned for an id the pool does not know.
var ErrNoWorker = errors.New("worker: no such worker")

// Config configures a Pool.
type Config struct {
	ConnString     string        // "host:port,...[/chroot]"
	Root           string        // parent of the ephemerals; DefaultRoot if empty
	SessionTimeout time.Duration // asked of the ensemble; 0 asks for 4 s
	Options        []zk.Option   // e.g. zk.WithAuth, zk.WithTLS; applied to every worker
	// Observer, if set, is the session Expire uses to see a frozen worker's
	// ephemeral disappear. If nil the pool opens one of its own on first
	// use and closes it in Close.
	Observer *zk.Client
}

// Pool runs workers. All methods are safe for concurrent use. Methods that
// talk to the ensemble block and take a context; the rest return promptly.
type Pool struct {
	cfg Config

	mu       sync.Mutex
	next     int
	workers  map[int]*worker
	subs     map[*Subscription]struct{}
	observer *zk.Client
	ownObs   bool
	closed   bool

	rootMu   sync.Mutex // held while the root is being made
	rootMade bool
}

type worker struct {
	info   Info
	client *zk.Client // nil until Connect returned
}

// NewPool returns an empty pool; it connects nothing until Start.
func NewPool(cfg Config) *Pool {
	if cfg.Root == "" {
		cfg.Root = DefaultRoot
	}
	if cfg.SessionTimeout == 0 {
		cfg.SessionTimeout = 4 * time.Second
	}
	return &Pool{cfg: cfg, workers: make(map[int]*worker), subs: make(map[*Subscription]struct{}), observer: cfg.Observer}
}

// Root is the znode the workers register under.
func (p *Pool) Root() string { return p.cfg.Root }

// Start starts n workers at once and returns when every one of them has
// connected and registered its ephemeral, or failed, or ctx ended. It
// returns the workers it started (failed ones included, with Err set) and
// the failures joined.
func (p *Pool) Start(ctx context.Context, n int) ([]Info, error) { return p.StartWith(ctx, n, 0) }

// StartWith is Start with the session timeout the new workers ask for
// (0: the pool's), so that workers of one pool may differ: a lesson asks for
// 2 s sessions after a learner already started workers of the default.
func (p *Pool) StartWith(ctx context.Context, n int, timeout time.Duration) ([]Info, error) {
	if n < 1 {
		return nil, fmt.Errorf("worker: start %d workers: need at least one", n)
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, errors.New("worker: pool closed")
	}
	ids := make([]int, n)
	for i := range ids {
		p.next++
		ids[i] = p.next
		w := &worker{info: Info{ID: p.next, Name: fmt.Sprintf("w%d", p.next), State: Connecting, Since: time.Now()}}
		p.workers[w.info.ID] = w
		p.publishLocked(w, Connecting)
	}
	p.mu.Unlock()

	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { errs[i] = p.run(ctx, id, timeout) })
	}
	wg.Wait()
	out := make([]Info, 0, n)
	for _, id := range ids {
		if info, ok := p.Get(id); ok {
			out = append(out, info)
		}
	}
	return out, errors.Join(errs...)
}

// run connects worker id and registers its ephemeral.
func (p *Pool) run(ctx context.Context, id int, timeout time.Duration) error {
	if timeout == 0 {
		timeout = p.cfg.SessionTimeout
	}
	opts := append(slices.Clone(p.cfg.Options),
		zk.WithSessionTimeout(timeout),
		zk.WithStateCallback(func(ev zk.StateEvent) { p.onState(id, ev) }))
	c, err := zk.Connect(ctx, p.cfg.ConnString, opts...)
	if err != nil {
		p.fail(id, err)
		return fmt.Errorf("w%d: %w", id, err)
	}
	p.mu.Lock()
	w := p.workers[id]
	w.client = c
	w.info.Session, w.info.Timeout = c.SessionID(), c.SessionTimeout()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		c.Close()
		return errors.New("worker: pool closed")
	}
	if err := p.ensureRoot(ctx, c); err != nil {
		p.fail(id, err)
		return fmt.Errorf("w%d: create %s: %w", id, p.cfg.Root, err)
	}
	path := fmt.Sprintf("%s/w%d", p.cfg.Root, id)
	data := []byte(fmt.Sprintf("worker w%d session 0x%x", id, c.SessionID()))
	if _, err := c.Create(ctx, path, data, zk.WorldACL(zk.PermAll), zk.ModeEphemeral); err != nil {
		p.fail(id, err)
		return fmt.Errorf("w%d: register %s: %w", id, path, err)
	}
	p.update(id, func(i *Info) { i.Path = path })
	return nil
}

// ensureRoot creates the root once per pool: workers started together
// would otherwise each try, and every failed create still costs the
// ensemble a transaction (and the zxid log a confusing line).
func (p *Pool) ensureRoot(ctx context.Context, c *zk.Client) error {
	p.rootMu.Lock()
	defer p.rootMu.Unlock()
	if p.rootMade {
		return nil
	}
	st, err := c.Exists(ctx, p.cfg.Root)
	if err == nil && st == nil {
		_, err = c.Create(ctx, p.cfg.Root, nil, zk.WorldACL(zk.PermAll), zk.ModePersistent)
	}
	if err != nil && !errors.Is(err, zk.ErrNodeExists) {
		return err
	}
	p.rootMade = true
	return nil
}

// onState records a client state change; it runs on the worker's client
// delivery goroutine and never blocks.
func (p *Pool) onState(id int, ev zk.StateEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.workers[id]
	if w == nil {
		return
	}
	prev := w.info.State
	w.info.State = stateOf(ev.State)
	w.info.Server = ev.Server
	w.info.Since = time.Now()
	if ev.SessionID != 0 {
		w.info.Session = ev.SessionID
	}
	if ev.Err != nil && w.info.State != Connected {
		w.info.Err = ev.Err.Error()
	}
	if w.info.State == Connected {
		w.info.Err = ""
	}
	p.publishLocked(w, prev)
}

func (p *Pool) fail(id int, err error) {
	p.update(id, func(i *Info) { i.Err = err.Error() })
}

// update changes worker id's info under the lock and reports the change.
func (p *Pool) update(id int, fn func(*Info)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w := p.workers[id]; w != nil {
		prev := w.info.State
		fn(&w.info)
		p.publishLocked(w, prev)
	}
}

// client returns worker id's client, or an error if it has none.
func (p *Pool) client(id int) (*zk.Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.workers[id]
	if w == nil {
		return nil, fmt.Errorf("%w: w%d", ErrNoWorker, id)
	}
	if w.client == nil {
		return nil, fmt.Errorf("worker: w%d has not connected", id)
	}
	return w.client, nil
}

// List returns every worker the pool started, by id, as copies.
func (p *Pool) List() []Info {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Info, 0, len(p.workers))
	for _, w := range p.workers {
		out = append(out, w.info)
	}
	slices.SortFunc(out, func(a, b Info) int { return a.ID - b.ID })
	return out
}

// Get returns a copy of worker id.
func (p *Pool) Get(id int) (Info, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w := p.workers[id]; w != nil {
		return w.info, true
	}
	return Info{}, false
}

// Forget drops finished workers (closed or expired) from the list and
// returns how many it dropped.
func (p *Pool) Forget() int {
	p.mu.Lock()
	var done []*zk.Client
	for id, w := range p.workers {
		if w.info.State == Closed || w.info.State == Expired {
			if w.client != nil {
				done = append(done, w.client)
			}
			delete(p.workers, id)
		}
	}
	p.mu.Unlock()
	for _, c := range done {
		c.Close() // an expired client still holds its goroutines; a closed one returns at once
	}
	return len(done)
}

// Close stops every worker cleanly (closeSession), closes the pool's own
// observer session and every subscription. It waits for all of them.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	var clients []*zk.Client
	for _, w := range p.workers {
		if w.client != nil {
			clients = append(clients, w.client)
		}
	}
	obs := p.observer
	if !p.ownObs {
		obs = nil
	}
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() { c.Close() })
	}
	wg.Wait()
	if obs != nil {
		obs.Close()
	}
	p.mu.Lock()
	for s := range p.subs {
		s.closeLocked()
	}
	p.subs = nil
	p.mu.Unlock()
	return nil
}
