package zk

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// A registry with one watch of every kind on /a, one on /a/b, and
// recursive watches on / and /a; match must hand each notification to the
// watches the Java client would.
func TestWatchRegistryMatch(t *testing.T) {
	type reg struct {
		kind watchKind
		path string
	}
	regs := []reg{
		{watchData, "/a"}, {watchExist, "/a"}, {watchChild, "/a"}, {watchPersistent, "/a"},
		{watchRecursive, "/"}, {watchRecursive, "/a"}, {watchData, "/a/b"}, {watchChild, "/a/b"},
	}
	cases := []struct {
		ev   WatcherEvent
		want []string // "kind path" of the watches triggered
		left int      // watches left in the registry afterwards
	}{
		{WatcherEvent{Type: EventNodeDataChanged, Path: "/a"}, []string{"data /a", "exist /a", "persistent /a", "recursive /a", "recursive /"}, 6},
		{WatcherEvent{Type: EventNodeCreated, Path: "/a"}, []string{"data /a", "exist /a", "persistent /a", "recursive /a", "recursive /"}, 6},
		{WatcherEvent{Type: EventNodeChildrenChanged, Path: "/a"}, []string{"child /a", "persistent /a"}, 7},
		{WatcherEvent{Type: EventNodeDeleted, Path: "/a"}, []string{"data /a", "exist /a", "child /a", "persistent /a", "recursive /a", "recursive /"}, 5},
		{WatcherEvent{Type: EventNodeDeleted, Path: "/a/b"}, []string{"data /a/b", "child /a/b", "recursive /a", "recursive /"}, 6},
		{WatcherEvent{Type: EventNodeChildrenChanged, Path: "/a/b"}, []string{"child /a/b"}, 7},
		{WatcherEvent{Type: EventNodeCreated, Path: "/a/b/c"}, []string{"recursive /a", "recursive /"}, 8},
		{WatcherEvent{Type: EventNodeCreated, Path: "/x"}, []string{"recursive /"}, 8},
	}
	kinds := []string{"data", "exist", "child", "persistent", "recursive"}
	for _, tc := range cases {
		t.Run(tc.ev.Type.String()+" "+tc.ev.Path, func(t *testing.T) {
			var r watchRegistry
			labels := map[*watcher]string{}
			for _, g := range regs {
				w := &watcher{kind: g.kind}
				labels[w] = kinds[g.kind] + " " + g.path
				r.add(g.path, w)
			}
			var got []string
			for _, w := range r.match(tc.ev) {
				got = append(got, labels[w])
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("triggered %v, want %v", got, tc.want)
			}
			if left := len(r.all()); left != tc.left {
				t.Errorf("%d watches left, want %d", left, tc.left)
			}
		})
	}
}

func TestWatchRegistryRemove(t *testing.T) {
	cases := []struct {
		t    WatcherType
		want []string
	}{
		{WatcherChildren, []string{"child ChildWatchRemoved"}},
		{WatcherData, []string{"data DataWatchRemoved", "exist DataWatchRemoved"}},
		{WatcherAny, []string{"child ChildWatchRemoved", "data DataWatchRemoved", "exist DataWatchRemoved",
			"persistent PersistentWatchRemoved", "recursive PersistentWatchRemoved"}},
		{WatcherPersistent, []string{"persistent PersistentWatchRemoved"}},
		{WatcherPersistentRecursive, []string{"recursive PersistentWatchRemoved"}},
	}
	kinds := []string{"data", "exist", "child", "persistent", "recursive"}
	for _, tc := range cases {
		var r watchRegistry
		for k := watchKind(0); k < numWatchKinds; k++ {
			r.add("/p", &watcher{kind: k})
			r.add("/other", &watcher{kind: k})
		}
		var got []string
		for _, rw := range r.remove("/p", tc.t) {
			got = append(got, kinds[rw.w.kind]+" "+rw.et.String())
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%v: removed %v, want %v", tc.t, got, tc.want)
		}
		if left := len(r.all()); left != 2*int(numWatchKinds)-len(tc.want) {
			t.Errorf("%v: %d left", tc.t, left)
		}
	}
}

// SetWatches packets carry every watch once, each under 128 KiB of paths;
// SetWatches2 is used only when a persistent watch exists.
func TestSetWatchesBatching(t *testing.T) {
	var r watchRegistry
	want := map[string]bool{}
	for i := 0; i < 3000; i++ {
		p := fmt.Sprintf("/%s/%05d", strings.Repeat("x", 100), i)
		r.add(p, &watcher{kind: watchKind(i % 3)})
		want[fmt.Sprint(i%3)+p] = true
	}
	packets := r.setWatches(42)
	if len(packets) < 3 {
		t.Fatalf("%d packets for ~330 KiB of paths", len(packets))
	}
	got := map[string]bool{}
	for _, p := range packets {
		sw, ok := p.(*SetWatches)
		if !ok {
			t.Fatalf("packet %T without persistent watches", p)
		}
		if sw.RelativeZxid != 42 {
			t.Fatalf("relativeZxid %d", sw.RelativeZxid)
		}
		size := 0
		for k, list := range [][]string{sw.DataWatches, sw.ExistWatches, sw.ChildWatches} {
			for _, path := range list {
				size += 4 + len(path)
				got[fmt.Sprint(k)+path] = true
			}
		}
		if size > setWatchesMaxLength {
			t.Fatalf("packet with %d bytes of paths", size)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("packets carry %d watches, want %d", len(got), len(want))
	}

	r.add("/p", &watcher{kind: watchRecursive})
	packets = r.setWatches(1)
	var persistent []string
	for _, p := range packets {
		sw2, ok := p.(*SetWatches2)
		if !ok {
			t.Fatalf("packet %T with a persistent watch", p)
		}
		persistent = append(persistent, sw2.PersistentRecursiveWatches...)
	}
	sort.Strings(persistent)
	if !reflect.DeepEqual(persistent, []string{"/p"}) {
		t.Fatalf("recursive watches %v", persistent)
	}
	if (&watchRegistry{}).setWatches(1) != nil {
		t.Fatal("packets for an empty registry")
	}
}

func TestDispatcherOrderAndDrain(t *testing.T) {
	d := newDispatcher()
	var got []int
	release := make(chan struct{})
	d.post(func() { <-release }) // a slow callback must not make post block or drop
	for i := 0; i < 10000; i++ {
		d.post(func() { got = append(got, i) })
	}
	close(release)
	d.close()
	if len(got) != 10000 {
		t.Fatalf("%d callbacks ran, want 10000", len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("callback %d ran at position %d", v, i)
		}
	}
	d.post(func() { t.Error("callback after close") })
}
