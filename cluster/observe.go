package cluster

import (
	"strings"
	"time"

	"github.com/hashicorp/raft"

	"coordtui/cluster/event"
	"coordtui/tree"
)

func (n *Node) publish(e event.Event) {
	if n.cfg.Events == nil {
		return
	}
	if e.Member == "" {
		e.Member = string(n.id)
	}
	n.cfg.Events.Publish(e)
}

// observe turns raft's observations and this member's applied transactions
// into events.
func (n *Node) observe() {
	if n.cfg.Events == nil {
		return
	}
	n.AddApplyHook(n.publishApplied)
	ch := make(chan raft.Observation, 64)
	obs := raft.NewObserver(ch, false, func(o *raft.Observation) bool {
		switch o.Data.(type) {
		case raft.RaftState, raft.LeaderObservation:
			return true
		}
		return false
	})
	n.raft.RegisterObserver(obs)
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		defer n.raft.DeregisterObserver(obs)
		last := "follower"
		for {
			select {
			case <-n.stop:
				return
			case o := <-ch:
				term := n.term()
				switch d := o.Data.(type) {
				case raft.RaftState:
					to := strings.ToLower(d.String())
					n.publish(event.Event{Kind: event.KindRaftState, State: event.StateChange{From: last, To: to, Term: term}})
					last = to
				case raft.LeaderObservation:
					n.publish(event.Event{Kind: event.KindLeaderChange, Leader: event.LeaderChange{Leader: string(d.LeaderID), Term: term}})
				}
			}
		}
	}()
}

func (n *Node) term() uint64 {
	var t uint64
	for _, c := range n.raft.Stats()["term"] {
		t = t*10 + uint64(c-'0')
	}
	return t
}

func (n *Node) publishApplied(_ *tree.Tree, a *Applied) {
	op := a.Txn.Op
	ev := event.Applied{Zxid: uint64(a.Txn.Zxid), Index: a.Index, Op: op.Type.String(), Path: op.Path, Session: a.Txn.Session}
	if a.Result.Err != tree.OK {
		ev.Err = a.Result.Err.String()
	}
	n.publish(event.Event{Kind: event.KindApplied, Applied: ev})
	if a.Result.Err != tree.OK {
		return
	}
	switch op.Type {
	case tree.OpCreateSession:
		n.publish(event.Event{Kind: event.KindSession, Session: event.Session{ID: op.SessionID,
			Change: event.SessionCreated, Timeout: time.Duration(op.Timeout) * time.Millisecond}})
	case tree.OpCloseSession:
		change := event.SessionClosed
		if a.Txn.Session == 0 {
			change = event.SessionExpired
		}
		n.publish(event.Event{Kind: event.KindSession, Session: event.Session{ID: op.SessionID, Change: change}})
	}
}
