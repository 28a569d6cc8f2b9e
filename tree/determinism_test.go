package tree

import (
	"bytes"
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"testing"
)

// gen makes random but plausible txns: mostly valid ops on paths that exist,
// with a share of every kind of mistake, so that all the code paths, failed
// multis and their rollbacks included, run many times. It is seeded, so a
// failure names its seed and replays exactly.
type gen struct {
	rng      *rand.Rand
	paths    []string // paths that existed at some point
	sessions []int64
	zxid     Zxid
	now      int64
}

var genIDs = [][]ID{
	nil,
	{{"ip", "127.0.0.1"}},
	{{"ip", "10.1.2.3"}, {"digest", DigestID("alice", "pw")}},
	{{"digest", DigestID("bob", "pw")}},
	{{"super", ""}},
}

var genACLs = [][]ACL{
	OpenACL, ReadACL, CreatorAllACL,
	{{PermAll, ID{"ip", "127.0.0.0/8"}}},
	{{PermRead | PermCreate | PermDelete, ID{"world", "anyone"}}, {PermAll, ID{"digest", DigestID("alice", "pw")}}},
	{{PermAll, ID{"digest", "bad"}}},
	{},
}

func (g *gen) path() string {
	switch r := g.rng.Intn(20); {
	case r == 0:
		return []string{"/", "/zookeeper", "/zookeeper/config", "", "/a/", "//a", "/a/./b", "a"}[g.rng.Intn(8)]
	case r < 4 || len(g.paths) == 0:
		return fmt.Sprintf("/n%d", g.rng.Intn(6))
	}
	p := g.paths[g.rng.Intn(len(g.paths))]
	if g.rng.Intn(2) == 0 {
		p += fmt.Sprintf("/c%d", g.rng.Intn(4))
	}
	return p
}

func (g *gen) data() []byte {
	switch g.rng.Intn(6) {
	case 0:
		return nil
	case 1:
		return []byte{}
	}
	b := make([]byte, g.rng.Intn(40))
	g.rng.Read(b)
	return b
}

func (g *gen) version() int32 { return int32(g.rng.Intn(4)) - 1 }

func (g *gen) writeOp(inMulti bool) Op {
	switch r := g.rng.Intn(12); {
	case r < 4:
		op := Op{Type: []OpType{OpCreate, OpCreate2, OpCreateContainer, OpCreateTTL}[g.rng.Intn(4)],
			Path: g.path(), Data: g.data(), ACL: genACLs[g.rng.Intn(len(genACLs))], Flags: CreateMode(g.rng.Intn(8))}
		if g.rng.Intn(3) > 0 {
			op.ACL = OpenACL
		}
		if op.Flags == 7 && inMulti {
			op.Flags = 2
		}
		if op.Type == OpCreateTTL {
			op.TTL = int64(g.rng.Intn(50)) - 2
		}
		return op
	case r < 6:
		return Op{Type: OpDelete, Path: g.path(), Version: g.version()}
	case r < 9:
		return Op{Type: OpSetData, Path: g.path(), Data: g.data(), Version: g.version()}
	case r < 10 && inMulti:
		return Op{Type: OpCheck, Path: g.path(), Version: g.version()}
	case r < 10:
		return Op{Type: OpSetACL, Path: g.path(), ACL: genACLs[g.rng.Intn(len(genACLs))], Version: g.version()}
	}
	return Op{Type: OpCreate, Path: g.path() + "/s-", Flags: PersistentSequential, ACL: OpenACL}
}

func (g *gen) txn(tr *Tree) *Txn {
	g.zxid = NextZxid(g.zxid, uint32(1+g.rng.Intn(2)))
	g.now += int64(g.rng.Intn(30))
	txn := &Txn{Zxid: g.zxid, Time: g.now, Auth: genIDs[g.rng.Intn(len(genIDs))]}
	if len(g.sessions) > 0 && g.rng.Intn(2) == 0 {
		txn.Session = g.sessions[g.rng.Intn(len(g.sessions))]
	}
	switch r := g.rng.Intn(40); {
	case r < 3:
		id := int64(g.rng.Intn(5) + 1)
		g.sessions = append(g.sessions, id)
		txn.Op = Op{Type: OpCreateSession, SessionID: id, Timeout: 4000, Password: []byte{byte(id)}}
	case r < 4 && len(g.sessions) > 0:
		txn.Op = Op{Type: OpCloseSession, SessionID: g.sessions[g.rng.Intn(len(g.sessions))]}
	case r < 8:
		txn.Op = Op{Type: OpMulti}
		for i := g.rng.Intn(5); i > 0; i-- {
			txn.Op.Ops = append(txn.Op.Ops, g.writeOp(true))
		}
		if g.rng.Intn(30) == 0 {
			txn.Op.Ops = append(txn.Op.Ops, Op{Type: OpGetData, Path: "/"})
		}
	case r < 10:
		txn.Session = 0
		if c := tr.ReapCandidates(g.now); len(c) > 0 && g.rng.Intn(3) > 0 {
			txn.Op = Op{Type: OpDeleteContainer, Path: c[g.rng.Intn(len(c))]}
		} else {
			txn.Op = Op{Type: OpDeleteContainer, Path: g.path()}
		}
	case r == 10:
		txn.Op = Op{Type: OpReconfig, Data: g.data()}
	case r == 11:
		txn.Op = Op{Type: OpError}
	default:
		txn.Op = g.writeOp(false)
	}
	return txn
}

// learn remembers the paths a result created, so later ops can find them.
func (g *gen) learn(r Result) {
	if r.Path != "" && len(g.paths) < 400 {
		g.paths = append(g.paths, r.Path)
	}
	for _, o := range r.Results {
		if (o.Type == OpCreate || o.Type == OpCreate2) && len(g.paths) < 400 {
			g.paths = append(g.paths, o.Path)
		}
	}
}

// TestDeterminism applies the same random txns to a tree, to a second tree
// through the txn codec, and, from a midway snapshot on, to a restored tree:
// results, digests and final snapshots must be identical, the invariants
// must hold throughout, and reads must agree.
func TestDeterminism(t *testing.T) {
	seeds, ops := 40, 3000
	if testing.Short() {
		seeds, ops = 4, 1000
	}
	for seed := int64(1); seed <= int64(seeds); seed++ {
		g := &gen{rng: rand.New(rand.NewSource(seed)), zxid: MakeZxid(1, 0), now: 1_000_000}
		a, b := New(), New()
		var c *Tree
		for i := 0; i < ops; i++ {
			txn := g.txn(a)
			enc := AppendTxn(nil, txn)
			dec, err := DecodeTxn(enc)
			if err != nil || !reflect.DeepEqual(dec, txn) {
				t.Fatalf("seed %d op %d: codec round trip: %v\n got %+v\nwant %+v", seed, i, err, dec, txn)
			}
			ra, rb := a.Apply(txn), b.Apply(dec)
			if !reflect.DeepEqual(ra, rb) || a.Digest() != b.Digest() {
				t.Fatalf("seed %d op %d (%s): replicas diverged\n%+v\n%+v", seed, i, txn.Op.Type, ra, rb)
			}
			if c != nil {
				if rc := c.Apply(txn); !reflect.DeepEqual(ra, rc) || a.Digest() != c.Digest() {
					t.Fatalf("seed %d op %d: restored tree diverged", seed, i)
				}
			}
			g.learn(ra)
			if i%250 == 0 {
				checkInvariants(t, a)
			}
			if i == ops/2 {
				c = mustRestore(t, a.AppendSnapshot(nil))
				sameReads(t, a, c, g.paths)
			}
		}
		checkInvariants(t, a)
		checkInvariants(t, c)
		sa, sb, sc := a.AppendSnapshot(nil), b.AppendSnapshot(nil), c.AppendSnapshot(nil)
		if !bytes.Equal(sa, sb) || !bytes.Equal(sa, sc) {
			t.Fatalf("seed %d: final snapshots differ", seed)
		}
		sameReads(t, a, mustRestore(t, sa), g.paths)
		if a.NodeCount() < 30 {
			t.Errorf("seed %d: only %d nodes; the generator is not exercising much", seed, a.NodeCount())
		}
	}
}

// sameReads compares every read the two trees answer.
func sameReads(t *testing.T, x, y *Tree, extra []string) {
	t.Helper()
	var paths []string
	x.Walk("/", func(p string, _ Stat, _ []byte) bool { paths = append(paths, p); return true })
	paths = append(paths, extra...)
	for _, p := range paths {
		for _, auth := range genIDs {
			d1, s1, e1 := x.Get(p, auth)
			d2, s2, e2 := y.Get(p, auth)
			k1, _, _ := x.Children(p, auth)
			k2, _, _ := y.Children(p, auth)
			a1, _, _ := x.GetACL(p, auth)
			a2, _, _ := y.GetACL(p, auth)
			n1, _ := x.AllChildrenNumber(p, auth)
			n2, _ := y.AllChildrenNumber(p, auth)
			if !bytes.Equal(d1, d2) || (d1 == nil) != (d2 == nil) || s1 != s2 || e1 != e2 ||
				!slices.Equal(k1, k2) || !reflect.DeepEqual(a1, a2) || n1 != n2 {
				t.Fatalf("reads of %s differ", p)
			}
		}
		m1, t1, _ := x.NodeInfo(p)
		m2, t2, _ := y.NodeInfo(p)
		if m1 != m2 || t1 != t2 {
			t.Fatalf("NodeInfo(%s) differs", p)
		}
	}
	if !reflect.DeepEqual(x.Sessions(), y.Sessions()) || x.LastZxid() != y.LastZxid() || x.NodeCount() != y.NodeCount() {
		t.Fatal("sessions, zxid or count differ")
	}
	for _, s := range x.Sessions() {
		if !slices.Equal(x.Ephemerals(s.ID, ""), y.Ephemerals(s.ID, "")) {
			t.Fatal("ephemerals differ")
		}
	}
	if !slices.Equal(x.ReapCandidates(1<<50), y.ReapCandidates(1<<50)) {
		t.Fatal("reap candidates differ")
	}
}
