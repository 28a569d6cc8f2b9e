package cluster

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"coordtui/tree"
)

var linDuration = flag.Duration("lin.duration", 3*time.Second,
	"how long TestLinearizableUnderFaults runs its clients (CI's short form is the default)")

// linIn is one client operation on one znode: create, set (CAS on the
// version, -1 = any), delete (versioned) or read (sync, then a local read).
type linIn struct {
	op      string
	path    string
	value   string
	version int32
}

// linOut is what the client saw. unknown: the outcome was never learned
// (connection lost, member crashed); the op may or may not have happened.
type linOut struct {
	code    tree.Code
	value   string
	version int32
	unknown bool
}

type linState struct {
	exists  bool
	value   string
	version int32
}

// znodeModel is one znode's sequential specification, as ZooKeeper defines
// create, setData, delete and a synced getData.
var znodeModel = porcupine.Model{
	Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
		by := map[string][]porcupine.Operation{}
		var keys []string
		for _, op := range h {
			p := op.Input.(linIn).path
			if _, ok := by[p]; !ok {
				keys = append(keys, p)
			}
			by[p] = append(by[p], op)
		}
		out := make([][]porcupine.Operation, 0, len(keys))
		for _, k := range keys {
			out = append(out, by[k])
		}
		return out
	},
	Init: func() interface{} { return linState{} },
	Step: func(st, in, out interface{}) (bool, interface{}) {
		s, i, o := st.(linState), in.(linIn), out.(linOut)
		next, code := s, tree.OK
		switch i.op {
		case "create":
			if s.exists {
				code = tree.ErrNodeExists
			} else {
				next = linState{exists: true, value: i.value}
			}
		case "set", "delete":
			switch {
			case !s.exists:
				code = tree.ErrNoNode
			case i.version != -1 && i.version != s.version:
				code = tree.ErrBadVersion
			case i.op == "set":
				next = linState{exists: true, value: i.value, version: s.version + 1}
			default:
				next = linState{}
			}
		case "read":
			if !s.exists {
				return o.code == tree.ErrNoNode, s
			}
			return o.code == tree.OK && o.value == s.value && o.version == s.version, s
		}
		if o.unknown {
			return true, next
		}
		if o.code != code || (i.op == "set" && code == tree.OK && o.version != next.version) {
			return false, s
		}
		return true, next
	},
	DescribeOperation: func(in, out interface{}) string {
		i, o := in.(linIn), out.(linOut)
		res := o.code.String()
		if o.unknown {
			res = "?"
		}
		return fmt.Sprintf("%s(%s %q v%d) -> %s %q v%d", i.op, i.path, i.value, i.version, res, o.value, o.version)
	},
}

type history struct {
	mu  sync.Mutex
	ops []porcupine.Operation
	t0  time.Time

	// What the members applied, by the tag each write carries: when it
	// was first seen applied and with what result. It settles every write
	// whose client never learned the outcome.
	appliedMu sync.Mutex
	applied   map[string]appliedTag
}

type appliedTag struct {
	at  int64
	out linOut
}

// onApply records tagged writes as members apply them.
func (h *history) onApply(_ uint64, _ *tree.Tree, a *Applied) {
	if len(a.Txn.Auth) == 0 || a.Txn.Auth[0].Scheme != "test-tag" {
		return
	}
	now := h.now()
	tag := a.Txn.Auth[0].ID
	h.appliedMu.Lock()
	defer h.appliedMu.Unlock()
	if _, ok := h.applied[tag]; !ok {
		h.applied[tag] = appliedTag{at: now, out: linOut{code: a.Result.Err, version: a.Result.Stat.Version}}
	}
}

// settle replaces each write of unknown outcome by what the log says: it
// happened (with the result the members computed, returning no later than
// it was first applied), or it never committed and is dropped. Only valid
// once every member has converged, when nothing uncommitted remains.
func (h *history) settle() (settled, dropped int) {
	var out []porcupine.Operation
	for _, op := range h.ops {
		o := op.Output.(linOut)
		if !o.unknown {
			out = append(out, op)
			continue
		}
		tag, ok := op.Metadata.(string)
		h.appliedMu.Lock()
		at, applied := h.applied[tag]
		h.appliedMu.Unlock()
		if !ok || !applied {
			dropped++
			continue
		}
		op.Output, op.Return = at.out, max(at.at, op.Call)
		out = append(out, op)
		settled++
	}
	h.ops = out
	return settled, dropped
}

func (h *history) now() int64 { return int64(time.Since(h.t0)) }

func (h *history) add(client int, in linIn, call int64, out linOut, tag string) {
	ret := h.now()
	h.mu.Lock()
	h.ops = append(h.ops, porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret, Metadata: tag})
	h.mu.Unlock()
}

func TestLinearizableUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("fault schedule; run without -short")
	}
	h := &history{t0: time.Now(), applied: map[string]appliedTag{}}
	e := testEnsemble(t, 3, func(c *EnsembleConfig) { c.OnApply = h.onApply })
	stop := make(chan struct{})
	var wg sync.WaitGroup
	// Sized for the checker: several independent znodes keep each
	// partition of the history small, and a bound on operations per
	// client keeps the whole check to seconds.
	const clients = 4
	maxOps := int(linDuration.Milliseconds() / 10)
	paths := []string{"/a", "/b", "/c", "/d"}
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			for i := 0; i < maxOps; i++ {
				select {
				case <-stop:
					return
				case <-time.After(time.Duration(rng.IntN(10)) * time.Millisecond): // think time
				}
				nodes := e.Nodes()
				if len(nodes) == 0 {
					continue
				}
				n := nodes[rng.IntN(len(nodes))]
				in := linIn{path: paths[rng.IntN(len(paths))], value: fmt.Sprintf("c%d-%d", c, i), version: int32(rng.IntN(4)) - 1}
				in.op = []string{"create", "set", "delete", "read", "read"}[rng.IntN(5)]
				tag := fmt.Sprintf("c%d-%d", c, i)
				call := h.now()
				out, record := linRun(n, in, tag)
				if record {
					h.add(c, in, call, out, tag)
				}
			}
		}()
	}

	// The nemesis: partitions, heals, crashes and restarts while clients run.
	rng := rand.New(rand.NewPCG(42, 1))
	deadline := time.Now().Add(*linDuration)
	links := e.Links()
	for step := 0; time.Now().Before(deadline); step++ {
		ids := e.IDs()
		victim := ids[rng.IntN(len(ids))]
		switch step % 4 {
		case 0:
			links.Isolate(string(ServerID(victim)))
		case 1:
			links.HealAll()
		case 2:
			if e.Node(victim) != nil && len(e.Nodes()) == len(ids) {
				_ = e.Crash(victim)
			}
		case 3:
			for _, id := range ids {
				if e.Node(id) == nil {
					_ = e.Restart(id)
				}
			}
		}
		time.Sleep(time.Duration(200+rng.IntN(400)) * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	links.HealAll()
	for _, id := range e.IDs() {
		if e.Node(id) == nil {
			if err := e.Restart(id); err != nil {
				t.Fatal(err)
			}
		}
	}
	eventually(t, 30*time.Second, "members converge after the faults: "+digests(e), func() bool {
		return len(e.Nodes()) == 3 && converged(e)
	})

	settled, dropped := h.settle()
	t.Logf("%d operations; %d outcomes the clients never learned: %d settled from the log, %d never committed",
		len(h.ops), settled+dropped, settled, dropped)
	if len(h.ops) < 50 {
		t.Fatalf("only %d operations completed: the ensemble did not make progress under faults", len(h.ops))
	}
	res, info := porcupine.CheckOperationsVerbose(znodeModel, h.ops, 30*time.Second)
	if res == porcupine.Illegal {
		file := t.TempDir() + "/lin.html"
		if err := porcupine.VisualizePath(znodeModel, info, file); err == nil {
			t.Logf("visualization: %s", file)
		}
		t.Fatal("history is not linearizable")
	}
	if res == porcupine.Unknown {
		t.Fatalf("the checker timed out on %d operations; the history must be smaller to prove anything", len(h.ops))
	}
}

// linRun performs one operation. record is false for a read that learned
// nothing (a read imposes no constraint unless it returns).
func linRun(n *Node, in linIn, tag string) (out linOut, record bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if in.op == "read" {
		if err := n.Sync(ctx); err != nil {
			return out, false
		}
		var data []byte
		var st tree.Stat
		var err error
		n.View(func(t *tree.Tree) { data, st, err = t.Get(in.path, nil) })
		out.code = codeOf(err)
		out.value, out.version = string(data), st.Version
		return out, true
	}
	op := tree.Op{Path: in.path, Data: []byte(in.value), Version: in.version}
	switch in.op {
	case "create":
		op = tree.Op{Type: tree.OpCreate, Path: in.path, Data: []byte(in.value), ACL: tree.OpenACL}
	case "set":
		op.Type = tree.OpSetData
	case "delete":
		op.Type, op.Data = tree.OpDelete, nil
	}
	// The tag rides in the auth ids, which the tree ignores for ACLs open
	// to the world, so the log tells which write was which.
	a, err := n.Write(ctx, 0, []tree.ID{{Scheme: "test-tag", ID: tag}}, op)
	if err != nil {
		if refused(err) {
			return out, false // refused before proposing: nothing happened
		}
		return linOut{unknown: true}, true
	}
	out.code = a.Result.Err
	out.version = a.Result.Stat.Version
	return out, true
}
