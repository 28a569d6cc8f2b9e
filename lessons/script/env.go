package script

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/event"
	"coordtui/recipes/runner"
	"coordtui/recipes/worker"
	"coordtui/tree"
)

// Config configures a Runner.
type Config struct {
	// Registry holds the commands the script may use; nil is Builtins().
	Registry *Registry
	// Timing is the raft timing of ensembles the script builds; zero is
	// cluster.EmbeddedTiming. Tests pass cluster.TestTiming.
	Timing cluster.Timing
	// TickTime is ZooKeeper's tickTime for those ensembles; zero is 500 ms,
	// so session timeouts may be as short as 1 s.
	TickTime time.Duration
	// Events, if set, is the bus every ensemble the script builds
	// publishes to, so a console can subscribe before the first election.
	// Nil gives each ensemble a bus of its own (Env.Bus).
	Events *event.Bus
	// OnEnsemble is called on the Runner's goroutine each time a step has
	// built an ensemble (a script may build several, one after another),
	// so a console can show it. The previous one is closed by then.
	OnEnsemble func(env *Env)
	// Learner answers quizzes and does exercises; nil lets the script's
	// reference answers and solutions do them (headless).
	Learner Learner
	// Patience multiplies every deadline a script states (wait within=,
	// write timeouts); 0 is 1. The race detector wants 3 or so.
	Patience float64
	// LogOutput receives raft's own log lines; nil discards them.
	LogOutput io.Writer
	// Vars replaces ${NAME} in the script's lines, overriding the script's
	// own "default NAME VALUE" lines: how a run asks for a bigger N than
	// the golden transcript was recorded with.
	Vars map[string]string
}

// Env is the world a script acts on: the ensemble it built, the names it
// gave to members, clients and workers, and what extension commands keep
// between steps. Commands get it from the Runner; the console reads it
// (Ensemble, Bus, Pool) from its own goroutine, which the accessors that
// say so allow.
type Env struct {
	cfg Config
	reg *Registry

	mu   sync.Mutex // guards ens, bus and pool for readers on other goroutines
	ens  *cluster.Ensemble
	bus  *event.Bus
	pool *worker.Pool
	// recipe is the recipe the script runs now (recipe start), for a
	// console to show; nil when none.
	recipe *runner.Runner

	speed float64 // slow-motion factor the player asked for; 1 is normal

	names   *names
	aliases map[string]uint64   // script-given member names
	groups  map[string][]uint64 // script-given member groups
	clients map[string]*Client
	workerT time.Duration // session timeout workers ask for
	values  map[string]any
	resets  []func() // undone when the ensemble goes, last first
	vars    map[string]string
}

func newEnv(cfg Config) *Env {
	if cfg.Registry == nil {
		cfg.Registry = Builtins()
	}
	if cfg.Timing.Heartbeat == 0 {
		cfg.Timing = cluster.EmbeddedTiming
	}
	if cfg.TickTime == 0 {
		cfg.TickTime = 500 * time.Millisecond
	}
	if cfg.Patience <= 0 {
		cfg.Patience = 1
	}
	e := &Env{cfg: cfg, reg: cfg.Registry, speed: 1, vars: map[string]string{}}
	for k, v := range cfg.Vars {
		e.vars[k] = v
	}
	e.clear()
	return e
}

func (e *Env) clear() {
	e.names = newNames()
	e.aliases = map[string]uint64{}
	e.groups = map[string][]uint64{}
	e.clients = map[string]*Client{}
	e.values = map[string]any{}
	e.workerT = 4 * time.Second
}

// Ensemble is the ensemble the script built, or nil before its first
// "ensemble" step. Safe to call from any goroutine.
func (e *Env) Ensemble() *cluster.Ensemble {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ens
}

// Bus is the event bus of the current ensemble, or nil. Safe to call from
// any goroutine.
func (e *Env) Bus() *event.Bus {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.bus
}

// Pool is the worker pool of the current ensemble, or nil before the
// script starts a worker. A console that lets the learner crash and freeze
// workers should use this pool, so that exercises see what was done. Safe
// to call from any goroutine.
func (e *Env) Pool() *worker.Pool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pool
}

// Registry is the registry the script runs with.
func (e *Env) Registry() *Registry { return e.reg }

// Learner is who answers quizzes and does exercises (nil: the script).
func (e *Env) Learner() Learner { return e.cfg.Learner }

// ens returns the ensemble or the error a step needing one reports.
func (e *Env) need() (*cluster.Ensemble, error) {
	if ens := e.Ensemble(); ens != nil {
		return ens, nil
	}
	return nil, errors.New("no ensemble yet (start with: ensemble members=N)")
}

// Within scales a deadline the script stated by Config.Patience and by
// the slow-motion factor, so a script plays the same story slowed down.
func (e *Env) Within(d time.Duration) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return time.Duration(float64(d) * e.cfg.Patience * e.speed)
}

// SetSpeed slows the ensemble down by factor (>= 1; 1 is normal speed),
// now and for ensembles the script builds later, and stretches the
// script's deadlines to match. The console's speed control calls it; it
// is safe from any goroutine.
func (e *Env) SetSpeed(factor float64) error {
	if factor < 1 {
		return fmt.Errorf("speed factor %g: want >= 1", factor)
	}
	e.mu.Lock()
	e.speed = factor
	ens := e.ens
	e.mu.Unlock()
	if ens != nil {
		return ens.SetSpeed(factor)
	}
	return nil
}

// Poll calls cond until it reports true, fails, or within (scaled) ends.
// It is how steps wait on observed state: never a fixed sleep.
func (e *Env) Poll(ctx context.Context, within time.Duration, cond func() (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, e.Within(within))
	defer cancel()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		ok, err := cond()
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not within %v: %w", e.Within(within), ctx.Err())
		case <-t.C:
		}
	}
}

// Value returns what an extension command stored under key.
func (e *Env) Value(key string) (any, bool) {
	v, ok := e.values[key]
	return v, ok
}

// Recipe is the recipe runner a "recipe start" step left running, or nil.
// A console shows it; stepping it is the script's business (and, during an
// exercise that allows it, the learner's through Exercise.Do). Safe to call
// from any goroutine.
func (e *Env) Recipe() *runner.Runner {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.recipe
}

func (e *Env) setRecipe(r *runner.Runner) {
	e.mu.Lock()
	e.recipe = r
	e.mu.Unlock()
}

// SetValue stores v under key until the ensemble is replaced or the Runner
// closes.
func (e *Env) SetValue(key string, v any) { e.values[key] = v }

// OnReset registers fn to run when the current ensemble goes away (a new
// "ensemble" step or Close), before the ensemble is closed: extension
// commands stop their goroutines and close their sessions there.
func (e *Env) OnReset(fn func()) { e.resets = append(e.resets, fn) }

// reset stops everything tied to the current ensemble, then the ensemble.
func (e *Env) reset() {
	for _, fn := range slices.Backward(e.resets) {
		fn()
	}
	e.resets = nil
	for _, name := range sortedNames(e.clients) {
		e.clients[name].close()
	}
	e.mu.Lock()
	pool, ens := e.pool, e.ens
	e.pool, e.ens, e.bus = nil, nil, nil
	e.mu.Unlock()
	if pool != nil {
		pool.Close()
	}
	if ens != nil {
		ens.Close()
	}
	e.clear()
}

// Leader returns the leader, waiting a few seconds for one if an election
// is under way; extension commands read the ensemble's state through it.
func (e *Env) Leader() (*cluster.Node, error) { return e.leaderNode() }

// leaderNode returns the leader, waiting a little for one: a script that
// says "the leader" between an election's start and end means the one
// about to be elected, and a spurious election on a busy machine must not
// fail a step.
func (e *Env) leaderNode() (*cluster.Node, error) {
	ens, err := e.need()
	if err != nil {
		return nil, err
	}
	var l *cluster.Node
	err = e.Poll(context.Background(), 5*time.Second, func() (bool, error) {
		l = newestLeader(ens)
		return l != nil, nil
	})
	if err != nil {
		return nil, errors.New("no leader now")
	}
	return l, nil
}

// newestLeader is the serving member that leads in the highest term: an
// old leader cut off from the others may believe it leads for a moment
// longer, but it is not the one a client would be served by.
func newestLeader(ens *cluster.Ensemble) *cluster.Node {
	var best *cluster.Node
	var term uint64
	for _, n := range ens.Nodes() {
		if !n.IsLeader() || !n.Serving() {
			continue
		}
		if t := n.Status().Term; best == nil || t > term {
			best, term = n, t
		}
	}
	return best
}

// Zxid renders z relative to the scenario's start (see names.zxid).
func (e *Env) Zxid(z tree.Zxid) string { return e.names.zxid(z) }

// NameSession makes transcripts call session id by name instead of its
// number, which differs on every run.
func (e *Env) NameSession(id int64, name string) { e.names.session(id, name) }

// SessionNames is a copy of the names the script gave sessions (its
// clients, recipe clients, actors), by session id, for a console to label
// them. Safe to call from any goroutine.
func (e *Env) SessionNames() map[int64]string {
	e.names.mu.Lock()
	defer e.names.mu.Unlock()
	return maps.Clone(e.names.sessions)
}

// Render replaces what differs between runs in text — session ids, member
// addresses — by the names the script uses.
func (e *Env) Render(text string) string { return e.names.render(text) }
