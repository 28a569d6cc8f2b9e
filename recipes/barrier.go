package recipes

import (
	"context"
	"errors"

	"coordtui/cluster/zk"
)

// BarrierProgram is the pseudo-code Barrier's steps point into.
var BarrierProgram = Program{
	"set: create <barrier> (persistent)",
	"wait: watch <barrier> (exists); if it is gone, pass",
	"when it changes: go to 2",
	"remove: delete <barrier> (everyone waiting passes)",
}

// Barrier holds clients until someone removes it (Curator's
// DistributedBarrier): it is up while its node exists.
//
// Connection states: Wait retries requests lost to a Suspended connection
// and keeps its watch across reconnects; when the session is Lost, Wait
// fails with ErrSessionLost. The node is persistent, so the barrier outlives
// whoever set it.
type Barrier struct {
	p    *proc
	path string
}

// NewBarrier returns the barrier at path.
func NewBarrier(c Client, path string, opts ...Option) *Barrier {
	return &Barrier{p: newProc(c, "barrier", opts), path: path}
}

// Set raises the barrier (creating its parents if need be); raising a
// raised barrier is fine.
func (b *Barrier) Set(ctx context.Context) error {
	if err := b.p.ensurePath(ctx, 1, parentOf(b.path), zk.ModePersistent); err != nil {
		return err
	}
	return b.p.ensurePath(ctx, 1, b.path, zk.ModePersistent)
}

// Remove lowers the barrier; lowering a lowered one is fine.
func (b *Barrier) Remove(ctx context.Context) error {
	return b.p.op(ctx, Step{Line: 4, Kind: KindDelete, Path: b.path}, func(s *Step) error {
		err := b.p.retry(ctx, func() error { return b.p.c.Delete(ctx, b.path, -1) })
		if errors.Is(err, zk.ErrNoNode) {
			s.Note = "not set"
			return nil
		}
		return checkLost(err)
	})
}

// Wait blocks until the barrier is down.
func (b *Barrier) Wait(ctx context.Context) error {
	for {
		var ch <-chan zk.WatchEvent
		err := b.p.op(ctx, Step{Line: 2, Kind: KindExists, Path: b.path, Watch: true, Wait: true}, func(s *Step) error {
			var st *zk.Stat
			var err error
			st, ch, err = b.p.c.ExistsW(ctx, b.path)
			if err != nil {
				return checkLost(err)
			}
			if st == nil {
				s.Wait, s.Note, ch = false, "down: pass", nil
			}
			return nil
		})
		if err != nil || ch == nil {
			return err
		}
		if _, err := b.p.await(ctx, 3, b.path, ch); err != nil {
			return err
		}
	}
}
