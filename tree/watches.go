package tree

import (
	"slices"
	"strings"
)

// WatcherID identifies one client connection: watches belong to
// connections, not sessions.
type WatcherID uint64

// WatchKind is what a request asks to watch.
type WatchKind uint8

// The kinds of watch: getData on an existing node (WatchData), exists
// (WatchData on an existing node, WatchExist on a missing one; the server
// treats them alike), getChildren (WatchChild), and addWatch's PERSISTENT and
// PERSISTENT_RECURSIVE.
const (
	WatchData WatchKind = iota + 1
	WatchExist
	WatchChild
	WatchPersistent
	WatchPersistentRecursive
)

// ZooKeeper's WatcherType values for checkWatches and removeWatches.
const (
	WatcherChildren            int32 = 1
	WatcherData                int32 = 2
	WatcherAny                 int32 = 3
	WatcherPersistent          int32 = 4
	WatcherPersistentRecursive int32 = 5
)

// ValidWatcherType reports whether t is a WatcherType; for any other value
// checkWatches and removeWatches answer MARSHALLINGERROR.
func ValidWatcherType(t int32) bool { return t >= WatcherChildren && t <= WatcherPersistentRecursive }

// modes is ZooKeeper 3.9's WatchStats: which kinds of watch one connection
// holds on one path in one manager. One-shot and persistent watches on the
// same path coexist (ZOOKEEPER-4466; 3.8 let the later replace the other).
type modes uint8

const (
	modeStandard modes = 1 << iota
	modePersistent
	modeRecursive
)

// Fired is one event to deliver to one connection.
type Fired struct {
	Watcher WatcherID
	Type    EventType
	Path    string
}

// String gives one line, e.g. "NodeDeleted /lock/l-0000000003 -> w7".
func (f Fired) String() string {
	return f.Type.String() + " " + f.Path + " -> w" + uitoa(uint64(f.Watcher))
}

// Watches is one member's watch registry, with ZooKeeper's two managers:
// data watches (getData, exists, persistent, recursive) and child watches
// (getChildren, persistent). It is not replicated and not safe for
// concurrent use.
type Watches struct {
	data      map[string]map[WatcherID]modes
	child     map[string]map[WatcherID]modes
	paths     map[WatcherID]map[string]struct{} // every path id watches, in either manager
	recursive int                               // (path, watcher) pairs with a recursive watch
}

// NewWatches returns an empty registry.
func NewWatches() *Watches {
	return &Watches{
		data:  make(map[string]map[WatcherID]modes),
		child: make(map[string]map[WatcherID]modes),
		paths: make(map[WatcherID]map[string]struct{}),
	}
}

// Add registers a watch of the given kind on path for id. The path need not
// exist.
func (w *Watches) Add(path string, kind WatchKind, id WatcherID) {
	switch kind {
	case WatchData, WatchExist:
		w.set(w.data, path, id, modeStandard)
	case WatchChild:
		w.set(w.child, path, id, modeStandard)
	case WatchPersistent:
		w.set(w.data, path, id, modePersistent)
		w.set(w.child, path, id, modePersistent)
	case WatchPersistentRecursive:
		w.set(w.data, path, id, modeRecursive)
	}
}

func (w *Watches) set(m map[string]map[WatcherID]modes, path string, id WatcherID, mode modes) {
	byID := m[path]
	if byID == nil {
		path = strings.Clone(path)
		byID = make(map[WatcherID]modes)
		m[path] = byID
	}
	old := byID[id]
	byID[id] = old | mode
	if mode == modeRecursive && old&modeRecursive == 0 {
		w.recursive++
	}
	ps := w.paths[id]
	if ps == nil {
		ps = make(map[string]struct{})
		w.paths[id] = ps
	}
	if _, ok := ps[path]; !ok {
		ps[strings.Clone(path)] = struct{}{} // never pin a request's buffer
	}
}

// update stores the modes id now holds on path in m, forgetting the entry
// when none are left.
func (w *Watches) update(m map[string]map[WatcherID]modes, path string, id WatcherID, old, now modes) {
	if old&modeRecursive != 0 && now&modeRecursive == 0 {
		w.recursive--
	}
	byID := m[path]
	if now != 0 {
		byID[id] = now
		return
	}
	delete(byID, id)
	if len(byID) == 0 {
		delete(m, path)
	}
	if _, ok := w.data[path][id]; ok {
		return
	}
	if _, ok := w.child[path][id]; ok {
		return
	}
	if ps := w.paths[id]; ps != nil {
		delete(ps, path)
		if len(ps) == 0 {
			delete(w.paths, id)
		}
	}
}

// Trigger finds who hears about change c, by ZooKeeper's rules:
// NodeCreated and NodeDataChanged go to data watches on the path (data,
// exist, persistent, recursive); NodeChildrenChanged to child watches on it
// (child, persistent); NodeDeleted to both; and all but NodeChildrenChanged
// also to recursive watches on any ancestor (recursive watches never hear
// NodeChildrenChanged). One-shot watches that fire are removed,
// persistent ones stay. Each connection gets at most one event per change.
// canRead (nil = everyone) filters by the node's ACL (c.ACL): a connection
// that cannot READ the node gets nothing, though its one-shot watch is
// consumed all the same (CVE-2024-23944). The result is sorted by watcher.
func (w *Watches) Trigger(c Change, canRead func(id WatcherID, acl []ACL) bool) []Fired {
	var ids []WatcherID
	switch c.Type {
	case EventNodeCreated, EventNodeDataChanged:
		ids = w.fire(ids, w.data, c.Path, true)
	case EventNodeChildrenChanged:
		ids = w.fire(ids, w.child, c.Path, false)
	case EventNodeDeleted:
		ids = w.fire(ids, w.data, c.Path, true)
		ids = w.fire(ids, w.child, c.Path, false)
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make([]Fired, 0, len(ids))
	for _, id := range ids {
		if canRead == nil || canRead(id, c.ACL) {
			out = append(out, Fired{Watcher: id, Type: c.Type, Path: c.Path})
		}
	}
	return out
}

func (w *Watches) fire(ids []WatcherID, m map[string]map[WatcherID]modes, path string, ancestors bool) []WatcherID {
	for id, old := range m[path] { // changing the map while ranging over it is allowed
		ids = append(ids, id)
		if old&modeStandard != 0 {
			w.update(m, path, id, old, old&^modeStandard)
		}
	}
	if !ancestors || w.recursive == 0 {
		return ids
	}
	for p := path; len(p) > 1 && p[0] == '/'; {
		p = parentPath(p)
		for id, ms := range m[p] {
			if ms&modeRecursive != 0 {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

func uitoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		if v /= 10; v == 0 {
			return string(b[i:])
		}
	}
}
