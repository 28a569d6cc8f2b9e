package tree

// DefaultMaxData is ZooKeeper's default jute.maxbuffer (0xfffff bytes).
const DefaultMaxData = 1<<20 - 1

// Tree is the znode tree, the session table and the last applied zxid of one
// member. Create it with New or RestoreSnapshot; change it only with Apply.
// It is not safe for concurrent use: reads may run concurrently with each
// other (they change nothing), Apply must run alone.
type Tree struct {
	root       *node
	count      int // nodes, root included
	lastZxid   Zxid
	digest     uint64
	acls       aclTable
	sessions   map[int64]*session
	containers map[string]struct{}
	ttls       map[string]struct{}
	maxData    int

	// Scratch for Apply only: the undo log of a multi in progress, ACL
	// references to drop once the txn commits, and the changes so far.
	recording bool
	undo      []undoRec
	releases  []uint32
	changes   []Change
}

type session struct {
	timeout    int32
	password   []byte
	ephemerals map[string]struct{}
}

func newEmpty() *Tree {
	return &Tree{
		acls:       newACLTable(),
		sessions:   make(map[int64]*session),
		containers: make(map[string]struct{}),
		ttls:       make(map[string]struct{}),
		maxData:    DefaultMaxData,
	}
}

// New returns the tree a fresh ZooKeeper server starts with: "/",
// "/zookeeper" and "/zookeeper/quota" (empty data, world:anyone ALL) and
// "/zookeeper/config" (empty data, world:anyone READ, aversion -1), all other
// stat fields zero, no sessions, LastZxid 0.
func New() *Tree {
	t := newEmpty()
	t.root = &node{data: []byte{}, acl: t.acls.acquire(openACL)}
	t.count = 1
	t.digest = t.nodeHash(t.root, pathHash("/"))
	zk := &node{data: []byte{}, acl: t.acls.acquire(openACL)}
	t.linkRaw(t.root, "zookeeper", zk, "/zookeeper", pathHash("/zookeeper"))
	quota := &node{data: []byte{}, acl: t.acls.acquire(openACL)}
	t.linkRaw(zk, "quota", quota, "/zookeeper/quota", pathHash("/zookeeper/quota"))
	config := &node{data: []byte{}, acl: t.acls.acquire(readACL), aversion: -1}
	t.linkRaw(zk, "config", config, "/zookeeper/config", pathHash("/zookeeper/config"))
	return t
}

// SetMaxData sets the largest data create, setData and reconfig accept
// (larger → BADARGUMENTS). Every member must use the same value, since it
// decides results; the default is DefaultMaxData. It is configuration, not
// state: snapshots do not carry it.
func (t *Tree) SetMaxData(n int) { t.maxData = n }

// MaxData is the current data size limit.
func (t *Tree) MaxData() int { return t.maxData }

// LastZxid is the zxid of the last applied txn (0 for a new tree).
func (t *Tree) LastZxid() Zxid { return t.lastZxid }

// NodeCount is the number of znodes, the root included (4 in a new tree).
func (t *Tree) NodeCount() int { return t.count }

// Digest is an order-independent hash of every node's path, data, ACL and
// stat. Replicas that applied the same txns have the same digest; it is kept
// up to date by Apply, so reading it costs nothing.
func (t *Tree) Digest() uint64 { return t.digest }

// lookup finds the node at path. "" and "/" are the root (ZooKeeper keeps
// the root under both); any other path that is not canonical ("a", "/a/",
// "//a") finds nothing, since no node has an empty name.
func (t *Tree) lookup(p string) *node {
	if p == "" || p == "/" {
		return t.root
	}
	if p[0] != '/' {
		return nil
	}
	n := t.root
	for i := 1; ; {
		j := i
		for j < len(p) && p[j] != '/' {
			j++
		}
		if j == i {
			return nil
		}
		if n = n.child(p[i:j]); n == nil {
			return nil
		}
		if j == len(p) {
			return n
		}
		i = j + 1
	}
}

// walkNodes visits every node in pre-order, children in name order, until fn
// returns false. It uses an explicit stack: paths may be a million bytes
// long, so trees may be half a million levels deep.
func (t *Tree) walkNodes(fn func(path string, n *node) bool) {
	walkFrom(t.root, "/", fn)
}

func walkFrom(start *node, startPath string, fn func(path string, n *node) bool) {
	type item struct {
		n    *node
		path string
	}
	stack := []item{{start, startPath}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(it.path, it.n) {
			return
		}
		if it.n.kids == nil {
			continue
		}
		prefix := it.path
		if prefix == "/" {
			prefix = ""
		}
		cs := it.n.kids.chunks
		for ci := len(cs) - 1; ci >= 0; ci-- {
			for j := len(cs[ci]) - 1; j >= 0; j-- {
				e := cs[ci][j]
				stack = append(stack, item{e.n, prefix + "/" + e.name})
			}
		}
	}
}
