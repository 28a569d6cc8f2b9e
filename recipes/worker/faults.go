package worker

import (
	"context"
	"errors"
	"fmt"

	"coordtui/cluster/zk"
)

// Stop closes worker id cleanly: closeSession, so the ensemble deletes its
// ephemeral at once. It blocks until the client has stopped.
func (p *Pool) Stop(id int) error {
	c, err := p.client(id)
	if err != nil {
		return err
	}
	p.update(id, func(i *Info) { i.Frozen, i.Expiring = false, false })
	return c.Close()
}

// Crash drops worker id's connection as kill -9 of its process would: no
// closeSession, no reconnect. Its session, and its ephemeral, live on at
// the ensemble until the session times out.
func (p *Pool) Crash(id int) error {
	c, err := p.client(id)
	if err != nil {
		return err
	}
	if st := c.State(); st == zk.StateClosed || st == zk.StateExpired {
		return fmt.Errorf("worker: w%d is already %s", id, stateOf(st))
	}
	p.update(id, func(i *Info) { i.Crashed, i.Frozen, i.Expiring = true, false, false })
	c.Crash()
	return nil
}

// Freeze pauses worker id as a long GC pause would: it sends nothing (no
// pings) and reads nothing until Thaw. Frozen longer than its session
// timeout, it finds its session expired when it thaws.
func (p *Pool) Freeze(id int) error {
	c, err := p.client(id)
	if err != nil {
		return err
	}
	if st := c.State(); st == zk.StateClosed || st == zk.StateExpired {
		return fmt.Errorf("worker: w%d is %s; only a live worker can freeze", id, stateOf(st))
	}
	c.Freeze()
	p.update(id, func(i *Info) { i.Frozen = true })
	return nil
}

// Thaw resumes a frozen worker.
func (p *Pool) Thaw(id int) error {
	c, err := p.client(id)
	if err != nil {
		return err
	}
	c.Thaw()
	p.update(id, func(i *Info) { i.Frozen, i.Expiring = false, false })
	return nil
}

// Expire freezes worker id until the ensemble has expired its session,
// then thaws it so that it learns so, as a process paused for longer than
// its session timeout does. It watches the worker's ephemeral from another
// session (Config.Observer or the pool's own) to see the session go, and
// returns once the worker's client reports Expired, or ctx ends (the worker
// is thawed then too).
func (p *Pool) Expire(ctx context.Context, id int) error {
	c, err := p.client(id)
	if err != nil {
		return err
	}
	info, _ := p.Get(id)
	if info.Path == "" {
		return fmt.Errorf("worker: w%d has no ephemeral to watch", id)
	}
	if st := c.State(); st == zk.StateClosed || st == zk.StateExpired {
		return fmt.Errorf("worker: w%d is already %s", id, stateOf(st))
	}
	obs, err := p.observerClient(ctx)
	if err != nil {
		return err
	}
	c.Freeze()
	p.update(id, func(i *Info) { i.Frozen, i.Expiring = true, true })
	thaw := func() {
		c.Thaw()
		p.update(id, func(i *Info) { i.Frozen, i.Expiring = false, false })
	}
	st, gone, err := obs.ExistsW(ctx, info.Path)
	if err != nil {
		thaw()
		return fmt.Errorf("worker: watching %s: %w", info.Path, err)
	}
	if st != nil {
		select {
		case ev := <-gone:
			if ev.Type != zk.EventNodeDeleted {
				thaw()
				return fmt.Errorf("worker: watching %s: %v", info.Path, ev)
			}
		case <-ctx.Done():
			thaw()
			return ctx.Err()
		}
	}
	thaw()
	return p.waitState(ctx, id, Expired)
}

// waitState waits until worker id reaches want, using a subscription so
// no change is missed.
func (p *Pool) waitState(ctx context.Context, id int, want State) error {
	sub := p.Subscribe(16)
	defer sub.Close()
	for {
		if info, ok := p.Get(id); !ok || info.State == want {
			return nil
		} else if info.State == Closed {
			return fmt.Errorf("worker: w%d closed before it was %s", id, want)
		}
		select {
		case _, ok := <-sub.C():
			if !ok {
				return errors.New("worker: pool closed")
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// observerClient returns the session Expire watches from.
func (p *Pool) observerClient(ctx context.Context) (*zk.Client, error) {
	p.mu.Lock()
	obs := p.observer
	p.mu.Unlock()
	if obs != nil {
		return obs, nil
	}
	c, err := zk.Connect(ctx, p.cfg.ConnString, p.cfg.Options...)
	if err != nil {
		return nil, fmt.Errorf("worker: observer session: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.observer != nil || p.closed {
		go c.Close()
		if p.closed {
			return nil, errors.New("worker: pool closed")
		}
		return p.observer, nil
	}
	p.observer, p.ownObs = c, true
	return c, nil
}
