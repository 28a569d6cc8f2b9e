package recipes

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"coordtui/cluster/zk"
)

// QueueProgram is the pseudo-code Queue's and PriorityQueue's steps point
// into.
var QueueProgram = Program{
	"put: create <queue>/q- (persistent sequential) holding the item",
	"take: children <queue> (watch), in queue order",
	"if empty: wait for the children to change; go to 2",
	"get the first item, then delete it at that version",
	"if someone took it first: try the next; the item I deleted is mine",
}

// Queue is a distributed FIFO queue (Curator's DistributedQueue, the
// ZooKeeper recipe): an item is a persistent sequential node; a taker reads
// the first and deletes it, and whoever's delete succeeds has the item, so
// each item goes to exactly one taker. Takers of an empty queue all watch
// its children: each put wakes every idle taker (a small herd, accepted
// here as Curator does).
//
// Connection states: Take retries reads and its delete under the
// RetryPolicy (a delete is safe to retry: NoNode afterwards means someone —
// maybe this client — took it; Take then moves on, so an item can be lost
// if the first delete's reply was lost: at most once). Put is not retried:
// after connection loss the item may or may not be queued (the error says
// so); retrying could queue it twice. Items are persistent: a Lost session
// loses nothing queued.
type Queue struct {
	p      *proc
	path   string
	prefix string
	order  func(a, b string) int
}

// NewQueue returns the FIFO queue at path.
func NewQueue(c Client, path string, opts ...Option) *Queue {
	return &Queue{p: newProc(c, "queue", opts), path: path, prefix: "q-", order: bySeq}
}

func bySeq(a, b string) int {
	if sa, sb := seqOf(a), seqOf(b); sa != sb {
		return int(sa - sb)
	}
	return strings.Compare(a, b)
}

// Put appends an item and returns its node's path.
func (q *Queue) Put(ctx context.Context, item []byte) (string, error) {
	return q.put(ctx, q.prefix, item)
}

func (q *Queue) put(ctx context.Context, prefix string, item []byte) (string, error) {
	mode := zk.ModePersistentSequential
	var got string
	create := func() error {
		return q.p.op(ctx, Step{Line: 1, Kind: KindCreate, Path: join(q.path, prefix), Detail: modeText(mode)}, func(s *Step) error {
			var err error
			got, _, err = q.p.c.Create2(ctx, join(q.path, prefix), item, q.p.acl, mode)
			if retryable(err) {
				return fmt.Errorf("item may or may not be queued: %w", err)
			}
			s.Path = got
			return checkLost(err)
		})
	}
	err := create()
	if errors.Is(err, zk.ErrNoNode) {
		if err = q.p.ensurePath(ctx, 1, q.path, zk.ModePersistent); err == nil {
			err = create()
		}
	}
	return got, err
}

// Take removes the first item and returns it, waiting while the queue is
// empty.
func (q *Queue) Take(ctx context.Context) ([]byte, error) {
	for {
		var items []string
		var ch <-chan zk.WatchEvent
		err := q.p.op(ctx, Step{Line: 2, Kind: KindChildren, Path: q.path, Watch: true}, func(s *Step) error {
			var err error
			items, _, ch, err = q.p.c.ChildrenW(ctx, q.path)
			if errors.Is(err, zk.ErrNoNode) {
				// No queue yet: wait for it to appear.
				err = q.p.retry(ctx, func() error {
					var st *zk.Stat
					var err error
					st, ch, err = q.p.c.ExistsW(ctx, q.path)
					if st != nil {
						items, _, ch, err = q.p.c.ChildrenW(ctx, q.path)
					}
					return err
				})
			}
			if err != nil {
				return checkLost(err)
			}
			slices.SortFunc(items, q.order)
			s.Note = fmt.Sprintf("%d items", len(items))
			if len(items) == 0 {
				s.Wait = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			if _, err := q.p.await(ctx, 3, q.path, ch); err != nil {
				return nil, err
			}
			continue
		}
		for _, it := range items {
			data, ok, err := q.takeOne(ctx, join(q.path, it))
			if err != nil {
				return nil, err
			}
			if ok {
				q.p.note(5, "took %s", it)
				return data, nil
			}
		}
	}
}

// takeOne tries to take one item: read it, then delete it at the version
// read. false when someone else took it first.
func (q *Queue) takeOne(ctx context.Context, path string) ([]byte, bool, error) {
	var data []byte
	var version int32
	gone := false
	err := q.p.op(ctx, Step{Line: 4, Kind: KindGet, Path: path}, func(s *Step) error {
		err := q.p.retry(ctx, func() error {
			d, st, err := q.p.c.Get(ctx, path)
			if err == nil {
				data, version = d, st.Version
			}
			return err
		})
		if errors.Is(err, zk.ErrNoNode) {
			gone, s.Note = true, "taken by someone else"
			return nil
		}
		return checkLost(err)
	})
	if err != nil || gone {
		return nil, false, err
	}
	err = q.p.op(ctx, Step{Line: 4, Kind: KindDelete, Path: path, Detail: "take"}, func(s *Step) error {
		err := q.p.retry(ctx, func() error { return q.p.c.Delete(ctx, path, version) })
		if errors.Is(err, zk.ErrNoNode) || errors.Is(err, zk.ErrBadVersion) {
			gone, s.Note = true, "taken by someone else"
			return nil
		}
		return checkLost(err)
	})
	if err != nil || gone {
		return nil, false, err
	}
	return data, true, nil
}

// PriorityQueue is a Queue whose items carry a priority, 0 (first) to 999
// (last); equal priorities keep their order of arrival. Connection states
// as Queue.
type PriorityQueue struct{ q *Queue }

// NewPriorityQueue returns the priority queue at path.
func NewPriorityQueue(c Client, path string, opts ...Option) *PriorityQueue {
	q := &Queue{p: newProc(c, "priority-queue", opts), path: path, prefix: "p-", order: byPriority}
	return &PriorityQueue{q: q}
}

// Put adds an item with priority prio (clamped to 0..999).
func (pq *PriorityQueue) Put(ctx context.Context, item []byte, prio int) (string, error) {
	prio = min(max(prio, 0), 999)
	return pq.q.put(ctx, fmt.Sprintf("p-%03d-", prio), item)
}

// Take removes the most urgent item, waiting while the queue is empty.
func (pq *PriorityQueue) Take(ctx context.Context) ([]byte, error) { return pq.q.Take(ctx) }

// byPriority orders "p-005-0000000007" by priority, then sequence.
func byPriority(a, b string) int {
	pa, pb := prioOf(a), prioOf(b)
	if pa != pb {
		return pa - pb
	}
	return int(seqOf(a) - seqOf(b))
}

func prioOf(name string) int {
	parts := strings.SplitN(name, "-", 3)
	if len(parts) < 3 {
		return 1000
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		return 1000
	}
	return n
}
