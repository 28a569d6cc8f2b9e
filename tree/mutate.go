package tree

// Every change to the tree goes through these helpers, which keep the node
// count, the digest and the owner indexes (session ephemerals, containers,
// TTL nodes) in step. Inside a multi they also record how to undo each step,
// because a multi's later op may fail after earlier ones changed the tree.
// Each op checks everything before it changes anything, so a single op never
// needs undoing.

type undoKind uint8

const (
	undoLink undoKind = iota + 1
	undoUnlink
	undoEdit
	undoAcquire
)

type undoRec struct {
	kind   undoKind
	parent *node
	n      *node
	name   string
	path   string
	ph     uint64
	ref    uint32
	saved  node
}

// link adds n under parent as name; path and ph are n's path and its hash;
// at is where parent.kids.where(name) found room for it.
func (t *Tree) link(parent *node, name string, n *node, path string, ph uint64, at pos) {
	t.linkAt(parent, name, n, path, ph, at)
	if t.recording {
		t.undo = append(t.undo, undoRec{kind: undoLink, parent: parent, n: n, name: name, path: path, ph: ph})
	}
}

// unlink takes leaf n out from under parent. Its ACL reference is dropped
// only when the txn commits, so a rolled-back multi can put n back as it was.
func (t *Tree) unlink(parent *node, name string, n *node, path string, ph uint64) {
	t.unlinkRaw(parent, name, n, path, ph)
	t.releases = append(t.releases, n.acl)
	if t.recording {
		t.undo = append(t.undo, undoRec{kind: undoUnlink, parent: parent, n: n, name: name, path: path, ph: ph})
	}
}

func (t *Tree) linkRaw(parent *node, name string, n *node, path string, ph uint64) {
	at, _ := parent.kids.where(name)
	t.linkAt(parent, name, n, path, ph, at)
}

func (t *Tree) linkAt(parent *node, name string, n *node, path string, ph uint64, at pos) {
	if parent.kids == nil {
		parent.kids = &kids{}
	}
	parent.kids.insertAt(at, name, n)
	t.count++
	t.digest += t.nodeHash(n, ph)
	t.index(n, path, true)
}

func (t *Tree) unlinkRaw(parent *node, name string, n *node, path string, ph uint64) {
	parent.kids.remove(name)
	if parent.kids.n == 0 {
		parent.kids = nil
	}
	t.count--
	t.digest -= t.nodeHash(n, ph)
	t.index(n, path, false)
}

// index keeps the per-owner path sets ZooKeeper keeps (ephemerals by
// session, containers, TTL nodes).
func (t *Tree) index(n *node, path string, add bool) {
	var set map[string]struct{}
	switch n.kind() {
	case kindPersistent:
		return
	case kindContainer:
		set = t.containers
	case kindTTL:
		set = t.ttls
	case kindEphemeral:
		s := t.sessions[n.owner]
		if s == nil {
			return
		}
		set = s.ephemerals
	}
	if add {
		set[path] = struct{}{}
	} else {
		delete(set, path)
	}
}

// beginEdit must come before any change to n's fields and endEdit after it;
// withData says whether the data changes too.
func (t *Tree) beginEdit(n *node, ph uint64, withData bool) {
	if t.recording {
		t.undo = append(t.undo, undoRec{kind: undoEdit, n: n, ph: ph, saved: *n})
	}
	t.digest -= t.metaOf(n, ph)
	if withData {
		t.digest -= dataHash(ph, n.data)
	}
}

func (t *Tree) endEdit(n *node, ph uint64, withData bool) {
	t.digest += t.metaOf(n, ph)
	if withData {
		t.digest += dataHash(ph, n.data)
	}
}

// acquireACL interns acl for a node about to use it.
func (t *Tree) acquireACL(acl []ACL) uint32 {
	ref := t.acls.acquire(acl)
	if t.recording {
		t.undo = append(t.undo, undoRec{kind: undoAcquire, ref: ref})
	}
	return ref
}

// commit finishes a successful txn: the deferred ACL releases happen now.
func (t *Tree) commit() {
	for _, ref := range t.releases {
		t.acls.release(ref)
	}
	t.releases = t.releases[:0]
	clear(t.undo)
	t.undo = t.undo[:0]
}

// rollback undoes the recorded steps, newest first, so an ACL slot acquired
// for a node is released only once that node is gone again.
func (t *Tree) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		u := &t.undo[i]
		switch u.kind {
		case undoLink:
			t.unlinkRaw(u.parent, u.name, u.n, u.path, u.ph)
		case undoUnlink:
			t.linkRaw(u.parent, u.name, u.n, u.path, u.ph)
		case undoEdit:
			t.digest -= t.nodeHash(u.n, u.ph)
			kids := u.n.kids
			*u.n = u.saved
			u.n.kids = kids
			t.digest += t.nodeHash(u.n, u.ph)
		case undoAcquire:
			t.acls.release(u.ref)
		}
	}
	t.releases = t.releases[:0]
	clear(t.undo)
	t.undo = t.undo[:0]
}
