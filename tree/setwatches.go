package tree

// SetWatches is ZooKeeper's DataTree.setWatches, run when a client
// reconnects (setWatches, setWatches2) with the watches it held and the last
// zxid it saw. For each path it either returns an event to send now, in
// which case the one-shot watch is not registered, or registers the watch
// with w for connection id:
//
//	data:  missing → NodeDeleted; mzxid > relZxid → NodeDataChanged; else watch
//	exist: present → NodeCreated; else watch
//	child: missing → NodeDeleted; pzxid > relZxid → NodeChildrenChanged; else watch
//	persistent, recursive: always watch, no catch-up
//
// Events come in list order (data, exist, child), unsorted and not
// deduplicated, and without an ACL filter: ZooKeeper sends catch-up events
// unfiltered. The tree is only read.
func (t *Tree) SetWatches(relZxid Zxid, data, exist, child, persistent, recursive []string, id WatcherID, w *Watches) []Fired {
	var out []Fired
	fire := func(typ EventType, p string) { out = append(out, Fired{Watcher: id, Type: typ, Path: p}) }
	for _, p := range data {
		switch n := t.lookup(p); {
		case n == nil:
			fire(EventNodeDeleted, p)
		case n.mzxid > relZxid:
			fire(EventNodeDataChanged, p)
		default:
			w.Add(p, WatchData, id)
		}
	}
	for _, p := range exist {
		if t.lookup(p) != nil {
			fire(EventNodeCreated, p)
		} else {
			w.Add(p, WatchExist, id)
		}
	}
	for _, p := range child {
		switch n := t.lookup(p); {
		case n == nil:
			fire(EventNodeDeleted, p)
		case n.pzxid > relZxid:
			fire(EventNodeChildrenChanged, p)
		default:
			w.Add(p, WatchChild, id)
		}
	}
	for _, p := range persistent {
		w.Add(p, WatchPersistent, id)
	}
	for _, p := range recursive {
		w.Add(p, WatchPersistentRecursive, id)
	}
	return out
}
