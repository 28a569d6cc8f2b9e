package demos

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"coordtui/cluster/zk"
	"coordtui/lessons/script"
	"coordtui/recipes"
)

// Act one of split-brain: peers that elect a leader by heartbeats alone
// (recipes.UnsafeHeartbeatElection). Rounds are run by the script, one
// peer after another, so the story is the same on every run; a paused
// peer skips its rounds, as a process in a long GC pause would. The peers
// stop before act two: their sessions are short, and one left on the
// minority side of the partition may or may not find the majority before
// it expires, which would put a closeSession among act two's transactions
// on some runs and move every later zxid by one.

type peer struct {
	id     string
	c      *zk.Client
	e      *recipes.UnsafeHeartbeatElection
	paused bool
}

type peerSet struct {
	peers   []*peer
	stopped bool
}

const peersKey = "demos.peers"

func peersCommand() script.Command {
	return script.Command{Name: "peers", Usage: "peers start p1,p2,p3 | peers round | peers write | peers pause|resume pN | peers stop",
		Help: "naive heartbeat election: start peers, run a round of beats and decisions, let every self-declared leader write to /ledger; stop closes their sessions",
		Run:  runPeers}
}

func leadersPredicate() script.Predicate {
	return script.Predicate{Name: "leaders", Usage: "leaders count=N", Check: checkLeaders,
		Help: "N of the heartbeat peers believe they lead"}
}

func runPeers(ctx context.Context, env *script.Env, st *script.Step, out *script.Out) error {
	a := st.Arguments()
	if a.Arg(0) == "start" {
		return startPeers(ctx, env, strings.Split(a.Arg(1), ","), out)
	}
	v, ok := env.Value(peersKey)
	if !ok {
		return errors.New("peers start p1,p2,p3 first")
	}
	ps := v.(*peerSet)
	if ps.stopped {
		return errors.New("the peers have stopped")
	}
	switch verb := a.Arg(0); verb {
	case "round":
		for _, p := range ps.peers {
			if p.paused {
				out.Printf("%s is paused: no beat, no decision; it still thinks %s leads", p.id, p.e.Leader())
				continue
			}
			leader, err := p.e.Round(ctx)
			if err != nil {
				return fmt.Errorf("%s: %w", p.id, err)
			}
			out.Printf("%s beats and decides: %s leads", p.id, leader)
		}
	case "pause", "resume":
		p := ps.find(a.Arg(1))
		if p == nil {
			return fmt.Errorf("no peer %q", a.Arg(1))
		}
		p.paused = verb == "pause"
		if p.paused {
			out.Printf("%s paused, as in a long GC pause", p.id)
		} else {
			out.Printf("%s resumes where it stopped: it still believes %s leads", p.id, p.e.Leader())
		}
	case "write":
		for _, p := range ps.peers {
			if p.paused || !p.e.IsLeader() {
				continue
			}
			if _, err := p.c.Create(ctx, "/ledger/entry-", []byte(p.id), zk.WorldACL(zk.PermAll), zk.ModePersistentSequential); err != nil {
				return fmt.Errorf("%s: %w", p.id, err)
			}
			out.Printf("%s believes it leads and appends to /ledger", p.id)
		}
		out.About(script.Concerns{Znodes: []string{"/ledger"}})
	case "stop":
		return stopPeers(ctx, env, ps, out)
	default:
		return fmt.Errorf("peers %s: want start, round, write, pause, resume or stop", verb)
	}
	return nil
}

func startPeers(ctx context.Context, env *script.Env, ids []string, out *script.Out) error {
	ens := env.Ensemble()
	if ens == nil {
		return errors.New("no ensemble yet")
	}
	ps := &peerSet{}
	members := ens.IDs()
	for i, id := range ids {
		c, err := dial(ctx, env, fmt.Sprintf("n%d", members[i%len(members)]), id)
		if err != nil {
			return err
		}
		env.OnReset(func() { c.Close() })
		ps.peers = append(ps.peers, &peer{id: id, c: c, e: recipes.NewUnsafeHeartbeatElection(c, "/hb", id)})
	}
	if _, err := ps.peers[0].c.Create(ctx, "/ledger", nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil && !errors.Is(err, zk.ErrNodeExists) {
		return err
	}
	env.SetValue(peersKey, ps)
	out.Printf("peers %s beat under /hb; each decides alone who leads", strings.Join(ids, " "))
	return nil
}

// stopPeers closes every peer's session and waits until the leader has
// none of them left: each costs one closeSession (the counters are
// persistent), committed before the step ends, so the transactions after it
// are numbered the same on every run. A peer whose client was not connected
// sends no closeSession; its session expires instead, still one
// transaction, and the wait covers that too.
func stopPeers(ctx context.Context, env *script.Env, ps *peerSet, out *script.Out) error {
	ids := make(map[int64]string, len(ps.peers))
	names := make([]string, 0, len(ps.peers))
	for _, p := range ps.peers {
		ids[p.c.SessionID()] = p.id
		names = append(names, p.id)
		p.c.Close()
	}
	ps.stopped = true
	var left []string
	err := env.Poll(ctx, 3*actorTimeout, func() (bool, error) {
		l, err := env.Leader()
		if err != nil {
			return false, nil
		}
		left = left[:0]
		for _, s := range l.Sessions() {
			if name, ok := ids[s.ID]; ok {
				left = append(left, name)
			}
		}
		return len(left) == 0, nil
	})
	if err != nil {
		return fmt.Errorf("sessions of %s still open: %w", strings.Join(left, " "), err)
	}
	out.Printf("%s stop; their sessions are closed", strings.Join(names, " "))
	return nil
}

func (ps *peerSet) find(id string) *peer {
	for _, p := range ps.peers {
		if p.id == id {
			return p
		}
	}
	return nil
}

func checkLeaders(ctx context.Context, env *script.Env, a script.Args) (script.Observation, error) {
	v, ok := env.Value(peersKey)
	if !ok {
		return script.Observation{}, errors.New("no peers")
	}
	want, err := a.Int("count", -1)
	if err != nil || want < 0 {
		return script.Observation{}, errors.New("leaders count=N")
	}
	var who []string
	for _, p := range v.(*peerSet).peers {
		if p.e.IsLeader() {
			who = append(who, p.id)
		}
	}
	return script.Observation{OK: len(who) == want, Claim: fmt.Sprintf("%d peers believe they lead", want),
		Seen: strings.Join(who, " ")}, nil
}
