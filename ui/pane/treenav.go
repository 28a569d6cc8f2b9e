package pane

// Moving around the tree: the cursor, opening and closing, selecting a
// path from elsewhere (the zxid log), mouse clicks, and the path filter.

// SelectedPath is the path under the cursor.
func (t *Tree) SelectedPath() string {
	if t.filtering {
		if t.cursor < len(t.matches) {
			return t.matches[t.cursor]
		}
		return ""
	}
	if t.cursor < len(t.rows) {
		return t.rows[t.cursor].Path
	}
	return ""
}

// Move moves the cursor by delta rows.
func (t *Tree) Move(delta int) {
	n := len(t.rows)
	if t.filtering {
		n = len(t.matches)
	}
	t.cursor = min(max(t.cursor+delta, 0), max(n-1, 0))
}

// Page moves by a screenful.
func (t *Tree) Page(dir int) { t.Move(dir * max(t.listHeight()-1, 1)) }

// Expand opens the selected node, or steps into it if already open.
func (t *Tree) Expand() {
	if t.filtering {
		t.acceptMatch()
		return
	}
	p := t.SelectedPath()
	if p == "" {
		return
	}
	if t.expanded[p] {
		if len(t.kids[p]) > 0 {
			t.Move(1)
		}
		return
	}
	t.expanded[p] = true
	t.rebuild()
}

// Collapse closes the selected node, or steps out to its parent.
func (t *Tree) Collapse() {
	if t.filtering {
		return
	}
	p := t.SelectedPath()
	if t.expanded[p] && p != "/" {
		delete(t.expanded, p)
		t.rebuild()
		return
	}
	if p != "/" {
		t.SelectPath(parentOf(p))
	}
}

// Toggle opens a closed node and closes an open one.
func (t *Tree) Toggle() {
	p := t.SelectedPath()
	if t.filtering || !t.expanded[p] {
		t.Expand()
		return
	}
	t.Collapse()
}

// SelectPath moves the cursor to path, opening its ancestors; if they
// are not loaded yet the cursor gets there once they are.
func (t *Tree) SelectPath(path string) {
	if path == "" {
		return
	}
	t.filtering = false
	for p := parentOf(path); ; p = parentOf(p) {
		t.expanded[p] = true
		if p == "/" {
			break
		}
	}
	t.want = path
	t.rebuild()
}

// SelectRow moves the cursor to the row shown on line y of the pane
// (frame included), for mouse clicks; a second click opens or closes it.
func (t *Tree) SelectRow(y int) {
	i := t.offset + y - 1
	n := len(t.rows)
	if t.filtering {
		i--
		n = len(t.matches)
	}
	if i < 0 || i >= n {
		return
	}
	if i == t.cursor {
		t.Toggle()
		return
	}
	t.cursor = i
}

// CycleDataView switches the data preview between auto, text, JSON and hex.
func (t *Tree) CycleDataView() { t.dataView = (t.dataView + 1) % dataViews }

// StartFilter shows only paths that contain substr; the console loads the
// matches with Find and passes them to SetMatches.
func (t *Tree) StartFilter(substr string) {
	t.filter, t.filtering, t.matches, t.cursor = substr, true, nil, 0
}

// SetMatches stores the paths that match the filter.
func (t *Tree) SetMatches(substr string, paths []string) {
	if t.filtering && substr == t.filter {
		t.matches = paths
		t.cursor = min(t.cursor, max(len(paths)-1, 0))
	}
}

// Filter returns the filter and whether it is on.
func (t *Tree) Filter() (string, bool) { return t.filter, t.filtering }

// ClearFilter goes back to the tree.
func (t *Tree) ClearFilter() {
	t.filtering, t.filter, t.matches = false, "", nil
	t.rebuild()
}

func (t *Tree) acceptMatch() {
	if p := t.SelectedPath(); p != "" {
		t.SelectPath(p)
	}
}

// KnownChildren returns the loaded children names of path (for command
// line completion).
func (t *Tree) KnownChildren(path string) []string {
	var out []string
	for _, k := range t.kids[path] {
		out = append(out, k.Name)
	}
	return out
}
