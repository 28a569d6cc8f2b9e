package recipes

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"coordtui/cluster/zk"
)

// onPersistent runs on the client's delivery goroutine: it only queues.
func (c *Cache) onPersistent(ev zk.WatchEvent) {
	c.post(cacheMsg{ev: ev, kind: "persistent"})
}

// post queues a message for the cache goroutine without ever dropping it;
// it gives up only when the cache is closed.
func (c *Cache) post(m cacheMsg) {
	select {
	case c.queue <- m:
	case <-c.stop:
	}
}

func (c *Cache) run() {
	defer close(c.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-c.stop
		cancel()
	}()
	for {
		select {
		case <-c.stop:
			return
		case m := <-c.queue:
			if err := c.handle(ctx, m); err != nil {
				if ctx.Err() == nil {
					c.fail(err)
				}
				return
			}
		}
	}
}

func (c *Cache) handle(ctx context.Context, m cacheMsg) error {
	ev := m.ev
	switch {
	case ev.Type == zk.EventNotWatching:
		return lostErr(ev.Err)
	case ev.Type == zk.EventNone && ev.State == zk.KeeperSyncConnected && m.kind == "persistent":
		c.p.trace(Step{Client: c.p.name, Recipe: c.p.recipe, Line: 5, Kind: KindWoke, Path: c.root, Detail: "reconnected: reload", Phase: Done})
		return c.reload(ctx)
	case ev.Type == zk.EventNone:
		return nil
	case ev.Type == zk.EventPersistentWatchRemoved:
		return lostErr(zk.ErrClosing)
	}
	c.mu.Lock()
	switch m.kind {
	case "data":
		delete(c.armed, ev.Path)
	case "children":
		delete(c.kidsArmed, ev.Path)
	}
	c.mu.Unlock()
	c.p.trace(Step{Client: c.p.name, Recipe: c.p.recipe, Line: 3, Kind: KindWoke, Path: ev.Path, Detail: ev.Type.String(), Phase: Done})
	if !c.inScope(ev.Path) {
		return nil
	}
	switch ev.Type {
	case zk.EventNodeDeleted:
		c.drop(ev.Path)
		if ev.Path == c.root && c.oneShot {
			return c.load(ctx, c.root, 0) // waits for it to come back
		}
		return nil
	case zk.EventNodeChildrenChanged:
		return c.loadChildren(ctx, ev.Path, c.level(ev.Path))
	default: // created, data changed
		return c.load(ctx, ev.Path, c.level(ev.Path))
	}
}

// reload re-reads everything, dropping nodes that are gone.
func (c *Cache) reload(ctx context.Context) error {
	c.mu.Lock()
	old := slices.Sorted(maps.Keys(c.nodes))
	c.mu.Unlock()
	if err := c.load(ctx, c.root, 0); err != nil {
		return err
	}
	for _, p := range old {
		if err := c.load(ctx, p, c.level(p)); err != nil {
			return err
		}
	}
	return nil
}

// level is how deep path is below the root.
func (c *Cache) level(path string) int {
	if path == c.root {
		return 0
	}
	rest := strings.TrimPrefix(path, strings.TrimSuffix(c.root, "/")+"/")
	return strings.Count(rest, "/") + 1
}

func (c *Cache) inScope(path string) bool {
	if path != c.root && !strings.HasPrefix(path, strings.TrimSuffix(c.root, "/")+"/") {
		return false
	}
	return c.depth < 0 || c.level(path) <= c.depth
}

// load reads path (with a data watch in one-shot mode) and, within the
// cache's depth, its children.
func (c *Cache) load(ctx context.Context, path string, level int) error {
	var data []byte
	var st *zk.Stat
	var ch <-chan zk.WatchEvent
	gone := false
	c.mu.Lock()
	arm := c.oneShot && !c.armed[path]
	c.mu.Unlock()
	err := c.p.op(ctx, Step{Line: 2, Kind: KindGet, Path: path, Watch: arm}, func(s *Step) error {
		var err error
		if arm {
			data, st, ch, err = c.p.c.GetW(ctx, path)
			if errors.Is(err, zk.ErrNoNode) {
				// Watch for it to be created.
				var est *zk.Stat
				est, ch, err = c.p.c.ExistsW(ctx, path)
				if err == nil && est != nil {
					data, st, ch, err = c.p.c.GetW(ctx, path)
				} else if err == nil {
					gone, s.Note = true, "absent"
				}
			}
		} else {
			data, st, err = c.p.c.Get(ctx, path)
			if errors.Is(err, zk.ErrNoNode) {
				gone, s.Note, err = true, "absent", nil
			}
		}
		return checkLost(err)
	})
	if err != nil {
		return err
	}
	if ch != nil {
		c.mu.Lock()
		c.armed[path] = true
		c.mu.Unlock()
		c.forward(ch, "data")
	}
	if gone {
		c.drop(path)
		return nil
	}
	c.put(CachedNode{Path: path, Data: data, Stat: *st})
	if c.depth >= 0 && level >= c.depth {
		return nil
	}
	return c.loadChildren(ctx, path, level)
}

// loadChildren lists path's children (with a child watch in one-shot
// mode), loads new ones and drops vanished ones.
func (c *Cache) loadChildren(ctx context.Context, path string, level int) error {
	if c.depth >= 0 && level >= c.depth {
		return nil
	}
	var kids []string
	var ch <-chan zk.WatchEvent
	c.mu.Lock()
	arm := c.oneShot && !c.kidsArmed[path]
	c.mu.Unlock()
	err := c.p.op(ctx, Step{Line: 2, Kind: KindChildren, Path: path, Watch: arm}, func(s *Step) error {
		var err error
		if arm {
			kids, _, ch, err = c.p.c.ChildrenW(ctx, path)
		} else {
			kids, _, err = c.p.c.Children2(ctx, path)
		}
		if errors.Is(err, zk.ErrNoNode) {
			return nil // its own deletion event is on the way
		}
		return checkLost(err)
	})
	if err != nil {
		return err
	}
	if ch != nil {
		c.mu.Lock()
		c.kidsArmed[path] = true
		c.mu.Unlock()
		c.forward(ch, "children")
	}
	slices.Sort(kids)
	c.mu.Lock()
	var vanished []string
	for p := range c.nodes {
		if parentOf(p) == path && !slices.Contains(kids, base(p)) {
			vanished = append(vanished, p)
		}
	}
	known := make(map[string]bool)
	for _, k := range kids {
		_, known[k] = c.nodes[join(path, k)]
	}
	c.mu.Unlock()
	slices.Sort(vanished)
	for _, p := range vanished {
		c.drop(p)
	}
	for _, k := range kids {
		if known[k] {
			continue // its own events (or its armed watch) keep it current
		}
		if err := c.load(ctx, join(path, k), level+1); err != nil {
			return err
		}
	}
	return nil
}

// forward hands a one-shot watch's event to the cache goroutine.
func (c *Cache) forward(ch <-chan zk.WatchEvent, kind string) {
	c.watches.Add(1)
	go func() {
		defer c.watches.Done()
		select {
		case ev, ok := <-ch:
			if !ok {
				ev = zk.WatchEvent{Type: zk.EventNotWatching, Err: zk.ErrClosing}
			}
			c.post(cacheMsg{ev: ev, kind: kind})
		case <-c.stop:
		}
	}()
}

func (c *Cache) put(n CachedNode) {
	c.mu.Lock()
	old, had := c.nodes[n.Path]
	if had && old.Stat.Mzxid == n.Stat.Mzxid && old.Stat.Czxid == n.Stat.Czxid {
		c.mu.Unlock()
		return
	}
	c.nodes[n.Path] = n
	t := NodeAdded
	if had {
		t = NodeUpdated
	}
	c.emitLocked(CacheEvent{Type: t, Node: n})
	c.mu.Unlock()
}

// drop removes path and everything cached under it.
func (c *Cache) drop(path string) {
	c.mu.Lock()
	var gone []string
	for p := range c.nodes {
		if p == path || strings.HasPrefix(p, strings.TrimSuffix(path, "/")+"/") {
			gone = append(gone, p)
		}
	}
	slices.Sort(gone)
	slices.Reverse(gone)
	for _, p := range gone {
		n := c.nodes[p]
		delete(c.nodes, p)
		c.emitLocked(CacheEvent{Type: NodeRemoved, Node: n})
	}
	c.mu.Unlock()
}

// emitLocked tells the listeners; c.mu is held and released around the
// calls, so listeners may read the cache. Runs on the cache goroutine (or
// in Start's first load).
func (c *Cache) emitLocked(ev CacheEvent) {
	ids := slices.Sorted(maps.Keys(c.listeners))
	fns := make([]func(CacheEvent), 0, len(ids))
	for _, id := range ids {
		fns = append(fns, c.listeners[id])
	}
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
	c.mu.Lock()
}

func (c *Cache) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = err
	close(c.changed)
	c.changed = make(chan struct{})
}
