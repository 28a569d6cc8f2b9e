package pane

import (
	"errors"
	"slices"
	"testing"
	"time"

	"coordtui/tree"
	"coordtui/ui/source"
)

func kid(parent, name string, n int32) source.Child {
	p := "/" + name
	if parent != "/" {
		p = parent + "/" + name
	}
	return source.Child{Name: name, Path: p, NumChildren: n}
}

// loadedTree is a tree pane with /app and /workers loaded and expanded.
func loadedTree(t *testing.T) *Tree {
	tr := NewTree(testCommon())
	tr.SetFocused(true)
	dirs, detail := tr.Wants()
	if !slices.Equal(dirs, []string{"/"}) || detail != "/" {
		t.Fatalf("wants %v %q, want the root", dirs, detail)
	}
	tr.SetChildren("/", []source.Child{kid("/", "app", 2), kid("/", "workers", 2), kid("/", "zookeeper", 2)}, nil)
	seq := kid("/app", "lock-0000000007", 0)
	seq.Sequential = true
	cont := kid("/app", "tasks", 0)
	cont.Container = true
	ttl := kid("/workers", "ttl", 0)
	ttl.TTL = 5000
	eph := kid("/workers", "w1", 0)
	eph.Owner = 0x1000000a1
	tr.SelectPath("/app/tasks")
	tr.SetChildren("/app", []source.Child{seq, cont}, nil)
	tr.SelectPath("/workers/w1")
	tr.SetChildren("/workers", []source.Child{ttl, eph}, nil)
	if got := tr.SelectedPath(); got != "/workers/w1" {
		t.Fatalf("selected %q, want /workers/w1", got)
	}
	return tr
}

func TestTreeView(t *testing.T) {
	t.Run("detail_json_side_by_side", func(t *testing.T) {
		tr := loadedTree(t)
		_, detail := tr.Wants()
		tr.SetDetail(detail, source.Detail{Data: []byte(`{"host":"10.0.0.7","port":8080}`), Mode: "EPHEMERAL",
			Member: "n1", ACL: []string{"world:anyone=cdrwa"},
			Stat: tree.Stat{Czxid: tree.MakeZxid(2, 4), Mzxid: tree.MakeZxid(2, 4), Pzxid: tree.MakeZxid(2, 4),
				Ctime: now.UnixMilli(), Mtime: now.UnixMilli(), EphemeralOwner: 0x1000000a1, DataLength: 31}}, nil)
		tr.Touch("/app/lock-0000000007", now.Add(-time.Second))      // fresh
		tr.Touch("/workers/ttl", now.Add(-3*time.Second))            // fading
		tr.Touch("/zookeeper/quota", now.Add(-500*time.Millisecond)) // under a closed node
		checkGolden(t, tr, 100, 14)
	})
	t.Run("stacked_hex", func(t *testing.T) {
		tr := loadedTree(t)
		_, detail := tr.Wants()
		tr.SetDetail(detail, source.Detail{Data: []byte{0, 1, 2, 0xff, 'h', 'i'}, Mode: "PERSISTENT", Stat: tree.Stat{DataLength: 6}}, nil)
		checkGolden(t, tr, 50, 22)
	})
	t.Run("filter", func(t *testing.T) {
		tr := loadedTree(t)
		tr.StartFilter("w")
		tr.SetMatches("w", []string{"/workers", "/workers/ttl", "/workers/w1"})
		tr.Move(2)
		checkGolden(t, tr, 50, 8)
	})
	t.Run("load_error", func(t *testing.T) {
		tr := NewTree(testCommon())
		tr.Wants()
		tr.SetChildren("/", nil, errors.New("every member is down"))
		checkGolden(t, tr, 50, 6)
	})
}

// Navigation: expand asks for the children once, collapse steps out,
// and a change reloads the parent (and the grandparent, which shows the
// parent's child count) and the selected detail.
func TestTreeNavigationAndReloads(t *testing.T) {
	tr := loadedTree(t)
	tr.Wants()
	tr.SelectPath("/app")
	tr.Collapse()
	if tr.SelectedPath() != "/app" || tr.expanded["/app"] {
		t.Fatalf("collapse: at %q, open %v", tr.SelectedPath(), tr.expanded["/app"])
	}
	tr.Collapse()
	if tr.SelectedPath() != "/" {
		t.Fatalf("collapse of a closed node goes to its parent, got %q", tr.SelectedPath())
	}
	tr.Move(1)
	tr.Expand()
	if dirs, _ := tr.Wants(); len(dirs) != 0 {
		t.Fatalf("reopening a loaded node reloads %v", dirs)
	}
	tr.Expand()
	if tr.SelectedPath() != "/app/lock-0000000007" {
		t.Fatalf("expand of an open node steps in, got %q", tr.SelectedPath())
	}
	_, detail := tr.Wants()
	tr.SetDetail(detail, source.Detail{}, nil)
	tr.Touch("/app/lock-0000000007", now)
	dirs, detail := tr.Wants()
	if !slices.Equal(dirs, []string{"/", "/app"}) || detail != "/app/lock-0000000007" {
		t.Fatalf("after a change: reload %v and detail %q", dirs, detail)
	}
	if dirs, detail := tr.Wants(); len(dirs) != 0 || detail != "" {
		t.Fatalf("asked twice: %v %q", dirs, detail)
	}
	// The parent's Stat (numChildren, cversion, pzxid) changes with a
	// child: shown, it is read again.
	tr.Collapse()
	if _, detail := tr.Wants(); detail != "/app" {
		t.Fatalf("selecting /app reads %q", detail)
	}
	tr.SetDetail("/app", source.Detail{}, nil)
	tr.Touch("/app/lock-0000000008", now)
	if _, detail := tr.Wants(); detail != "/app" {
		t.Fatalf("a child created under the node shown: detail %q, want /app read again", detail)
	}
	tr.Prune(now.Add(time.Minute))
	if len(tr.changed) != 0 {
		t.Fatalf("changes kept after fading: %v", tr.changed)
	}
}

// A hundred thousand children cost one listing; only the visible rows
// are drawn.
func TestTreeManyChildrenStaysCheap(t *testing.T) {
	tr := NewTree(testCommon())
	tr.Wants()
	kids := make([]source.Child, 100000)
	for i := range kids {
		kids[i] = kid("/", "n"+string(rune('a'+i%26))+time.Duration(i).String(), 0)
	}
	tr.SetChildren("/", kids, nil)
	tr.SetSize(80, 20)
	tr.Page(1)
	tr.Page(1)
	start := time.Now()
	out := tr.View()
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Fatalf("one frame over 100,000 children took %v", d)
	}
	checkSize(t, out, 80, 20)
}
