package recipes

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"coordtui/cluster/zk"
)

// DoubleBarrierProgram is the pseudo-code DoubleBarrier's steps point into
// (ZooKeeper's own double-barrier recipe).
var DoubleBarrierProgram = Program{
	"enter: create <barrier>/<me> (ephemeral)",
	"watch <barrier>/ready (exists); if it exists, go to 5",
	"children <barrier>: if fewer than N have arrived, wait for ready",
	"else: create <barrier>/ready (the N-th wakes everyone)",
	"entered: all N are in",
	"leave: children <barrier> (without ready); if none are left, done",
	"if only mine is left: delete it and ready; done",
	"if mine is the lowest: watch the highest and wait; go to 6",
	"else: delete mine, watch the lowest and wait; go to 6",
}

// DoubleBarrier lets N clients start a computation together and finish it
// together (Curator's DistributedDoubleBarrier): Enter blocks until N have
// entered, Leave until all have left. Each participant's node is an
// ephemeral named by its id, so ids must be unique.
//
// Connection states: requests lost to a Suspended connection are retried
// and watches survive reconnects. A participant whose session is Lost has
// left without meaning to: its node is gone, so Leave by the others no
// longer waits for it; its own calls fail with ErrSessionLost.
type DoubleBarrier struct {
	p    *proc
	path string
	id   string
	n    int
}

// NewDoubleBarrier returns participant id's side of the barrier at path for
// n participants.
func NewDoubleBarrier(c Client, path, id string, n int, opts ...Option) *DoubleBarrier {
	return &DoubleBarrier{p: newProc(c, "double-barrier", opts), path: path, id: id, n: n}
}

const readyNode = "ready"

// Enter blocks until n participants have entered.
func (d *DoubleBarrier) Enter(ctx context.Context) error {
	me := join(d.path, d.id)
	create := func() error {
		return d.p.op(ctx, Step{Line: 1, Kind: KindCreate, Path: me, Detail: modeText(zk.ModeEphemeral)}, func(s *Step) error {
			err := d.p.retry(ctx, func() error {
				_, _, err := d.p.c.Create2(ctx, me, nil, d.p.acl, zk.ModeEphemeral)
				return err
			})
			if errors.Is(err, zk.ErrNodeExists) {
				s.Note = "already in" // a retried create that had landed
				return nil
			}
			return checkLost(err)
		})
	}
	err := create()
	if errors.Is(err, zk.ErrNoNode) {
		if err = d.p.ensurePath(ctx, 1, d.path, zk.ModePersistent); err == nil {
			err = create()
		}
	}
	if err != nil {
		return err
	}
	ready := join(d.path, readyNode)
	var ch <-chan zk.WatchEvent
	up := false
	err = d.p.op(ctx, Step{Line: 2, Kind: KindExists, Path: ready, Watch: true}, func(s *Step) error {
		st, c, err := d.p.c.ExistsW(ctx, ready)
		if err != nil {
			return checkLost(err)
		}
		ch, up = c, st != nil
		if up {
			s.Note = "ready: go in"
		}
		return nil
	})
	if err != nil || up {
		d.entered(err)
		return err
	}
	var n int
	err = d.p.op(ctx, Step{Line: 3, Kind: KindChildren, Path: d.path}, func(s *Step) error {
		kids, _, err := d.p.c.Children2(ctx, d.path)
		if err != nil {
			return checkLost(err)
		}
		n = len(slices.DeleteFunc(kids, func(k string) bool { return k == readyNode }))
		s.Note = fmt.Sprintf("%d of %d here", n, d.n)
		return nil
	})
	if err != nil {
		return err
	}
	if n < d.n {
		d.p.note(3, "waiting for ready")
		if _, err := d.p.await(ctx, 3, ready, ch); err != nil {
			return err
		}
		d.entered(nil)
		return nil
	}
	err = d.p.op(ctx, Step{Line: 4, Kind: KindCreate, Path: ready, Detail: modeText(zk.ModePersistent)}, func(s *Step) error {
		err := d.p.retry(ctx, func() error {
			_, _, err := d.p.c.Create2(ctx, ready, nil, d.p.acl, zk.ModePersistent)
			return err
		})
		if errors.Is(err, zk.ErrNodeExists) {
			s.Note = "someone else was quicker"
			return nil
		}
		return checkLost(err)
	})
	d.entered(err)
	return err
}

func (d *DoubleBarrier) entered(err error) {
	if err == nil {
		d.p.note(5, "entered %s: all %d are in", d.path, d.n)
	}
}

// Leave blocks until every participant has left.
func (d *DoubleBarrier) Leave(ctx context.Context) error {
	me := d.id
	for {
		var kids []string
		err := d.p.op(ctx, Step{Line: 6, Kind: KindChildren, Path: d.path}, func(s *Step) error {
			var err error
			kids, _, err = d.p.c.Children2(ctx, d.path)
			if err != nil {
				return checkLost(err)
			}
			kids = slices.DeleteFunc(kids, func(k string) bool { return k == readyNode })
			slices.Sort(kids)
			s.Note = fmt.Sprintf("%d still in", len(kids))
			return nil
		})
		if err != nil {
			return err
		}
		mine := slices.Contains(kids, me)
		switch {
		case len(kids) == 0:
			d.p.note(6, "left %s: everyone is out", d.path)
			return nil
		case len(kids) == 1 && mine:
			if err := d.del(ctx, 7, join(d.path, me), "the last one out"); err != nil {
				return err
			}
			if err := d.del(ctx, 7, join(d.path, readyNode), "reset for the next round"); err != nil {
				return err
			}
			d.p.note(7, "left %s: everyone is out", d.path)
			return nil
		}
		var watch string
		if mine && kids[0] == me {
			watch = kids[len(kids)-1]
		} else {
			if mine {
				if err := d.del(ctx, 9, join(d.path, me), "leave"); err != nil {
					return err
				}
			}
			watch = kids[0]
		}
		line := 8
		if !(mine && kids[0] == me) {
			line = 9
		}
		path := join(d.path, watch)
		var ch <-chan zk.WatchEvent
		err = d.p.op(ctx, Step{Line: line, Kind: KindExists, Path: path, Watch: true, Wait: true}, func(s *Step) error {
			st, c, err := d.p.c.ExistsW(ctx, path)
			if err != nil {
				return checkLost(err)
			}
			if st == nil {
				s.Wait, s.Note = false, "already gone"
				return nil
			}
			ch = c
			return nil
		})
		if err != nil {
			return err
		}
		if ch != nil {
			if _, err := d.p.await(ctx, line, path, ch); err != nil {
				return err
			}
		}
	}
}

func (d *DoubleBarrier) del(ctx context.Context, line int, path, why string) error {
	return d.p.op(ctx, Step{Line: line, Kind: KindDelete, Path: path, Detail: why}, func(s *Step) error {
		err := d.p.retry(ctx, func() error { return d.p.c.Delete(ctx, path, -1) })
		if errors.Is(err, zk.ErrNoNode) {
			return nil
		}
		return checkLost(err)
	})
}
