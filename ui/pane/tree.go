package pane

import (
	"maps"
	"slices"
	"strings"
	"time"

	"coordtui/ui/source"
)

// How long a changed znode stays marked: bright while fresh, then fading.
const (
	freshFor = 1500 * time.Millisecond
	fadeFor  = 6 * time.Second
	// maxChanged bounds the remembered changes under a burst of writes.
	maxChanged = 2000
)

// Tree is the znode tree: expandable rows loaded lazily (only expanded
// nodes' children are ever read), badges for each node's kind, recent
// changes highlighted and fading, the selected node in full, and a filter
// by path. The console loads what Wants asks for and hands the results
// to SetChildren and SetDetail.
type Tree struct {
	c *Common
	size
	source string // which member's tree, in words

	kids     map[string][]source.Child
	expanded map[string]bool
	loading  map[string]bool
	dirty    map[string]bool
	errs     map[string]string
	rows     []source.Child // the visible rows, flattened
	depth    []int
	cursor   int
	offset   int
	want     string // a path to select once it is loaded

	detail        source.Detail
	detailErr     string
	detailLoading string
	detailStale   bool // the shown detail changed since it was read
	dataView      DataView

	changed   map[string]time.Time
	lastPrune time.Time
	highlight string

	filter    string
	filtering bool
	matches   []string
}

// NewTree returns a tree pane showing only the root until it is loaded.
func NewTree(c *Common) *Tree {
	t := &Tree{c: c, kids: map[string][]source.Child{}, expanded: map[string]bool{"/": true},
		loading: map[string]bool{}, dirty: map[string]bool{}, errs: map[string]string{}, changed: map[string]time.Time{}}
	t.rebuild()
	return t
}

// SetSource says whose tree is shown ("n2 (leader)").
func (t *Tree) SetSource(s string) { t.source = s }

// Wants lists the directories to (re)load and the znode whose detail is
// missing (""), and marks them loading so they are asked for once.
func (t *Tree) Wants() (dirs []string, detail string) {
	for p := range t.expanded {
		if t.expanded[p] && !t.loading[p] && (t.kids[p] == nil || t.dirty[p]) && t.errs[p] == "" {
			dirs = append(dirs, p)
		}
	}
	slices.Sort(dirs)
	for _, d := range dirs {
		t.loading[d] = true
		delete(t.dirty, d)
	}
	if sel := t.SelectedPath(); sel != "" && sel != t.detailLoading && (sel != t.detail.Path || t.detailStale) {
		t.detailLoading, t.detailStale = sel, false
		detail = sel
	}
	return dirs, detail
}

// SetChildren stores a loaded directory.
func (t *Tree) SetChildren(path string, kids []source.Child, err error) {
	delete(t.loading, path)
	if err != nil {
		t.errs[path] = err.Error()
		delete(t.kids, path)
	} else {
		delete(t.errs, path)
		if kids == nil {
			kids = []source.Child{}
		}
		t.kids[path] = kids
	}
	t.rebuild()
}

// SetDetail stores the selected znode's detail.
func (t *Tree) SetDetail(path string, d source.Detail, err error) {
	if path != t.detailLoading && path != t.SelectedPath() {
		return
	}
	t.detailLoading = ""
	t.detail, t.detailErr = d, ""
	t.detail.Path = path
	if err != nil {
		t.detailErr = err.Error()
	}
}

// Reload forgets everything loaded (the tree is now read from another
// member), keeping what is expanded and selected.
func (t *Tree) Reload() {
	for p := range t.kids {
		t.dirty[p] = true
	}
	clear(t.errs)
	t.detailStale = true
}

// Touch records that path changed at 'at': it is highlighted while the
// change is recent, its parent's listing is reloaded, and so is its detail
// or its parent's when that is the one shown.
func (t *Tree) Touch(path string, at time.Time) {
	if path == "" {
		return
	}
	if len(t.changed) >= maxChanged && at.Sub(t.lastPrune) > 100*time.Millisecond {
		t.lastPrune = at
		t.Prune(at)
	}
	if len(t.changed) < maxChanged {
		t.changed[path] = at
	}
	// The parent lists the node; the grandparent shows the parent's
	// child count.
	if parent := parentOf(path); t.kids[parent] != nil {
		t.dirty[parent] = true
		if gp := parentOf(parent); parent != "/" && t.kids[gp] != nil {
			t.dirty[gp] = true
		}
	}
	if t.kids[path] != nil {
		t.dirty[path] = true
	}
	// A child's create or delete changes the parent's Stat too
	// (numChildren, cversion, pzxid).
	if path == t.detail.Path || parentOf(path) == t.detail.Path {
		t.detailStale = true
	}
}

// Prune forgets changes that have faded by now.
func (t *Tree) Prune(now time.Time) {
	maps.DeleteFunc(t.changed, func(_ string, at time.Time) bool { return now.Sub(at) > fadeFor })
}

// SetHighlight marks the znode the selected transaction touched.
func (t *Tree) SetHighlight(path string) { t.highlight = path }

// rebuild flattens the expanded tree into rows and keeps the cursor on
// the same path.
func (t *Tree) rebuild() {
	if t.filtering {
		return
	}
	cur := t.SelectedPath()
	t.rows = t.rows[:0]
	t.depth = t.depth[:0]
	t.rows = append(t.rows, source.Child{Name: "/", Path: "/", NumChildren: int32(len(t.kids["/"]))})
	t.depth = append(t.depth, 0)
	t.flatten("/", 1)
	if t.want != "" {
		cur = t.want
	}
	for i, r := range t.rows {
		if r.Path == cur {
			t.cursor = i
			if cur == t.want {
				t.want = ""
			}
			break
		}
	}
	t.cursor = min(t.cursor, len(t.rows)-1)
}

func (t *Tree) flatten(path string, depth int) {
	if !t.expanded[path] {
		return
	}
	for _, k := range t.kids[path] {
		t.rows = append(t.rows, k)
		t.depth = append(t.depth, depth)
		t.flatten(k.Path, depth+1)
	}
}

func parentOf(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}
