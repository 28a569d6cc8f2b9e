package runner

import (
	"context"
	"fmt"

	"coordtui/recipes"
)

// program is one client's loop over a recipe.
type program interface {
	// round runs one turn of the loop.
	round(ctx context.Context, n int) error
	// view is the client's place in the recipe, as it sees it.
	view() recipes.LockView
	// leads reports whether the client believes it holds or leads now.
	leads() bool
}

// client is what a program needs of the runner for one client.
type client struct {
	r    *Runner
	name string
	c    recipes.Client
	opts []recipes.Option
	line int // the program's use line; leaving is the next
}

// use writes to the runner's resource as a gated step.
func (cl *client) use(ctx context.Context, tok recipes.Token, round int) error {
	res := cl.r.res
	what := "write " + res.Snapshot().Name
	if tok != 0 {
		what += " token " + tok.String()
	}
	return recipes.Act(ctx, cl.name, string(cl.r.cfg.Recipe), cl.line, what, cl.r.tracerFor(), cl.r.gate, func() (string, error) {
		err := res.Enter(cl.name, tok)
		if err == nil {
			err = res.Write(cl.name, tok, fmt.Sprintf("%s round %d", cl.name, round))
		}
		cl.r.checked(cl.name, tok, err)
		if err != nil {
			return "refused", nil // the refusal is the lesson, not a failure of the client
		}
		return "accepted", nil
	})
}

// leave is the client leaving the resource before it releases, as a gated
// step of its own: between use and leave the client is inside, which is
// when a pause makes two holders overlap.
func (cl *client) leave(ctx context.Context, tok recipes.Token) error {
	what := "leave " + cl.r.res.Snapshot().Name
	return recipes.Act(ctx, cl.name, string(cl.r.cfg.Recipe), cl.line+1, what, cl.r.tracerFor(), cl.r.gate, func() (string, error) {
		cl.r.res.Exit(cl.name, tok)
		return "left", nil
	})
}

// hold is a holder's turn: use the resource, leave it, then let go with
// release (nil: nothing to let go of). Releasing outlives ctx, so a run
// stopped mid-turn still frees what it held.
func (cl *client) hold(ctx context.Context, tok recipes.Token, round int, release func(context.Context) error) error {
	if err := cl.use(ctx, tok, round); err != nil {
		return err
	}
	if err := cl.leave(ctx, tok); err != nil {
		return err
	}
	if release == nil {
		return nil
	}
	return release(context.WithoutCancel(ctx))
}

func newProgram(cl *client) program {
	path := cl.r.cfg.Path
	switch cl.r.cfg.Recipe {
	case Lock:
		return &lockProgram{cl: cl, m: recipes.NewMutex(cl.c, path, cl.opts...)}
	case HerdLock:
		return &lockProgram{cl: cl, m: recipes.NewUnsafeHerdLock(cl.c, path, cl.opts...)}
	case UnfencedLock:
		return &unfencedProgram{cl: cl, l: recipes.NewUnsafeUnfencedLock(cl.c, path, cl.opts...)}
	case Semaphore:
		return &semProgram{cl: cl, s: recipes.NewSemaphore(cl.c, path, cl.r.cfg.Leases, cl.opts...)}
	case Latch:
		return &latchProgram{cl: cl}
	case Counter:
		return &counterProgram{cl: cl, c: recipes.NewCounter(cl.c, path, cl.opts...)}
	case CheckThenCreate:
		return &ctcProgram{cl: cl, e: recipes.NewUnsafeCheckThenCreateElection(cl.c, path, cl.name, cl.opts...)}
	case Heartbeat:
		return &hbProgram{cl: cl, h: recipes.NewUnsafeHeartbeatElection(cl.c, path, cl.name, cl.opts...)}
	}
	return nil
}

// tokenLock is what the safe mutex and the unsafe herd lock share: the
// runner drives both the same way, so the two differ only in the znodes
// and watches they cause.
type tokenLock interface {
	Acquire(ctx context.Context) (recipes.Token, error)
	Release(ctx context.Context) error
	View() recipes.LockView
	Holding() bool
}

type lockProgram struct {
	cl *client
	m  tokenLock
}

func (p *lockProgram) round(ctx context.Context, n int) error {
	tok, err := p.m.Acquire(ctx)
	if err != nil {
		return err
	}
	p.cl.r.issued(p.cl.name, tok)
	return p.cl.hold(ctx, tok, n, p.m.Release)
}
func (p *lockProgram) view() recipes.LockView { return p.m.View() }
func (p *lockProgram) leads() bool            { return p.m.Holding() }

type unfencedProgram struct {
	cl *client
	l  *recipes.UnsafeUnfencedLock
}

func (p *unfencedProgram) round(ctx context.Context, n int) error {
	if err := p.l.Acquire(ctx); err != nil {
		return err
	}
	return p.cl.hold(ctx, 0, n, p.l.Release)
}
func (p *unfencedProgram) view() recipes.LockView { return p.l.View() }
func (p *unfencedProgram) leads() bool            { return p.l.Holding() }

type semProgram struct {
	cl *client
	s  *recipes.Semaphore
}

func (p *semProgram) round(ctx context.Context, n int) error {
	l, err := p.s.Acquire(ctx)
	if err != nil {
		return err
	}
	p.cl.r.issued(p.cl.name, l.Token)
	err = recipes.Act(ctx, p.cl.name, string(p.cl.r.cfg.Recipe), p.cl.line, "work with lease "+l.Token.String(), p.cl.r.tracerFor(), p.cl.r.gate,
		func() (string, error) { return fmt.Sprintf("working, round %d", n), nil })
	if err != nil {
		return err
	}
	return l.Release(context.WithoutCancel(ctx))
}
func (p *semProgram) view() recipes.LockView { return p.s.View() }
func (p *semProgram) leads() bool            { return p.s.View().Holds }

// latchProgram stands for election, leads for one fenced write, and
// resigns, round after round, so leadership moves down the line.
type latchProgram struct {
	cl *client
	l  *recipes.LeaderLatch
}

func (p *latchProgram) current() *recipes.LeaderLatch {
	p.cl.r.mu.Lock()
	defer p.cl.r.mu.Unlock()
	return p.l
}

func (p *latchProgram) round(ctx context.Context, n int) error {
	l := recipes.NewLeaderLatch(p.cl.c, p.cl.r.cfg.Path, p.cl.name, p.cl.opts...)
	p.cl.r.mu.Lock()
	p.l = l
	p.cl.r.mu.Unlock()
	tok, err := l.Await(ctx)
	if err != nil {
		return err
	}
	p.cl.r.issued(p.cl.name, tok)
	return p.cl.hold(ctx, tok, n, l.Close)
}

func (p *latchProgram) view() recipes.LockView {
	if l := p.current(); l != nil {
		return l.View()
	}
	return recipes.LockView{Client: p.cl.name, Path: p.cl.r.cfg.Path}
}

func (p *latchProgram) leads() bool {
	l := p.current()
	return l != nil && l.IsLeader()
}

type counterProgram struct {
	cl *client
	c  *recipes.Counter
}

func (p *counterProgram) round(ctx context.Context, n int) error {
	_, err := p.c.Add(ctx, 1)
	return err
}
func (p *counterProgram) view() recipes.LockView {
	return recipes.LockView{Client: p.cl.name, Path: p.cl.r.cfg.Path}
}
func (p *counterProgram) leads() bool { return false }

type ctcProgram struct {
	cl *client
	e  *recipes.UnsafeCheckThenCreateElection
}

func (p *ctcProgram) round(ctx context.Context, n int) error {
	tok, err := p.e.Campaign(ctx)
	if err != nil {
		return err
	}
	p.cl.r.issued(p.cl.name, tok)
	return p.cl.hold(ctx, 0, n, p.e.Resign)
}
func (p *ctcProgram) view() recipes.LockView {
	return recipes.LockView{Client: p.cl.name, Path: p.cl.r.cfg.Path, Holds: p.e.IsLeader()}
}
func (p *ctcProgram) leads() bool { return p.e.IsLeader() }

type hbProgram struct {
	cl *client
	h  *recipes.UnsafeHeartbeatElection
}

func (p *hbProgram) round(ctx context.Context, n int) error {
	leader, err := p.h.Round(ctx)
	if err != nil || leader != p.cl.name {
		return err
	}
	return p.cl.hold(ctx, 0, n, nil)
}
func (p *hbProgram) view() recipes.LockView {
	return recipes.LockView{Client: p.cl.name, Path: p.cl.r.cfg.Path, Holds: p.h.IsLeader()}
}
func (p *hbProgram) leads() bool { return p.h.IsLeader() }
