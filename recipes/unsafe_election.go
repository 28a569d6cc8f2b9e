package recipes

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"coordtui/cluster/zk"
)

// UnsafeCheckThenCreateProgram is the pseudo-code
// UnsafeCheckThenCreateElection's steps point into.
var UnsafeCheckThenCreateProgram = Program{
	"children <election>: is there a leader- node?",
	"if none: create <election>/leader-<me> (ephemeral); I lead",
	"else: watch the leader's node (exists) and wait; go to 1",
	"resign: delete my node",
}

// UnsafeCheckThenCreateElection is check-then-act leader election, for
// teaching. UNSAFE: the check (is there a leader?) and the act (create my
// leader node) are two requests, and every candidate's node has its own
// name, so two candidates that both check before either creates both find
// no leader and both create: two leaders. The fix is to make the create the
// check — one well-known node that only one create can make, or LeaderLatch's
// sequential queue — so ZooKeeper's atomic create decides.
//
// Connection states: none handled beyond what the client does; a leader
// whose session is lost loses its node, and IsLeader reports false.
type UnsafeCheckThenCreateElection struct {
	p    *proc
	path string
	id   string

	mu     sync.Mutex
	leader bool
	node   string
	token  Token
}

// NewUnsafeCheckThenCreateElection returns candidate id for the election at
// path.
func NewUnsafeCheckThenCreateElection(c Client, path, id string, opts ...Option) *UnsafeCheckThenCreateElection {
	return &UnsafeCheckThenCreateElection{p: newProc(c, "check-then-create", opts), path: path, id: id}
}

// Campaign blocks until this candidate believes it leads.
func (e *UnsafeCheckThenCreateElection) Campaign(ctx context.Context) (Token, error) {
	for {
		leader := ""
		err := e.p.op(ctx, Step{Line: 1, Kind: KindChildren, Path: e.path}, func(s *Step) error {
			kids, _, err := e.p.c.Children2(ctx, e.path)
			if errors.Is(err, zk.ErrNoNode) {
				s.Note = "no election yet"
				return nil
			}
			if err != nil {
				return checkLost(err)
			}
			for _, k := range kids {
				if strings.HasPrefix(k, "leader-") {
					leader = k
				}
			}
			s.Note = "no leader"
			if leader != "" {
				s.Note = strings.TrimPrefix(leader, "leader-") + " leads"
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		if leader != "" {
			path := join(e.path, leader)
			var ch <-chan zk.WatchEvent
			err := e.p.op(ctx, Step{Line: 3, Kind: KindExists, Path: path, Detail: "the leader", Watch: true, Wait: true}, func(s *Step) error {
				st, c, err := e.p.c.ExistsW(ctx, path)
				if err != nil {
					return checkLost(err)
				}
				if st == nil {
					s.Wait, s.Note = false, "already gone"
					return nil
				}
				ch = c
				return nil
			})
			if err != nil {
				return 0, err
			}
			if ch != nil {
				if _, err := e.p.await(ctx, 3, path, ch); err != nil {
					return 0, err
				}
			}
			continue
		}
		node := join(e.path, "leader-"+e.id)
		var tok Token
		err = e.p.op(ctx, Step{Line: 2, Kind: KindCreate, Path: node, Detail: modeText(zk.ModeEphemeral)}, func(s *Step) error {
			_, st, err := e.p.c.Create2(ctx, node, []byte(e.id), e.p.acl, zk.ModeEphemeral)
			if err != nil {
				return checkLost(err)
			}
			tok = Token(st.Czxid)
			return nil
		})
		if errors.Is(err, zk.ErrNoNode) {
			if err := e.p.ensurePath(ctx, 2, e.path, zk.ModePersistent); err != nil {
				return 0, err
			}
			continue
		}
		if err != nil {
			return 0, err
		}
		e.mu.Lock()
		e.leader, e.node, e.token = true, node, tok
		e.mu.Unlock()
		e.p.note(2, "leads %s (no one else did when I looked)", e.path)
		return tok, nil
	}
}

// IsLeader reports whether this candidate believes it leads and is
// connected.
func (e *UnsafeCheckThenCreateElection) IsLeader() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.leader && StateOf(e.p.c.State()) == Connected
}

// Resign deletes this candidate's leader node.
func (e *UnsafeCheckThenCreateElection) Resign(ctx context.Context) error {
	e.mu.Lock()
	node := e.node
	e.leader, e.node = false, ""
	e.mu.Unlock()
	if node == "" {
		return fmt.Errorf("%w: not leading %s", ErrNotHeld, e.path)
	}
	return e.p.op(ctx, Step{Line: 4, Kind: KindDelete, Path: node, Detail: "resign"}, func(*Step) error {
		err := e.p.c.Delete(ctx, node, -1)
		if errors.Is(err, zk.ErrNoNode) {
			return nil
		}
		return checkLost(err)
	})
}
