package zk

import "sort"

// watchKind is what a watch registration listens to on the server.
type watchKind int

const (
	watchData       watchKind = iota // getData/exists on an existing node
	watchExist                       // exists on a missing node
	watchChild                       // getChildren
	watchPersistent                  // addWatch PERSISTENT
	watchRecursive                   // addWatch PERSISTENT_RECURSIVE
	numWatchKinds
)

// watcher is one client-side watch. A one-shot watcher has ch (capacity 1:
// it receives exactly one event and is then closed, so sending never
// blocks); a persistent one has fn, called on the dispatcher goroutine.
type watcher struct {
	kind watchKind
	ch   chan WatchEvent
	fn   func(WatchEvent)
}

// watchRegistry holds every watch the client believes the server holds for
// it, keyed by server path, so SetWatches can re-arm them after a reconnect.
// It is guarded by Client.mu.
type watchRegistry struct {
	byKind [numWatchKinds]map[string][]*watcher
}

func (r *watchRegistry) add(path string, w *watcher) {
	m := r.byKind[w.kind]
	if m == nil {
		m = make(map[string][]*watcher)
		r.byKind[w.kind] = m
	}
	m[path] = append(m[path], w)
}

func (r *watchRegistry) take(kind watchKind, path string) []*watcher {
	ws := r.byKind[kind][path]
	delete(r.byKind[kind], path)
	return ws
}

// match returns the watchers a notification triggers, removing the one-shot
// ones, with the mapping the Java client uses (ZKWatchManager.materialize):
// created and data-changed go to data and exist watches, children-changed
// to child watches, deleted to all three; persistent watches on the path
// get every event; recursive watches on the path or an ancestor get all but
// children-changed.
func (r *watchRegistry) match(ev WatcherEvent) []*watcher {
	var out []*watcher
	switch ev.Type {
	case EventNodeCreated, EventNodeDataChanged:
		out = append(out, r.take(watchData, ev.Path)...)
		out = append(out, r.take(watchExist, ev.Path)...)
	case EventNodeChildrenChanged:
		out = append(out, r.take(watchChild, ev.Path)...)
	case EventNodeDeleted:
		out = append(out, r.take(watchData, ev.Path)...)
		out = append(out, r.take(watchExist, ev.Path)...)
		out = append(out, r.take(watchChild, ev.Path)...)
	}
	out = append(out, r.byKind[watchPersistent][ev.Path]...)
	if ev.Type == EventNodeChildrenChanged {
		return out
	}
	for p := ev.Path; ; p = parentPath(p) {
		out = append(out, r.byKind[watchRecursive][p]...)
		if p == "/" || p == "" {
			return out
		}
	}
}

// remove takes the watches a successful removeWatches of type t on path
// ended, each with the event type the Java client reports for it.
func (r *watchRegistry) remove(path string, t WatcherType) []removedWatch {
	var out []removedWatch
	takeAs := func(kind watchKind, et EventType) {
		for _, w := range r.take(kind, path) {
			out = append(out, removedWatch{w, et})
		}
	}
	switch t {
	case WatcherChildren:
		takeAs(watchChild, EventChildWatchRemoved)
	case WatcherData:
		takeAs(watchData, EventDataWatchRemoved)
		takeAs(watchExist, EventDataWatchRemoved)
	case WatcherAny:
		takeAs(watchChild, EventChildWatchRemoved)
		takeAs(watchData, EventDataWatchRemoved)
		takeAs(watchExist, EventDataWatchRemoved)
		takeAs(watchPersistent, EventPersistentWatchRemoved)
		takeAs(watchRecursive, EventPersistentWatchRemoved)
	case WatcherPersistent:
		takeAs(watchPersistent, EventPersistentWatchRemoved)
	case WatcherPersistentRecursive:
		takeAs(watchRecursive, EventPersistentWatchRemoved)
	}
	return out
}

type removedWatch struct {
	w  *watcher
	et EventType
}

// all empties the registry and returns every watcher in it.
func (r *watchRegistry) all() []*watcher {
	var out []*watcher
	for k := range r.byKind {
		for _, p := range sortedKeys(r.byKind[k]) {
			out = append(out, r.byKind[k][p]...)
		}
		r.byKind[k] = nil
	}
	return out
}

// persistent returns the persistent and recursive watchers, in a stable order.
func (r *watchRegistry) persistent() []*watcher {
	var out []*watcher
	for _, k := range []watchKind{watchPersistent, watchRecursive} {
		for _, p := range sortedKeys(r.byKind[k]) {
			out = append(out, r.byKind[k][p]...)
		}
	}
	return out
}

// setWatchesMaxLength bounds the path bytes of one SetWatches packet, as
// the Java client's SET_WATCHES_MAX_LENGTH does.
const setWatchesMaxLength = 128 << 10

// setWatches returns the packets that re-arm every watch after a reconnect:
// SetWatches (101), or SetWatches2 (105) when any persistent watch exists,
// split so each carries under 128 KiB of paths.
func (r *watchRegistry) setWatches(relZxid int64) []Record {
	lists := make([][]string, numWatchKinds)
	total := 0
	for k := range lists {
		lists[k] = sortedKeys(r.byKind[k])
		total += len(lists[k])
	}
	if total == 0 {
		return nil
	}
	v2 := len(lists[watchPersistent])+len(lists[watchRecursive]) > 0
	var out []Record
	for total > 0 {
		var batch [numWatchKinds][]string
		size := 0
		for k := range lists {
			for len(lists[k]) > 0 && (size == 0 || size+4+len(lists[k][0]) <= setWatchesMaxLength) {
				p := lists[k][0]
				lists[k] = lists[k][1:]
				batch[k] = append(batch[k], p)
				size += 4 + len(p)
				total--
			}
		}
		if v2 {
			out = append(out, &SetWatches2{RelativeZxid: relZxid,
				DataWatches: batch[watchData], ExistWatches: batch[watchExist], ChildWatches: batch[watchChild],
				PersistentWatches: batch[watchPersistent], PersistentRecursiveWatches: batch[watchRecursive]})
		} else {
			out = append(out, &SetWatches{RelativeZxid: relZxid,
				DataWatches: batch[watchData], ExistWatches: batch[watchExist], ChildWatches: batch[watchChild]})
		}
	}
	return out
}

func sortedKeys(m map[string][]*watcher) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// parentPath returns the parent of an absolute path; "/" for "/" and for
// top-level nodes.
func parentPath(p string) string {
	for i := len(p) - 1; i > 0; i-- {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return "/"
}
