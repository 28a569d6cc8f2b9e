package recipes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"coordtui/cluster/zk"
)

// attempts numbers this process's protected creates, so each one can be
// recognised among the session's ephemerals after a connection loss.
var attempts atomic.Uint64

// seqOf returns the 10-digit sequence suffix of a sequential node's name,
// or -1 when the name has none.
func seqOf(name string) int64 {
	if len(name) < 10 {
		return -1
	}
	n, err := strconv.ParseInt(name[len(name)-10:], 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// sortBySeq orders names by their sequence suffix, so that nodes with
// different prefixes (read-, write-) interleave in creation order; names
// without a suffix go last, by name.
func sortBySeq(names []string) {
	slices.SortFunc(names, func(a, b string) int {
		sa, sb := seqOf(a), seqOf(b)
		switch {
		case sa < 0 && sb < 0:
			return cmpString(a, b)
		case sa < 0:
			return 1
		case sb < 0:
			return -1
		case sa != sb:
			return int(sa - sb)
		}
		return cmpString(a, b)
	})
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// protectedCreate creates an ephemeral (sequential) node as Curator's
// protected mode does: if the create fails with connection loss it may still
// have happened, so before trying again it looks for the node among the
// session's ephemerals under the same prefix, recognising it by its data,
// which must be unique to this attempt. Without this a lost reply would leave
// an orphan node that blocks the queue until the session ends.
func (p *proc) protectedCreate(ctx context.Context, path string, data []byte, mode zk.CreateMode) (string, *zk.Stat, error) {
	for attempt := 1; ; attempt++ {
		got, st, err := p.c.Create2(ctx, path, data, p.acl, mode)
		if err == nil || !retryable(err) {
			return got, st, err
		}
		if found, fst, ferr := p.findMine(ctx, path, data); ferr == nil && found != "" {
			return found, fst, nil
		}
		d, ok := p.policy.Next(attempt, err)
		if !ok {
			return "", nil, err
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return "", nil, errors.Join(err, ctx.Err())
		}
	}
}

// findMine returns this session's ephemeral whose path starts with prefix and
// whose data is data, or "" if there is none.
func (p *proc) findMine(ctx context.Context, prefix string, data []byte) (string, *zk.Stat, error) {
	mine, err := p.c.GetEphemerals(ctx, prefix)
	if err != nil {
		return "", nil, err
	}
	slices.Sort(mine)
	for _, path := range mine {
		d, st, err := p.c.Get(ctx, path)
		if err == nil && bytes.Equal(d, data) {
			return path, st, nil
		}
	}
	return "", nil, nil
}

// contender is one client's znode in a queue under dir: a mutex's, a
// reader's or writer's, a latch's. The queue order is the sequence order.
type contender struct {
	p      *proc
	dir    string
	prefix string // "l-", "read-", "latch-"

	mu     sync.Mutex
	node   string // full path, "" until created
	token  Token  // the node's czxid
	waitOn string // the node watched, "" when not waiting
}

// queueLines are the Program lines a contender's steps report.
type queueLines struct{ create, children, got, watch, woke int }

// decide looks at the queue, sorted, with the contender at index me, and
// says whether it may go ahead and, if not, which node to wait for and why.
type decide func(queue []string, me int) (ok bool, waitFor, why string)

// predecessor is a mutex's rule: go when first, else wait for the node
// just ahead.
func predecessor(queue []string, me int) (bool, string, string) {
	if me == 0 {
		return true, "", ""
	}
	return false, queue[me-1], "predecessor"
}

func (q *contender) snapshot() (node, waitOn string, token Token) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.node, q.waitOn, q.token
}

// create makes the contender's ephemeral sequential node, creating the
// queue's parents as containers when they are missing.
func (q *contender) create(ctx context.Context, line int) error {
	data := []byte(fmt.Sprintf("%s #%d", q.p.name, attempts.Add(1)))
	mode := zk.ModeEphemeralSequential
	try := func() error {
		return q.p.op(ctx, Step{Line: line, Kind: KindCreate, Path: join(q.dir, q.prefix), Detail: modeText(mode)}, func(s *Step) error {
			path, st, err := q.p.protectedCreate(ctx, join(q.dir, q.prefix), data, mode)
			if err != nil {
				return checkLost(err)
			}
			s.Path = path
			q.mu.Lock()
			q.node, q.token = path, Token(st.Czxid)
			q.mu.Unlock()
			return nil
		})
	}
	err := try()
	if errors.Is(err, zk.ErrNoNode) {
		if err := q.p.ensurePath(ctx, line, q.dir, zk.ModeContainer); err != nil {
			return err
		}
		err = try()
	}
	return err
}

// await reads the queue and waits, watching the node decide names, until
// decide lets the contender go. It fails with ErrSessionLost when the
// session ends and ErrNodeGone when its own node vanishes.
func (q *contender) await(ctx context.Context, ln queueLines, rule decide) error {
	for {
		var queue []string
		me := -1
		err := q.p.op(ctx, Step{Line: ln.children, Kind: KindChildren, Path: q.dir}, func(s *Step) error {
			var err error
			queue, _, err = q.p.c.Children2(ctx, q.dir)
			if err != nil {
				return checkLost(err)
			}
			sortBySeq(queue)
			me = slices.Index(queue, base(q.node))
			switch {
			case me < 0:
				s.Note = "my node is gone"
			case me == 0:
				s.Note = "mine is first"
			default:
				s.Note = fmt.Sprintf("%d ahead of mine", me)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if me < 0 {
			if StateOf(q.p.c.State()) == Lost {
				return lostErr(zk.ErrSessionExpired)
			}
			return fmt.Errorf("%w: %s", ErrNodeGone, q.node)
		}
		ok, waitFor, why := rule(queue, me)
		if ok {
			return nil
		}
		path := join(q.dir, waitFor)
		var ch <-chan zk.WatchEvent
		// A data watch, as Curator sets: unlike exists, getData leaves no
		// watch behind when the node is already gone.
		err = q.p.op(ctx, Step{Line: ln.watch, Kind: KindGet, Path: path, Detail: why, Watch: true, Wait: true}, func(s *Step) error {
			var err error
			_, _, ch, err = q.p.c.GetW(ctx, path)
			if errors.Is(err, zk.ErrNoNode) {
				s.Wait, s.Note, ch = false, "already gone", nil
				return nil
			}
			return checkLost(err)
		})
		if err != nil {
			return err
		}
		if ch == nil {
			continue
		}
		q.mu.Lock()
		q.waitOn = path
		q.mu.Unlock()
		for {
			ev, err := q.p.await(ctx, ln.woke, path, ch)
			if err != nil {
				q.mu.Lock()
				q.waitOn = ""
				q.mu.Unlock()
				return err
			}
			// A data watch also fires on a data change; only the node's
			// deletion moves the queue.
			if ev.Type == zk.EventNodeDeleted {
				break
			}
			_, _, again, err := q.p.c.GetW(ctx, path)
			if errors.Is(err, zk.ErrNoNode) {
				break
			}
			if err != nil {
				return checkLost(err)
			}
			ch = again
		}
		q.mu.Lock()
		q.waitOn = ""
		q.mu.Unlock()
	}
}

// remove deletes the contender's node as a step on line; a node already
// gone is fine. With gated false it is clean-up after ctx ended.
func (q *contender) remove(ctx context.Context, line int, why string, gated bool) error {
	node, _, _ := q.snapshot()
	if node == "" {
		return nil
	}
	fn := func(ctx context.Context, s *Step) error {
		err := q.p.retry(ctx, func() error { return q.p.c.Delete(ctx, node, -1) })
		if errors.Is(err, zk.ErrNoNode) {
			s.Note = "already gone"
			err = nil
		}
		if err == nil {
			q.mu.Lock()
			q.node, q.waitOn = "", ""
			q.mu.Unlock()
		}
		return checkLost(err)
	}
	s := Step{Line: line, Kind: KindDelete, Path: node, Detail: why}
	if !gated {
		return q.p.cleanup(s, fn)
	}
	return q.p.op(ctx, s, func(s *Step) error { return fn(ctx, s) })
}
