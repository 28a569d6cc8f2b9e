package tree

import (
	"slices"
	"strings"
)

// Remove is removeWatches for one connection, with ZooKeeper 3.9's meaning of
// each WatcherType: Children and Data remove the one-shot watch of that
// manager, Persistent the persistent watch (from both managers),
// PersistentRecursive the recursive one, and Any everything id holds on
// path. It reports whether anything was removed (NOWATCHER otherwise). An
// invalid type removes nothing; callers answer MARSHALLINGERROR for it first
// (ValidWatcherType).
func (w *Watches) Remove(path string, wtype int32, id WatcherID) bool {
	switch wtype {
	case WatcherChildren:
		return w.drop(w.child, path, id, modeStandard)
	case WatcherData:
		return w.drop(w.data, path, id, modeStandard)
	case WatcherPersistent:
		c := w.drop(w.child, path, id, modePersistent)
		d := w.drop(w.data, path, id, modePersistent)
		return c || d
	case WatcherPersistentRecursive:
		return w.drop(w.data, path, id, modeRecursive)
	case WatcherAny:
		c := w.drop(w.child, path, id, modeStandard|modePersistent|modeRecursive)
		d := w.drop(w.data, path, id, modeStandard|modePersistent|modeRecursive)
		return c || d
	}
	return false
}

func (w *Watches) drop(m map[string]map[WatcherID]modes, path string, id WatcherID, mask modes) bool {
	old, ok := m[path][id]
	if !ok || old&mask == 0 {
		return false
	}
	w.update(m, path, id, old, old&^mask)
	return true
}

// Has is checkWatches: whether id holds a watch of wtype on path (Children
// and Data: the one-shot watch; Persistent and PersistentRecursive: those;
// Any: anything at all).
func (w *Watches) Has(path string, wtype int32, id WatcherID) bool {
	d := w.data[path][id]
	switch wtype {
	case WatcherChildren:
		return w.child[path][id]&modeStandard != 0
	case WatcherData:
		return d&modeStandard != 0
	case WatcherPersistent:
		return d&modePersistent != 0
	case WatcherPersistentRecursive:
		return d&modeRecursive != 0
	case WatcherAny:
		return d != 0 || w.child[path][id] != 0
	}
	return false
}

// RemoveWatcher drops every watch of a connection that closed.
func (w *Watches) RemoveWatcher(id WatcherID) {
	for p := range w.paths[id] {
		for _, m := range []map[string]map[WatcherID]modes{w.data, w.child} {
			if old, ok := m[p][id]; ok {
				w.update(m, p, id, old, 0)
			}
		}
	}
	delete(w.paths, id)
}

// Count is ZooKeeper's watch count (zk_watch_count): (path, connection)
// entries in the data manager plus those in the child manager, so a
// persistent watch counts twice.
func (w *Watches) Count() int {
	n := 0
	for _, byID := range w.data {
		n += len(byID)
	}
	for _, byID := range w.child {
		n += len(byID)
	}
	return n
}

// ByWatcher lists, per connection, the paths it watches in the data manager,
// sorted, which is what wchc reports (child watches are not listed by
// ZooKeeper's wchc, wchp or wchs).
func (w *Watches) ByWatcher() map[WatcherID][]string {
	out := make(map[WatcherID][]string)
	for p, byID := range w.data {
		for id := range byID {
			out[id] = append(out[id], p)
		}
	}
	for _, ps := range out {
		slices.Sort(ps)
	}
	return out
}

// ByPath lists, per path, the connections watching it in the data manager,
// sorted, which is what wchp reports.
func (w *Watches) ByPath() map[string][]WatcherID {
	out := make(map[string][]WatcherID, len(w.data))
	for p, byID := range w.data {
		ids := make([]WatcherID, 0, len(byID))
		for id := range byID {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		out[p] = ids
	}
	return out
}

// WatchEntry is one (connection, path) pair with every kind of watch the
// connection holds there (WatchExist is reported as WatchData: the server
// cannot tell them apart).
type WatchEntry struct {
	Watcher WatcherID
	Path    string
	Kinds   []WatchKind
}

// String gives one line, e.g. "w3 /app data,child".
func (e WatchEntry) String() string {
	names := make([]string, len(e.Kinds))
	for i, k := range e.Kinds {
		names[i] = k.String()
	}
	return "w" + uitoa(uint64(e.Watcher)) + " " + e.Path + " " + strings.Join(names, ",")
}

// Entries lists every watch, both managers, sorted by watcher then path:
// the full picture for the console, beyond what the four-letter words show.
func (w *Watches) Entries() []WatchEntry {
	var out []WatchEntry
	for id, ps := range w.paths {
		for p := range ps {
			d, c := w.data[p][id], w.child[p][id]
			e := WatchEntry{Watcher: id, Path: p}
			if d&modeStandard != 0 {
				e.Kinds = append(e.Kinds, WatchData)
			}
			if c&modeStandard != 0 {
				e.Kinds = append(e.Kinds, WatchChild)
			}
			if (d|c)&modePersistent != 0 {
				e.Kinds = append(e.Kinds, WatchPersistent)
			}
			if d&modeRecursive != 0 {
				e.Kinds = append(e.Kinds, WatchPersistentRecursive)
			}
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b WatchEntry) int {
		if a.Watcher != b.Watcher {
			if a.Watcher < b.Watcher {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Path, b.Path)
	})
	return out
}

// String gives the kind's short name: data, exist, child, persistent,
// recursive.
func (k WatchKind) String() string {
	switch k {
	case WatchData:
		return "data"
	case WatchExist:
		return "exist"
	case WatchChild:
		return "child"
	case WatchPersistent:
		return "persistent"
	case WatchPersistentRecursive:
		return "recursive"
	}
	return "WatchKind(" + uitoa(uint64(k)) + ")"
}
