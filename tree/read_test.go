package tree

import (
	"reflect"
	"strings"
	"testing"
)

func TestReads(t *testing.T) {
	h := newHarness(t)
	alice := ID{"digest", DigestID("alice", "pw")}
	for _, p := range []string{"/r", "/r/b", "/r/a", "/r/c", "/r/a/x", "/r/a/y", "/other"} {
		h.ok(mkCreate(p, "d"+p, Persistent))
	}
	h.do(0, []ID{alice}, Op{Type: OpCreate, Path: "/secret", ACL: []ACL{{PermAll, alice}}})
	h.do(0, []ID{alice}, Op{Type: OpCreate, Path: "/secret/s", ACL: OpenACL})

	kids, st, err := h.tr.Children("/r", nil)
	if err != nil || !reflect.DeepEqual(kids, []string{"a", "b", "c"}) || st.NumChildren != 3 {
		t.Fatalf("children %v %v %v", kids, st, err)
	}
	if kids, _, _ := h.tr.Children("/r/b", nil); kids == nil || len(kids) != 0 {
		t.Fatalf("leaf children %#v, want an empty list", kids)
	}
	for _, p := range []string{"/r/", "r", "//r", "/r//a", "/zz", "/r/a/x/y"} {
		if _, _, err := h.tr.Get(p, nil); err != ErrNoNode {
			t.Errorf("Get(%q) = %v", p, err)
		}
		if _, _, err := h.tr.Children(p, nil); err != ErrNoNode {
			t.Errorf("Children(%q) = %v", p, err)
		}
	}
	if _, err := h.tr.Exists("/r\x00"); err != ErrBadArguments {
		t.Errorf("exists with NUL: %v", err)
	}
	if _, _, err := h.tr.Get("/r\x00", nil); err != ErrNoNode { // getData does not validate
		t.Errorf("get with NUL: %v", err)
	}

	for _, tc := range []struct {
		path string
		auth []ID
		want int32
		err  error
	}{
		{"/", nil, 12, nil}, // every node but the root, /zookeeper's three included
		{"/r", nil, 5, nil},
		{"/r/a", nil, 2, nil},
		{"/r/b", nil, 0, nil},
		{"/zookeeper", nil, 2, nil},
		{"/zz", nil, 0, ErrNoNode},
		{"/secret", nil, 0, ErrNoAuth},
		{"/secret", []ID{alice}, 1, nil},
		{"/secret/s", nil, 0, nil},
	} {
		got, err := h.tr.AllChildrenNumber(tc.path, tc.auth)
		if got != tc.want || err != tc.err {
			t.Errorf("AllChildrenNumber(%s) = %d %v, want %d %v", tc.path, got, err, tc.want, tc.err)
		}
	}

	res, err := h.tr.MultiRead([]Op{
		{Type: OpGetData, Path: "/r/a"},
		{Type: OpGetChildren, Path: "/r/a"},
		{Type: OpGetData, Path: "/nope"},
		{Type: OpGetChildren, Path: "/secret"},
		{Type: OpGetData, Path: "/secret/s"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, ast, _ := h.tr.Get("/r/a", nil)
	want := []OpResult{
		{Type: OpGetData, Path: "/r/a", Data: []byte("d/r/a"), Stat: ast},
		{Type: OpGetChildren, Path: "/r/a", Children: []string{"x", "y"}},
		{Type: OpError, Err: ErrNoNode},
		{Type: OpError, Err: ErrNoAuth},
		{Type: OpGetData, Path: "/secret/s", Stat: h.stat("/secret/s")},
	}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("multiRead\n got %+v\nwant %+v", res, want)
	}
	if res, err := h.tr.MultiRead(nil, nil); err != nil || len(res) != 0 {
		t.Fatalf("empty multiRead: %v %v", res, err)
	}
	for _, bad := range []OpType{OpGetChildren2, OpCreate, OpExists} {
		if _, err := h.tr.MultiRead([]Op{{Type: OpGetData, Path: "/r"}, {Type: bad, Path: "/r"}}, nil); err != ErrMarshallingError {
			t.Errorf("multiRead with %s: %v", bad, err)
		}
	}
}

func TestWalk(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/w", "/w/b", "/w/a", "/w/a/z", "/w/c"} {
		h.ok(mkCreate(p, strings.ToUpper(p), Persistent))
	}
	var got []string
	h.tr.Walk("/w", func(path string, st Stat, data []byte) bool {
		got = append(got, path+"="+string(data))
		return true
	})
	want := []string{"/w=/W", "/w/a=/W/A", "/w/a/z=/W/A/Z", "/w/b=/W/B", "/w/c=/W/C"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("walk %v", got)
	}
	got = nil
	h.tr.Walk("/", func(path string, _ Stat, _ []byte) bool {
		got = append(got, path)
		return len(got) < 3
	})
	if !reflect.DeepEqual(got, []string{"/", "/w", "/w/a"}) {
		t.Fatalf("stopped walk %v", got)
	}
	called := false
	h.tr.Walk("/nope", func(string, Stat, []byte) bool { called = true; return true })
	if called {
		t.Fatal("walked a missing path")
	}
}

// TestDeepTree: a path under the size limit can hold half a million levels,
// so the walks use explicit stacks; this checks they are right on a deep
// (though not that deep: paths make it quadratic) tree.
func TestDeepTree(t *testing.T) {
	tr := New()
	path := ""
	const depth = 3000
	for i := 1; i <= depth; i++ {
		path += "/d"
		if r := tr.Apply(&Txn{Zxid: Zxid(i), Op: mkCreate(path, "", Persistent)}); r.Err != OK {
			t.Fatal(r.Err)
		}
	}
	if n, _ := tr.AllChildrenNumber("/d", nil); n != depth-1 {
		t.Fatalf("descendants %d", n)
	}
	back := mustRestore(t, tr.AppendSnapshot(nil))
	if back.Digest() != tr.Digest() || back.NodeCount() != depth+4 {
		t.Fatal("deep snapshot differs")
	}
}
