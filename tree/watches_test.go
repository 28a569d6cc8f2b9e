package tree

import (
	"reflect"
	"strings"
	"testing"
)

// wstep is one line of a watch transcript: either register a watch or apply
// an op, and then the events that op fires, as "Type /path -> wN" joined by
// ", " ("" for none).
type wstep struct {
	add  string // "w1 data /a"
	op   Op
	sess int64
	want string
}

func watch(spec string) wstep { return wstep{add: spec} }

func fires(op Op, want string) wstep { return wstep{op: op, want: want} }

var kindByName = map[string]WatchKind{
	"data": WatchData, "exist": WatchExist, "child": WatchChild,
	"persistent": WatchPersistent, "recursive": WatchPersistentRecursive,
}

// runWatchScript plays steps against a fresh tree; watchers listed in
// noRead cannot READ nodes whose ACL is not world-readable.
func runWatchScript(t *testing.T, name string, steps []wstep) {
	t.Helper()
	h := newHarness(t)
	h.session(1)
	w := NewWatches()
	alice := ID{"digest", DigestID("alice", "pw")}
	auth := map[WatcherID][]ID{1: {alice}, 2: {{"ip", "127.0.0.1"}}, 3: {alice}, 4: nil}
	canRead := func(id WatcherID, acl []ACL) bool { return HasPerm(acl, auth[id], PermRead) }
	for i, s := range steps {
		if s.add != "" {
			f := strings.Fields(s.add)
			w.Add(f[2], kindByName[f[1]], WatcherID(f[0][1]-'0'))
			continue
		}
		r := h.do(s.sess, []ID{alice}, s.op)
		if r.Err != OK {
			t.Fatalf("%s step %d: %s %s: %v", name, i, s.op.Type, s.op.Path, r.Err)
		}
		var got []string
		for _, c := range r.Changes {
			for _, f := range w.Trigger(c, canRead) {
				got = append(got, f.String())
			}
		}
		if g := strings.Join(got, ", "); g != s.want {
			t.Errorf("%s step %d (%s %s):\n got %s\nwant %s", name, i, s.op.Type, s.op.Path, g, s.want)
		}
	}
}

func TestWatchTriggers(t *testing.T) {
	secret := Op{Type: OpCreate, Path: "/s", ACL: []ACL{{PermAll, ID{"auth", ""}}}}
	for _, tc := range []struct {
		name  string
		steps []wstep
	}{
		{"data watch is one-shot", []wstep{
			fires(mkCreate("/a", "", Persistent), ""),
			watch("w1 data /a"),
			fires(mkSet("/a", "1", -1), "NodeDataChanged /a -> w1"),
			fires(mkSet("/a", "2", -1), ""),
		}},
		{"exist watch on a missing node", []wstep{
			watch("w1 exist /b"),
			fires(mkCreate("/b", "", Persistent), "NodeCreated /b -> w1"),
			fires(mkDelete("/b", -1), ""),
		}},
		{"exist watch hears delete", []wstep{
			fires(mkCreate("/b", "", Persistent), ""),
			watch("w1 exist /b"),
			fires(mkDelete("/b", -1), "NodeDeleted /b -> w1"),
		}},
		{"child watch", []wstep{
			fires(mkCreate("/a", "", Persistent), ""),
			watch("w1 child /a"),
			watch("w2 data /a"),
			fires(mkCreate("/a/x", "", Persistent), "NodeChildrenChanged /a -> w1"),
			watch("w1 child /a"),
			fires(mkSet("/a/x", "1", -1), ""),
			fires(mkSet("/a", "1", -1), "NodeDataChanged /a -> w2"),
			fires(mkDelete("/a/x", -1), "NodeChildrenChanged /a -> w1"),
		}},
		{"one event per connection per change", []wstep{
			fires(mkCreate("/a", "", Persistent), ""),
			watch("w1 data /a"), watch("w1 exist /a"), watch("w1 child /a"), watch("w2 child /a"),
			fires(mkDelete("/a", -1), "NodeDeleted /a -> w1, NodeDeleted /a -> w2"),
			fires(mkCreate("/a", "", Persistent), ""),
		}},
		{"watchers come sorted", []wstep{
			fires(mkCreate("/a", "", Persistent), ""),
			watch("w3 data /a"), watch("w1 data /a"), watch("w2 exist /a"),
			fires(mkSet("/a", "", -1), "NodeDataChanged /a -> w1, NodeDataChanged /a -> w2, NodeDataChanged /a -> w3"),
		}},
		{"persistent (observed on 3.8.0)", []wstep{
			watch("w1 persistent /pw"),
			fires(mkCreate("/pw", "", Persistent), "NodeCreated /pw -> w1"),
			fires(mkCreate("/pw/c", "", Persistent), "NodeChildrenChanged /pw -> w1"),
			fires(mkSet("/pw/c", "x", -1), ""),
			fires(mkSet("/pw", "x", -1), "NodeDataChanged /pw -> w1"),
			fires(mkDelete("/pw/c", -1), "NodeChildrenChanged /pw -> w1"),
			fires(mkDelete("/pw", -1), "NodeDeleted /pw -> w1"),
			fires(mkCreate("/pw", "", Persistent), "NodeCreated /pw -> w1"),
		}},
		{"recursive never hears NodeChildrenChanged (observed on 3.8.0)", []wstep{
			watch("w1 recursive /r"),
			fires(mkCreate("/r", "", Persistent), "NodeCreated /r -> w1"),
			fires(mkCreate("/r/a", "", Persistent), "NodeCreated /r/a -> w1"),
			fires(mkSet("/r/a", "x", -1), "NodeDataChanged /r/a -> w1"),
			fires(mkCreate("/r/a/deep", "", Persistent), "NodeCreated /r/a/deep -> w1"),
			fires(mkDelete("/r/a/deep", -1), "NodeDeleted /r/a/deep -> w1"),
			fires(mkDelete("/r/a", -1), "NodeDeleted /r/a -> w1"),
			fires(mkCreate("/rx", "", Persistent), ""), // a sibling with the same prefix
		}},
		{"recursive on the root", []wstep{
			watch("w2 recursive /"),
			fires(mkCreate("/a", "", Persistent), "NodeCreated /a -> w2"),
			fires(Op{Type: OpSetACL, Path: "/a", ACL: ReadACL, Version: -1}, ""), // setACL fires nothing
			fires(mkCreate("/b", "", Persistent), "NodeCreated /b -> w2"),
		}},
		{"recursive and one-shot on the same path: one event, recursive stays", []wstep{
			fires(mkCreate("/a", "", Persistent), ""),
			watch("w1 recursive /"), watch("w1 data /a"), watch("w1 child /a"),
			fires(mkDelete("/a", -1), "NodeDeleted /a -> w1"),
			fires(mkCreate("/a", "", Persistent), "NodeCreated /a -> w1"),
		}},
		// 3.9 (ZOOKEEPER-4466): a one-shot watch next to a persistent one on the
		// same path does not replace it; 3.8 let the later one win.
		{"one-shot beside persistent", []wstep{
			fires(mkCreate("/x", "", Persistent), ""),
			watch("w1 persistent /x"), watch("w1 data /x"),
			fires(mkSet("/x", "1", -1), "NodeDataChanged /x -> w1"),
			fires(mkSet("/x", "2", -1), "NodeDataChanged /x -> w1"),
		}},
		// CVE-2024-23944: no event about a node the watcher cannot READ, though
		// its one-shot watch is spent. w2 authenticates only by ip.
		{"READ filter", []wstep{
			fires(secret, ""),
			watch("w1 data /s"), watch("w2 data /s"), watch("w2 recursive /"), watch("w3 exist /s"),
			fires(mkSet("/s", "1", -1), "NodeDataChanged /s -> w1, NodeDataChanged /s -> w3"),
			fires(mkCreate("/s/kid", "", Persistent), "NodeCreated /s/kid -> w2"), // the child itself is open
			watch("w2 child /s"),
			fires(mkDelete("/s/kid", -1), "NodeDeleted /s/kid -> w2"),
			fires(mkCreate("/open", "", Persistent), "NodeCreated /open -> w2"),
		}},
		{"NodeChildrenChanged is filtered by the parent's ACL", []wstep{
			fires(secret, ""),
			watch("w1 child /s"), watch("w2 child /s"),
			fires(mkCreate("/s/k", "", Persistent), "NodeChildrenChanged /s -> w1"),
		}},
		{"session close", []wstep{
			fires(mkCreate("/app", "", Persistent), ""),
			{op: mkCreate("/app/e", "", Ephemeral), sess: 1},
			watch("w2 data /app/e"), watch("w3 child /app"), watch("w4 recursive /app"),
			fires(Op{Type: OpCloseSession, SessionID: 1},
				"NodeDeleted /app/e -> w2, NodeDeleted /app/e -> w4, NodeChildrenChanged /app -> w3"),
		}},
		{"multi fires in op order", []wstep{
			watch("w1 exist /m"), watch("w2 child /"),
			fires(Op{Type: OpMulti, Ops: []Op{mkCreate("/m", "", Persistent), mkDelete("/m", -1)}},
				"NodeCreated /m -> w1, NodeChildrenChanged / -> w2"),
		}},
	} {
		runWatchScript(t, tc.name, tc.steps)
	}
}

func TestWatchRemoval(t *testing.T) {
	w := NewWatches()
	w.Add("/a", WatchData, 1)
	w.Add("/a", WatchChild, 1)
	w.Add("/a", WatchPersistent, 2)
	w.Add("/a", WatchPersistentRecursive, 3)
	w.Add("/b", WatchExist, 1)
	if w.Count() != 6 { // data: /a w1 w2 w3, /b w1; child: /a w1 w2
		t.Fatalf("count %d", w.Count())
	}
	if got := w.ByWatcher(); !reflect.DeepEqual(got, map[WatcherID][]string{1: {"/a", "/b"}, 2: {"/a"}, 3: {"/a"}}) {
		t.Fatalf("by watcher %v", got)
	}
	if got := w.ByPath(); !reflect.DeepEqual(got, map[string][]WatcherID{"/a": {1, 2, 3}, "/b": {1}}) {
		t.Fatalf("by path %v", got)
	}
	var lines []string
	for _, e := range w.Entries() {
		lines = append(lines, e.String())
	}
	if got := strings.Join(lines, "; "); got != "w1 /a data,child; w1 /b data; w2 /a persistent; w3 /a recursive" {
		t.Fatalf("entries: %s", got)
	}
	for _, tc := range []struct {
		op    string // "has" or "remove"
		path  string
		wtype int32
		id    WatcherID
		want  bool
	}{
		{"has", "/a", WatcherData, 1, true},
		{"has", "/a", WatcherChildren, 1, true},
		{"has", "/a", WatcherPersistent, 1, false},
		{"has", "/a", WatcherData, 2, false}, // a persistent watch is not a one-shot data watch
		{"has", "/a", WatcherPersistent, 2, true},
		{"has", "/a", WatcherAny, 3, true},
		{"has", "/a", WatcherPersistentRecursive, 3, true},
		{"has", "/a", 0, 1, false},
		{"has", "/a", 6, 1, false},
		{"has", "/zz", WatcherAny, 1, false},
		{"remove", "/a", WatcherChildren, 1, true},
		{"remove", "/a", WatcherChildren, 1, false},
		{"has", "/a", WatcherData, 1, true},
		{"remove", "/a", WatcherData, 2, false},
		{"remove", "/a", WatcherPersistent, 2, true}, // 3.9: both halves go
		{"has", "/a", WatcherAny, 2, false},
		{"remove", "/a", WatcherAny, 3, true},
		{"remove", "/a", WatcherAny, 3, false},
		{"remove", "/b", WatcherData, 1, true}, // an exist watch is a data watch
		{"remove", "/b", 4, 1, false},
	} {
		var got bool
		if tc.op == "has" {
			got = w.Has(tc.path, tc.wtype, tc.id)
		} else {
			got = w.Remove(tc.path, tc.wtype, tc.id)
		}
		if got != tc.want {
			t.Errorf("%s(%s, %d, w%d) = %v, want %v", tc.op, tc.path, tc.wtype, tc.id, got, tc.want)
		}
	}
	if w.Count() != 1 || w.recursive != 0 {
		t.Fatalf("count %d, recursive %d", w.Count(), w.recursive)
	}
	w.Add("/c", WatchPersistentRecursive, 1)
	w.Add("/d", WatchChild, 1)
	w.Add("/d", WatchData, 2)
	w.RemoveWatcher(1)
	if w.Count() != 1 || w.recursive != 0 || len(w.paths) != 1 || w.Has("/a", WatcherAny, 1) {
		t.Fatalf("after RemoveWatcher: count %d, recursive %d, paths %v", w.Count(), w.recursive, w.paths)
	}
	if got := w.Trigger(Change{Type: EventNodeDataChanged, Path: "/d"}, nil); len(got) != 1 || got[0].Watcher != 2 {
		t.Fatalf("survivor: %v", got)
	}
	if w.Count() != 0 || len(w.paths) != 0 || len(w.data) != 0 || len(w.child) != 0 {
		t.Fatalf("registry not empty: %d %v", w.Count(), w.paths)
	}
	for wt, valid := range map[int32]bool{0: false, 1: true, 3: true, 5: true, 6: false, -1: false} {
		if ValidWatcherType(wt) != valid {
			t.Errorf("ValidWatcherType(%d)", wt)
		}
	}
}

// TestSetWatches: catch-up after a reconnect (DataTree.setWatches).
func TestSetWatches(t *testing.T) {
	h := newHarness(t)
	h.ok(mkCreate("/same", "", Persistent))
	h.ok(mkCreate("/dir", "", Persistent))
	h.ok(mkCreate("/changed", "", Persistent))
	rel := h.zxid // what the client last saw
	h.ok(mkSet("/changed", "x", -1))
	h.ok(mkCreate("/dir/kid", "", Persistent))
	h.ok(mkCreate("/born", "", Persistent))

	w := NewWatches()
	fired := h.tr.SetWatches(rel,
		[]string{"/same", "/changed", "/gone"},
		[]string{"/born", "/unborn"},
		[]string{"/same", "/dir", "/gone"},
		[]string{"/p"}, []string{"/"}, 9, w)
	var got []string
	for _, f := range fired {
		got = append(got, f.String())
	}
	want := []string{
		"NodeDataChanged /changed -> w9", "NodeDeleted /gone -> w9",
		"NodeCreated /born -> w9",
		"NodeChildrenChanged /dir -> w9", "NodeDeleted /gone -> w9",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("catch-up\n got %v\nwant %v", got, want)
	}
	for _, c := range []struct {
		path  string
		wtype int32
		want  bool
	}{
		{"/same", WatcherData, true}, {"/same", WatcherChildren, true}, {"/unborn", WatcherData, true},
		{"/changed", WatcherAny, false}, {"/born", WatcherAny, false}, {"/dir", WatcherChildren, false},
		{"/gone", WatcherAny, false}, {"/p", WatcherPersistent, true}, {"/", WatcherPersistentRecursive, true},
	} {
		if w.Has(c.path, c.wtype, 9) != c.want {
			t.Errorf("watch %s type %d registered: %v", c.path, c.wtype, !c.want)
		}
	}
	// A relZxid from the future is taken as is: nothing changed since.
	w2 := NewWatches()
	if f := h.tr.SetWatches(h.zxid+100, []string{"/changed"}, nil, []string{"/dir"}, nil, nil, 1, w2); len(f) != 0 || w2.Count() != 2 {
		t.Fatalf("future relZxid: %v, %d watches", f, w2.Count())
	}
}

// TestReadFilterSpendsOneShot: a one-shot watch whose event is filtered away
// is gone all the same, as in ZooKeeper (the watch is removed before
// delivery is attempted).
func TestReadFilterSpendsOneShot(t *testing.T) {
	w := NewWatches()
	w.Add("/s", WatchData, 1)
	w.Add("/s", WatchPersistent, 2)
	deny := func(WatcherID, []ACL) bool { return false }
	if got := w.Trigger(Change{Type: EventNodeDataChanged, Path: "/s", ACL: ReadACL}, deny); len(got) != 0 {
		t.Fatalf("filtered events delivered: %v", got)
	}
	if w.Has("/s", WatcherData, 1) || !w.Has("/s", WatcherPersistent, 2) {
		t.Fatal("filtering changed which watches remain")
	}
}
