package recipes

import (
	"context"
	"errors"
	"fmt"
	"time"

	"coordtui/cluster/zk"
)

// Option configures a recipe.
type Option func(*options)

type options struct {
	name   string
	tracer Tracer
	gate   Gate
	policy RetryPolicy
	acl    []zk.ACL
	// oneShot makes caches use one-shot watches (WithOneShotWatches).
	oneShot bool
	recipe  string // overrides the recipe's own name
}

// WithName names the client in its steps ("c2"); the default is the
// session id, "s1000000002".
func WithName(name string) Option { return func(o *options) { o.name = name } }

// WithTracer reports every step to t.
func WithTracer(t Tracer) Option { return func(o *options) { o.tracer = t } }

// WithGate asks g before every request (see Gate).
func WithGate(g Gate) Option { return func(o *options) { o.gate = g } }

// WithRetry replaces DefaultRetry for operations that failed with
// connection loss.
func WithRetry(p RetryPolicy) Option { return func(o *options) { o.policy = p } }

// WithACL sets the ACL of the znodes the recipe creates (default world:anyone
// with every permission).
func WithACL(acl []zk.ACL) Option { return func(o *options) { o.acl = acl } }

// withRecipe renames the recipe in steps (a registry's members are
// "registry" steps).
func withRecipe(name string) Option { return func(o *options) { o.recipe = name } }

// proc is one client running one recipe: it names, traces and gates every
// step.
type proc struct {
	c      Client
	recipe string
	options
}

func newProc(c Client, recipe string, opts []Option) *proc {
	p := &proc{c: c, recipe: recipe, options: options{policy: DefaultRetry, acl: zk.WorldACL(zk.PermAll)}}
	for _, o := range opts {
		o(&p.options)
	}
	p.c = retryingReads{Client: c, policy: p.policy}
	if p.options.recipe != "" {
		p.recipe = p.options.recipe
	}
	if p.name == "" {
		p.name = fmt.Sprintf("s%x", c.SessionID())
	}
	return p
}

func (p *proc) trace(s Step) {
	if p.tracer != nil {
		p.tracer.Trace(s)
	}
}

// op runs one request as a step: it announces s, waits for the gate, runs
// fn (which may fill in the step's Path, Note and the like) and reports how
// it ended. fn's error is returned as is.
func (p *proc) op(ctx context.Context, s Step, fn func(s *Step) error) error {
	s.Client, s.Recipe, s.Phase = p.name, p.recipe, Next
	p.trace(s)
	if p.gate != nil {
		if err := p.gate.Pass(ctx, s); err != nil {
			s.Phase, s.Err = Failed, err
			p.trace(s)
			return err
		}
	}
	err := fn(&s)
	s.Phase, s.Err = Done, err
	if err != nil {
		s.Phase = Failed
	}
	p.trace(s)
	return err
}

// cleanup runs a request that must happen even though ctx ended (deleting
// a node left behind by an abandoned acquire): traced but not gated, under a
// context of its own.
func (p *proc) cleanup(s Step, fn func(ctx context.Context, s *Step) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.Client, s.Recipe = p.name, p.recipe
	err := fn(ctx, &s)
	s.Phase, s.Err = Done, err
	if err != nil {
		s.Phase = Failed
	}
	p.trace(s)
	return err
}

// note reports a milestone on line.
func (p *proc) note(line int, format string, args ...any) {
	p.trace(Step{Client: p.name, Recipe: p.recipe, Line: line, Kind: KindState, Note: fmt.Sprintf(format, args...), Phase: Done})
}

// await waits for a one-shot watch to fire, reports it on line, and returns
// the event; ErrSessionLost when the watch ended with the session, ctx's
// error when ctx ended first.
func (p *proc) await(ctx context.Context, line int, path string, ch <-chan zk.WatchEvent) (zk.WatchEvent, error) {
	select {
	case ev, ok := <-ch:
		if err := watchErr(ev, ok); err != nil {
			p.trace(Step{Client: p.name, Recipe: p.recipe, Line: line, Kind: KindWoke, Path: path, Detail: "session over", Phase: Failed, Err: err})
			return ev, err
		}
		p.trace(Step{Client: p.name, Recipe: p.recipe, Line: line, Kind: KindWoke, Path: ev.Path, Detail: ev.Type.String(), Phase: Done})
		return ev, nil
	case <-ctx.Done():
		return zk.WatchEvent{}, ctx.Err()
	}
}

// retry runs fn under the recipe's retry policy.
func (p *proc) retry(ctx context.Context, fn func() error) error {
	return withRetry(ctx, p.policy, fn)
}

// checkLost turns errors that end the session into ErrSessionLost.
func checkLost(err error) error {
	if isLost(err) {
		return lostErr(err)
	}
	return err
}

// ensurePath creates path and any missing ancestors with mode (containers
// for the parents of lock queues, as Curator's creatingParentContainersIfNeeded
// does), one step per create. A path that exists already is fine.
func (p *proc) ensurePath(ctx context.Context, line int, path string, mode zk.CreateMode) error {
	if path == "" || path == "/" {
		return nil
	}
	create := func() error {
		return p.op(ctx, Step{Line: line, Kind: KindCreate, Path: path, Detail: modeText(mode)}, func(s *Step) error {
			err := p.retry(ctx, func() error {
				_, _, err := p.c.Create2(ctx, path, nil, p.acl, mode)
				return err
			})
			if errors.Is(err, zk.ErrNodeExists) {
				s.Note = "already there"
				return nil
			}
			return checkLost(err)
		})
	}
	err := create()
	if !errors.Is(err, zk.ErrNoNode) {
		return err
	}
	if err := p.ensurePath(ctx, line, parentOf(path), mode); err != nil {
		return err
	}
	return create()
}

// parentOf returns the parent of an absolute path ("/" for a top-level one).
func parentOf(path string) string {
	for i := len(path) - 1; i > 0; i-- {
		if path[i] == '/' {
			return path[:i]
		}
	}
	return "/"
}

// join joins a parent path and a child name.
func join(dir, name string) string {
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}

// base returns the last component of a path.
func base(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

// Act runs fn — the application using what a recipe gave it, such as a
// write fenced with a lock's token — as a step of client's recipe: traced
// (KindUse; what, e.g. "write db token 0x2_00000005", as its path; fn's
// outcome as its note) and asked of the gate first, so a stepped client can be paused just before it touches the
// protected resource, which is where a pause does harm.
func Act(ctx context.Context, client, recipe string, line int, what string, t Tracer, g Gate, fn func() (note string, err error)) error {
	p := &proc{recipe: recipe, options: options{name: client, tracer: t, gate: g}}
	return p.op(ctx, Step{Line: line, Kind: KindUse, Path: what}, func(s *Step) error {
		note, err := fn()
		s.Note = note
		return err
	})
}
