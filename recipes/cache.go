package recipes

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"coordtui/cluster/zk"
)

// CacheProgram is the pseudo-code the caches' steps point into.
var CacheProgram = Program{
	"addWatch <root> (persistent recursive), or fall back to one-shot watches",
	"load: get <root> (and its children, to the cache's depth), each with a watch in one-shot mode",
	"on an event: get the node again (a create or change) or drop it (a delete)",
	"one-shot mode: re-arm the watch that fired; new children are loaded with theirs",
	"on reconnect (persistent mode): reload everything, as no events were kept",
}

// Cache keeps a local copy of a node (NodeCache), a node's children
// (ChildrenCache) or a whole subtree (TreeCache), kept current by watches:
// one persistent recursive watch where the server has them (coordtui,
// ZooKeeper 3.6+), else one-shot data and child watches re-armed on every
// event, as Curator's caches did before CuratorCache. Readers get copies;
// listeners hear every change, in order, on the cache's goroutine.
//
// A cache is eventually consistent: it may lag the ensemble, never runs
// ahead of it, and after every event it re-reads the node, so it converges.
//
// Connection states: while Suspended the cache keeps serving its last
// copy (it may be stale). One-shot watches survive reconnects; a persistent
// watch gets no catch-up, so on reconnect the cache reloads everything. When
// the session is Lost the cache stops (Err reports ErrSessionLost) and keeps
// its last copy.
type Cache struct {
	p       *proc
	root    string
	depth   int // 0: the node, 1: and its children, -1: everything
	oneShot bool

	mu        sync.Mutex
	nodes     map[string]CachedNode
	armed     map[string]bool // one-shot mode: paths with a data watch
	kidsArmed map[string]bool // one-shot mode: paths with a child watch
	listeners map[int]func(CacheEvent)
	nextL     int
	err       error
	started   bool

	queue   chan cacheMsg
	stop    chan struct{}
	done    chan struct{}
	watches sync.WaitGroup
	changed chan struct{}
}

// CachedNode is a cached copy of one node.
type CachedNode struct {
	Path string
	Data []byte
	Stat zk.Stat
}

// CacheEventType is what happened to a cached node.
type CacheEventType int

const (
	NodeAdded CacheEventType = iota
	NodeUpdated
	NodeRemoved
)

func (t CacheEventType) String() string {
	switch t {
	case NodeAdded:
		return "added"
	case NodeUpdated:
		return "updated"
	case NodeRemoved:
		return "removed"
	}
	return fmt.Sprintf("CacheEventType(%d)", int(t))
}

// CacheEvent is one change the cache applied.
type CacheEvent struct {
	Type CacheEventType
	Node CachedNode
}

// String: "added /services/web/i1 (42 bytes)".
func (e CacheEvent) String() string {
	return fmt.Sprintf("%s %s (%d bytes)", e.Type, e.Node.Path, len(e.Node.Data))
}

type cacheMsg struct {
	ev     zk.WatchEvent
	kind   string // "data", "children", "persistent"
	reload bool
}

// WithOneShotWatches makes a cache use one-shot watches even where the
// server has persistent ones (for servers older than 3.6, and to compare).
func WithOneShotWatches() Option { return func(o *options) { o.oneShot = true } }

// NewNodeCache caches one node.
func NewNodeCache(c Client, path string, opts ...Option) *Cache { return newCache(c, path, 0, opts) }

// NewChildrenCache caches a node's children (Curator's PathChildrenCache).
func NewChildrenCache(c Client, path string, opts ...Option) *Cache {
	return newCache(c, path, 1, opts)
}

// NewTreeCache caches a node and everything under it.
func NewTreeCache(c Client, path string, opts ...Option) *Cache { return newCache(c, path, -1, opts) }

func newCache(c Client, root string, depth int, opts []Option) *Cache {
	p := newProc(c, "cache", opts)
	return &Cache{p: p, root: root, depth: depth, oneShot: p.oneShot,
		nodes: make(map[string]CachedNode), armed: make(map[string]bool), kidsArmed: make(map[string]bool),
		listeners: make(map[int]func(CacheEvent)), queue: make(chan cacheMsg, 1024),
		stop: make(chan struct{}), done: make(chan struct{}), changed: make(chan struct{})}
}

// Start loads the cache and starts keeping it current on a goroutine the
// cache owns until Close. It returns once the first load is done.
func (c *Cache) Start(ctx context.Context) error {
	c.mu.Lock()
	if c.started {
		c.mu.Unlock()
		return errors.New("recipes: cache already started")
	}
	c.started = true
	c.mu.Unlock()
	if !c.oneShot {
		err := c.p.op(ctx, Step{Line: 1, Kind: KindAddWatch, Path: c.root, Detail: "persistent recursive"}, func(s *Step) error {
			err := c.p.c.AddWatch(ctx, c.root, zk.AddWatchPersistentRecursive, c.onPersistent)
			if errors.Is(err, zk.ErrUnimplemented) {
				s.Note = "not supported: one-shot watches instead"
				c.oneShot = true
				return nil
			}
			return checkLost(err)
		})
		if err != nil {
			close(c.stop)
			close(c.done)
			return err
		}
	}
	if err := c.load(ctx, c.root, 0); err != nil {
		close(c.stop)
		c.watches.Wait()
		close(c.done)
		return err
	}
	go c.run()
	return nil
}

// Listen calls fn with every change from now on, on the cache's goroutine;
// fn must not block. stop unregisters it.
func (c *Cache) Listen(fn func(CacheEvent)) (stop func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.nextL
	c.nextL++
	c.listeners[id] = fn
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.listeners, id)
	}
}

// Get returns the cached copy of path.
func (c *Cache) Get(path string) (CachedNode, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.nodes[path]
	n.Data = slices.Clone(n.Data)
	return n, ok
}

// Nodes returns every cached node, by path.
func (c *Cache) Nodes() []CachedNode {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]CachedNode, 0, len(c.nodes))
	for _, p := range slices.Sorted(maps.Keys(c.nodes)) {
		n := c.nodes[p]
		n.Data = slices.Clone(n.Data)
		out = append(out, n)
	}
	return out
}

// Children returns the cached children of path, by name.
func (c *Cache) Children(path string) []CachedNode {
	var out []CachedNode
	for _, n := range c.Nodes() {
		if n.Path != path && parentOf(n.Path) == path {
			out = append(out, n)
		}
	}
	return out
}

// WaitFor blocks until cond holds for the cached nodes, the cache fails,
// or ctx ends.
func (c *Cache) WaitFor(ctx context.Context, cond func([]CachedNode) bool) error {
	for {
		c.mu.Lock()
		ch, err := c.changed, c.err
		c.mu.Unlock()
		if cond(c.Nodes()) {
			return nil
		}
		if err != nil {
			return err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// OneShot reports whether the cache runs on one-shot watches.
func (c *Cache) OneShot() bool { return c.oneShot }

// Err reports why the cache stopped, nil while it runs.
func (c *Cache) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close stops the cache and waits for its goroutines. A persistent watch is
// removed from the server when the session is still connected.
func (c *Cache) Close() {
	c.mu.Lock()
	if !c.started {
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	select {
	case <-c.stop:
		return
	default:
	}
	close(c.stop)
	<-c.done
	c.watches.Wait()
	if !c.oneShot && StateOf(c.p.c.State()) == Connected {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		c.p.c.RemoveWatches(ctx, c.root, zk.WatcherAny)
	}
}
