package recipes

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"coordtui/cluster/zk"
)

// CounterProgram is the pseudo-code Counter's steps point into.
var CounterProgram = Program{
	"get <counter>: value and version (create it holding 0 the first time)",
	"set <counter> = new value, only if its version is still the one read",
	"if the version moved (someone else wrote): go to 1",
}

// Counter is a shared integer changed by compare-and-set (Curator's
// SharedCount / DistributedAtomicLong): a set succeeds only at the version
// read, so concurrent Adds never lose an update — a loser re-reads and
// tries again.
//
// Connection states: reads are retried under the RetryPolicy; a set whose
// reply was lost is retried too, and if it had landed, the retry fails on
// the version and Add re-reads and applies the delta again — which would
// count twice, so Add instead fails with the connection error when a set's
// outcome is unknown. The node is persistent: a Lost session loses nothing.
type Counter struct {
	p    *proc
	path string
}

// NewCounter returns the counter at path.
func NewCounter(c Client, path string, opts ...Option) *Counter {
	return &Counter{p: newProc(c, "counter", opts), path: path}
}

// Get returns the value and the version it was read at.
func (c *Counter) Get(ctx context.Context) (int64, int32, error) {
	var v int64
	var version int32
	err := c.p.op(ctx, Step{Line: 1, Kind: KindGet, Path: c.path}, func(s *Step) error {
		var data []byte
		var st *zk.Stat
		var err error
		data, st, err = c.p.c.Get(ctx, c.path)
		if errors.Is(err, zk.ErrNoNode) {
			s.Note = "no counter yet: 0"
			version = -1
			return nil
		}
		if err != nil {
			return checkLost(err)
		}
		if len(data) > 0 {
			if v, err = strconv.ParseInt(string(data), 10, 64); err != nil {
				return fmt.Errorf("recipes: counter %s holds %q: %w", c.path, data, err)
			}
		}
		version = st.Version
		s.Note = fmt.Sprintf("%d at version %d", v, version)
		return nil
	})
	return v, version, err
}

// TrySet sets the value if the counter is still at version (-1: if it does
// not exist yet), and reports whether it did.
func (c *Counter) TrySet(ctx context.Context, value int64, version int32) (bool, error) {
	data := []byte(strconv.FormatInt(value, 10))
	ok := true
	set := func() error {
		return c.p.op(ctx, Step{Line: 2, Kind: KindSet, Path: c.path, Detail: fmt.Sprintf("%d if version %d", value, version)}, func(s *Step) error {
			var err error
			if version < 0 {
				_, _, err = c.p.c.Create2(ctx, c.path, data, c.p.acl, zk.ModePersistent)
				if errors.Is(err, zk.ErrNodeExists) {
					ok, s.Note = false, "someone created it first"
					return nil
				}
			} else {
				_, err = c.p.c.Set(ctx, c.path, data, version)
				if errors.Is(err, zk.ErrBadVersion) {
					ok, s.Note = false, "version moved: someone else wrote"
					return nil
				}
			}
			return checkLost(err)
		})
	}
	err := set()
	if version < 0 && errors.Is(err, zk.ErrNoNode) {
		if err = c.p.ensurePath(ctx, 2, parentOf(c.path), zk.ModePersistent); err == nil {
			err = set()
		}
	}
	return ok && err == nil, err
}

// Add adds delta and returns the new value.
func (c *Counter) Add(ctx context.Context, delta int64) (int64, error) {
	for {
		v, version, err := c.Get(ctx)
		if err != nil {
			return 0, err
		}
		ok, err := c.TrySet(ctx, v+delta, version)
		if err != nil {
			return 0, err
		}
		if ok {
			c.p.note(2, "%s = %d", c.path, v+delta)
			return v + delta, nil
		}
	}
}
