package recipes

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"coordtui/cluster/zk"
)

// LeaderLatchProgram is the pseudo-code LeaderLatch's steps point into.
var LeaderLatchProgram = Program{
	"create <election>/latch- (ephemeral sequential), data = my id",
	"children <election>, sorted by sequence number",
	"if mine is first: I am the leader; token = my node's czxid",
	"else: watch the node just before mine (exists) and wait",
	"when it is deleted: go to 2",
	"close: delete my node (leadership passes on)",
}

var latchLines = queueLines{create: 1, children: 2, got: 3, watch: 4, woke: 5}

// LeaderLatch elects one leader among its participants (Curator's
// LeaderLatch): each creates an ephemeral sequential node; the lowest leads;
// each other watches the node just before its own, so a leader's departure
// wakes exactly one successor. Leadership yields a fencing Token, the latch
// node's czxid, which grows with every new leader: a deposed leader's
// writes can be refused by a ProtectedResource.
//
// Connection states: while Suspended, IsLeader reports false — a leader that
// cannot reach the ensemble may already have been replaced — and true again
// once reconnected with the session intact. When Lost, the node is gone and
// someone else leads: Await fails with ErrSessionLost and IsLeader stays
// false; build a new latch on a new session to stand again. Await whose
// context ends keeps the node (the candidate stays in line); Close removes it.
//
// Methods are safe for concurrent use; Await blocks.
type LeaderLatch struct {
	q  *contender
	id string

	mu     sync.Mutex
	leader bool
	closed bool
}

// NewLeaderLatch returns a candidate with identity id (its node's data, which
// Participants reports) for the election at path.
func NewLeaderLatch(c Client, path, id string, opts ...Option) *LeaderLatch {
	p := newProc(c, "latch", opts)
	return &LeaderLatch{q: &contender{p: p, dir: path, prefix: "latch-"}, id: id}
}

// Await joins the election if it has not yet, and blocks until this
// candidate leads, returning its fencing token.
func (l *LeaderLatch) Await(ctx context.Context) (Token, error) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return 0, ErrClosed
	}
	if l.leader && StateOf(l.q.p.c.State()) == Lost {
		l.mu.Unlock()
		return 0, lostErr(zk.ErrSessionExpired)
	}
	if l.leader {
		l.mu.Unlock()
		_, _, t := l.q.snapshot()
		return t, nil
	}
	l.mu.Unlock()
	if node, _, _ := l.q.snapshot(); node == "" {
		if err := l.create(ctx); err != nil {
			return 0, err
		}
	}
	if err := l.q.await(ctx, latchLines, predecessor); err != nil {
		return 0, err
	}
	_, _, t := l.q.snapshot()
	l.mu.Lock()
	l.leader = true
	l.mu.Unlock()
	l.q.p.note(latchLines.got, "leads %s, token %s", l.q.dir, t)
	return t, nil
}

// create is the contender's create with the candidate's id as data; the
// protected create recognises the node by the data, so the attempt number
// rides along after a newline that Participants strips.
func (l *LeaderLatch) create(ctx context.Context) error {
	q, p := l.q, l.q.p
	data := []byte(fmt.Sprintf("%s\n#%d", l.id, attempts.Add(1)))
	try := func() error {
		return p.op(ctx, Step{Line: latchLines.create, Kind: KindCreate, Path: join(q.dir, q.prefix), Detail: modeText(zk.ModeEphemeralSequential)}, func(s *Step) error {
			path, st, err := p.protectedCreate(ctx, join(q.dir, q.prefix), data, zk.ModeEphemeralSequential)
			if err != nil {
				return checkLost(err)
			}
			s.Path = path
			q.mu.Lock()
			q.node, q.token = path, Token(st.Czxid)
			q.mu.Unlock()
			return nil
		})
	}
	err := try()
	if errors.Is(err, zk.ErrNoNode) {
		if err := p.ensurePath(ctx, latchLines.create, q.dir, zk.ModeContainer); err != nil {
			return err
		}
		err = try()
	}
	return err
}

// IsLeader reports whether this candidate leads and its session is
// connected.
func (l *LeaderLatch) IsLeader() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.leader && StateOf(l.q.p.c.State()) == Connected
}

// Token returns the leader's fencing token, or 0 when not leading.
func (l *LeaderLatch) Token() Token {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.leader {
		return 0
	}
	_, _, t := l.q.snapshot()
	return t
}

// Close leaves the election: its node is deleted and the next candidate
// leads. Closing twice does nothing.
func (l *LeaderLatch) Close(ctx context.Context) error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed, l.leader = true, false
	l.mu.Unlock()
	err := l.q.remove(ctx, 6, "leave", true)
	if isLost(err) {
		return nil // the node went with the session
	}
	return err
}

// View returns this candidate's place in the election as a LockView
// (Holds = leads).
func (l *LeaderLatch) View() LockView {
	l.mu.Lock()
	defer l.mu.Unlock()
	node, waits, tok := l.q.snapshot()
	v := LockView{Client: l.q.p.name, Path: l.q.dir, Node: node, Waits: waits, Holds: l.leader, State: StateOf(l.q.p.c.State())}
	if l.leader {
		v.Token, v.Count = tok, 1
	}
	return v
}

// Participant is one candidate in an election.
type Participant struct {
	ID     string // its id (the node's data)
	Node   string // its node's name
	Leader bool
}

// String: "c1 latch-0000000000 (leader)".
func (p Participant) String() string {
	s := p.ID + " " + p.Node
	if p.Leader {
		s += " (leader)"
	}
	return s
}

// Participants lists the candidates of the election (or the contenders of
// a lock) at path in queue order, the first one leading. It reads each
// node's data; a node that vanishes meanwhile is left out.
func Participants(ctx context.Context, c Client, path string) ([]Participant, error) {
	names, _, err := c.Children2(ctx, path)
	if errors.Is(err, zk.ErrNoNode) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sortBySeq(names)
	var out []Participant
	for _, n := range names {
		data, _, err := c.Get(ctx, join(path, n))
		if errors.Is(err, zk.ErrNoNode) {
			continue
		}
		if err != nil {
			return nil, err
		}
		id := string(data)
		if i := slices.Index(data, '\n'); i >= 0 {
			id = string(data[:i])
		} else if j := lastSpaceHash(id); j >= 0 {
			id = id[:j]
		}
		out = append(out, Participant{ID: id, Node: n, Leader: len(out) == 0})
	}
	return out, nil
}

// lastSpaceHash finds the " #n" attempt suffix a lock node's data ends
// with, or -1.
func lastSpaceHash(s string) int {
	for i := len(s) - 1; i > 0; i-- {
		if s[i] == '#' && s[i-1] == ' ' {
			return i - 1
		}
	}
	return -1
}
