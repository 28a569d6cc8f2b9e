package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"coordtui/recipes"
	"coordtui/recipes/worker"
)

// Config configures a Runner.
type Config struct {
	Recipe Recipe
	Path   string // the znode the recipe works under; default "/" + the recipe's name
	// Rounds is how many times each client goes round its loop; 0 means
	// until it is removed or the runner closes.
	Rounds int
	// Leases is the Semaphore's size; default 2.
	Leases int
	// Tracer, if set, also sees every step (the console's log).
	Tracer recipes.Tracer
	// Together starts the clients running freely instead of held at the
	// gate.
	Together bool
}

// ErrUnknown is returned for a recipe or client the runner does not know.
var ErrUnknown = errors.New("runner: unknown")

// Runner runs one recipe with several clients. All methods are safe for
// concurrent use and return promptly; the clients run on goroutines the
// runner owns until Remove or Close.
type Runner struct {
	cfg  Config
	info Info
	gate *recipes.StepGate
	res  *recipes.ProtectedResource

	mu      sync.Mutex
	clients map[string]*state
	tokens  []TokenEvent // the latest logSize
	counts  TokenCounts  // every token event, for the totals
	log     []string
	changed chan struct{}
	closed  bool
	stop    chan struct{}
	wg      sync.WaitGroup
}

// state is the runner's record of one client.
type state struct {
	cl      *client
	prog    program
	session int64
	cancel  context.CancelFunc
	line    int
	last    recipes.Step
	waiting string // what it waits for, "" when not
	rounds  int
	err     error
	done    bool
}

// logSize bounds the step log a snapshot carries.
const logSize = 200

// New returns a runner for cfg.Recipe with no clients yet.
func New(cfg Config) (*Runner, error) {
	info, ok := lookup(cfg.Recipe)
	if !ok {
		return nil, fmt.Errorf("%w recipe %q", ErrUnknown, cfg.Recipe)
	}
	if cfg.Path == "" {
		cfg.Path = "/" + string(cfg.Recipe)
	}
	if cfg.Leases <= 0 {
		cfg.Leases = 2
	}
	r := &Runner{cfg: cfg, info: info, gate: recipes.NewStepGate(), clients: make(map[string]*state),
		changed: make(chan struct{}), stop: make(chan struct{})}
	switch cfg.Recipe {
	case UnfencedLock, CheckThenCreate, Heartbeat:
		r.res = recipes.NewUnsafeUnfencedResource("resource")
	default:
		r.res = recipes.NewProtectedResource("resource")
	}
	if cfg.Together {
		r.gate.OpenAll()
	}
	r.wg.Go(r.watchGate)
	return r, nil
}

// Gate is the runner's step gate, for callers that drive it directly (a
// lesson that waits for a client's next step).
func (r *Runner) Gate() *recipes.StepGate { return r.gate }

// Resource is the resource the clients write to.
func (r *Runner) Resource() *recipes.ProtectedResource { return r.res }

// Add starts client name running the recipe on session c. Unless the
// runner runs together, its first request waits at the gate.
func (r *Runner) Add(name string, c recipes.Client) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errors.New("runner: closed")
	}
	if _, dup := r.clients[name]; dup {
		return fmt.Errorf("runner: client %s already runs", name)
	}
	cl := &client{r: r, name: name, c: c, line: len(r.info.Program) - 2,
		opts: []recipes.Option{recipes.WithName(name), recipes.WithGate(r.gate), recipes.WithTracer(r.tracerFor())}}
	if r.cfg.Recipe == Semaphore {
		cl.line = len(r.info.Program) - 1
	}
	if !r.gate.IsOpen("") {
		r.gate.Hold(name) // a name used before may have been opened by Remove
	}
	st := &state{cl: cl, prog: newProgram(cl), session: c.SessionID()}
	ctx, cancel := context.WithCancel(context.Background())
	st.cancel = cancel
	r.clients[name] = st
	r.notifyLocked()
	r.wg.Go(func() { r.run(ctx, st) })
	return nil
}

// run is one client's loop.
func (r *Runner) run(ctx context.Context, st *state) {
	var err error
	for n := 1; r.cfg.Rounds == 0 || n <= r.cfg.Rounds; n++ {
		if err = st.prog.round(ctx, n); err != nil {
			break
		}
		r.mu.Lock()
		st.rounds = n
		st.line = len(r.info.Program)
		r.notifyLocked()
		r.mu.Unlock()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	st.done = true
	if err != nil && ctx.Err() == nil {
		st.err = err
	}
	r.notifyLocked()
}

// Remove stops client name's loop (a step it is held at is withdrawn; a
// lock it holds is released if its session allows) and forgets it.
func (r *Runner) Remove(name string) error {
	r.mu.Lock()
	st := r.clients[name]
	r.mu.Unlock()
	if st == nil {
		return fmt.Errorf("%w client %q", ErrUnknown, name)
	}
	st.cancel()
	r.gate.Open(name) // its clean-up (a release) must not wait at the gate
	r.mu.Lock()
	delete(r.clients, name)
	r.notifyLocked()
	r.mu.Unlock()
	return nil
}

// Step lets client name's held request through and returns it; false when
// it has none held.
func (r *Runner) Step(name string) (recipes.Step, bool) { return r.gate.Advance(name) }

// Together runs every client freely (on) or holds each at its next request
// (off).
func (r *Runner) Together(on bool) {
	if on {
		r.gate.OpenAll()
	} else {
		r.gate.HoldAll()
	}
	r.notify()
}

// Changed returns a channel closed at the runner's next change.
func (r *Runner) Changed() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.changed
}

// Close stops every client's loop and waits for them. It lets held steps
// go first, so that a client can release what it holds on its way out.
func (r *Runner) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	sts := make([]*state, 0, len(r.clients))
	for _, st := range r.clients {
		sts = append(sts, st)
	}
	close(r.stop)
	r.mu.Unlock()
	for _, st := range sts {
		st.cancel()
	}
	r.gate.OpenAll()
	r.wg.Wait()
	return nil
}

// tracerFor returns the tracer every client's steps go to.
func (r *Runner) tracerFor() recipes.Tracer {
	return recipes.TracerFunc(r.trace)
}

func (r *Runner) trace(s recipes.Step) {
	if r.cfg.Tracer != nil {
		r.cfg.Tracer.Trace(s)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.clients[s.Client]
	if st == nil {
		return
	}
	if s.Line > 0 {
		st.line = s.Line
	}
	if s.Phase == recipes.Next {
		r.notifyLocked()
		return
	}
	st.last = s
	switch {
	case s.Wait && s.Phase == recipes.Done:
		st.waiting = s.Path
		if s.Detail != "" {
			st.waiting += " (" + s.Detail + ")"
		}
	case s.Kind == recipes.KindWoke || s.Phase == recipes.Failed:
		st.waiting = ""
	}
	r.log = append(r.log, s.String())
	if len(r.log) > logSize {
		r.log = slices.Delete(r.log, 0, len(r.log)-logSize)
	}
	r.notifyLocked()
}

// issued records a token handed to a client.
func (r *Runner) issued(name string, t recipes.Token) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addToken(TokenEvent{Client: name, Token: t, What: "issued"})
	r.counts.Issued++
	r.notifyLocked()
}

// checked records the resource's verdict on a client's token.
func (r *Runner) checked(name string, t recipes.Token, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev := TokenEvent{Client: name, Token: t, What: "accepted"}
	if err != nil {
		ev.What = "refused"
		if errors.Is(err, recipes.ErrStaleToken) {
			ev.What = "refused: stale"
		}
	}
	r.addToken(ev)
	if err != nil {
		r.counts.Refused++
	} else {
		r.counts.Accepted++
	}
	r.notifyLocked()
}

// addToken keeps the latest logSize token events: clients running
// together issue hundreds a second, and every snapshot copies them.
func (r *Runner) addToken(ev TokenEvent) {
	r.tokens = append(r.tokens, ev)
	if len(r.tokens) > logSize {
		r.tokens = slices.Delete(r.tokens, 0, len(r.tokens)-logSize)
	}
}

func (r *Runner) notify() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notifyLocked()
}

func (r *Runner) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// watchGate turns the gate's changes into the runner's.
func (r *Runner) watchGate() {
	// The next channel is taken before notifying, so that a change made
	// while the runner's readers wake up is not missed.
	ch := r.gate.Changed()
	for {
		select {
		case <-ch:
			ch = r.gate.Changed()
			r.notify()
		case <-r.stop:
			return
		}
	}
}

// AddWorker starts worker id of pool running the recipe on the worker's
// session, under the worker's name.
func (r *Runner) AddWorker(pool *worker.Pool, id int) error {
	info, ok := pool.Get(id)
	if !ok {
		return fmt.Errorf("%w worker %d", ErrUnknown, id)
	}
	c, err := pool.Client(id)
	if err != nil {
		return err
	}
	return r.Add(info.Name, c)
}
