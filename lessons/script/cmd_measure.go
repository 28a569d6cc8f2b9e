package script

import (
	"context"
	"errors"
	"fmt"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/event"
	"coordtui/tree"
)

func measureCommands() []Command {
	return []Command{
		{Name: "mark", Usage: "mark", Run: runMark,
			Help: "remember the members' counters; 'notifications' counts from here"},
		{Name: "measure", Usage: "measure writes=N", Run: runMeasure,
			Help: "make N writes one after another through the leader and count the raft messages that carried them"},
	}
}

const markKey = "script.mark.notifications"

// notificationsSent sums the watch notifications every running member sent.
func notificationsSent(ens *cluster.Ensemble) uint64 {
	var n uint64
	for _, node := range ens.Nodes() {
		n += node.Counters().Notifications()
	}
	return n
}

func runMark(ctx context.Context, env *Env, st *Step, out *Out) error {
	ens, err := env.need()
	if err != nil {
		return err
	}
	env.SetValue(markKey, notificationsSent(ens))
	return nil
}

func checkNotifications(ctx context.Context, env *Env, a Args) (Observation, error) {
	ens, err := env.need()
	if err != nil {
		return Observation{}, err
	}
	want, err := a.Int("count", -1)
	if err != nil || want < 0 {
		return Observation{}, errors.New("notifications count=N")
	}
	base, _ := env.Value(markKey)
	from, _ := base.(uint64)
	got := notificationsSent(ens) - from
	return Observation{OK: got == uint64(want), Claim: fmt.Sprintf("the ensemble sent %d watch notification%s", want, plural(want)),
		Seen: fmt.Sprintf("%d", got)}, nil
}

// runMeasure counts, from the event stream, the AppendEntries messages
// that carried each of N writes to the followers. Writes go one at a time,
// so each is its own raft entry and the count is exact, not a timing.
func runMeasure(ctx context.Context, env *Env, st *Step, out *Out) error {
	writes, err := st.Arguments().Int("writes", 10)
	if err != nil || writes < 1 {
		return errors.New("measure writes=N (N >= 1)")
	}
	l, err := env.leaderNode()
	if err != nil {
		return err
	}
	peers, err := l.Members()
	if err != nil {
		return err
	}
	voters := 0
	var followers []string
	for _, p := range peers {
		if !p.NonVoter {
			voters++
		}
		if p.ID != l.ID() && env.Ensemble().Node(p.ID) != nil {
			followers = append(followers, string(cluster.ServerID(p.ID)))
		}
	}
	wctx, cancel := context.WithTimeout(ctx, env.Within(30*time.Second))
	defer cancel()
	if _, err := l.Write(wctx, 0, nil, tree.Op{Type: tree.OpCreate, Path: "/measure", ACL: tree.OpenACL}); err != nil {
		return err
	}
	sub := env.Bus().Subscribe(1 << 16)
	defer sub.Close()
	want := map[uint64]bool{}
	for i := range writes {
		a, err := l.Write(wctx, 0, nil, tree.Op{Type: tree.OpSetData, Path: "/measure", Data: fmt.Appendf(nil, "%d", i), Version: -1})
		if err != nil {
			return err
		}
		want[a.Index] = true
	}
	leader := string(cluster.ServerID(l.ID()))
	got := map[string]map[uint64]bool{} // follower -> indexes it received
	messages, carried := 0, 0
	done := func() bool {
		for _, f := range followers {
			if len(got[f]) < len(want) {
				return false
			}
		}
		return true
	}
	for !done() {
		select {
		case ev := <-sub.C():
			r := ev.RPC
			if ev.Kind != event.KindRaftRPC || r.Type != event.AppendEntries || r.From != leader ||
				r.Outcome != event.OutcomeDelivered || r.Entries == 0 {
				continue
			}
			hit := false
			for i := r.First; i <= r.Last; i++ {
				if want[i] {
					if got[r.To] == nil {
						got[r.To] = map[uint64]bool{}
					}
					got[r.To][i] = true
					carried++
					hit = true
				}
			}
			if hit {
				messages++
			}
		case <-wctx.Done():
			return fmt.Errorf("not every follower was seen to receive the writes: %w", wctx.Err())
		}
	}
	if sub.Dropped() > 0 {
		return fmt.Errorf("the event stream dropped %d events; the count would be wrong", sub.Dropped())
	}
	majority := voters/2 + 1
	out.About(Concerns{Members: []uint64{l.ID()}, Znodes: []string{"/measure"}})
	// raft may pack entries that queue up for a slow follower into one
	// message, so the number of messages is a bound; the number of entries
	// shipped is exact: every follower needs every entry once.
	out.Printf("%d writes through the leader, one at a time", writes)
	out.Printf("entries shipped per write: %.1f, one to each of %d followers", float64(carried)/float64(writes), len(followers))
	out.Printf("a write commits once %d of %d voters have it: the leader and %d follower answer%s",
		majority, voters, majority-1, plural(majority-1))
	out.Claim(carried == writes*len(followers) && messages <= carried,
		fmt.Sprintf("every follower received every write exactly once (%d AppendEntries deliveries per write)", len(followers)),
		fmt.Sprintf("%d entries in %d messages", carried, messages))
	return nil
}
