package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/cluster/event"
	"coordtui/tree"
	"coordtui/ui/internal/ring"
	"coordtui/ui/pane"
	"coordtui/ui/source"
)

// onEvents feeds a batch of events to the panes, or keeps it while the
// picture is paused.
func (a *App) onEvents(batch eventsMsg) tea.Cmd {
	if a.paused {
		for _, ev := range batch {
			a.pending.Push(ev)
		}
	} else {
		for _, ev := range batch {
			a.apply(ev)
		}
	}
	return tea.Batch(waitForEvents(a.src.Events()), a.loads())
}

// apply shows one event.
func (a *App) apply(ev event.Event) {
	at := ev.Time
	if at.IsZero() {
		at = a.c.Now()
	}
	switch ev.Kind {
	case event.KindApplied:
		e := pane.LogEntry{Zxid: tree.Zxid(ev.Applied.Zxid), Index: ev.Applied.Index, Op: ev.Applied.Op, Path: ev.Applied.Path,
			Session: ev.Applied.Session, Result: appliedResult(ev.Applied), At: at}
		if a.log.Add(e) {
			a.changes++
			a.tree.Touch(ev.Applied.Path, at)
		}
	case event.KindWatchFired:
		a.watches.AddFired(pane.FanOut{Type: ev.Watch.Type, Path: ev.Watch.Path, Sessions: ev.Watch.Sessions, At: at})
	case event.KindRaftRPC:
		a.network.AddRPC(ev.RPC, at)
	case event.KindSession:
		a.onSessionEvent(ev)
	case event.KindLeaderChange:
		if ev.Leader.Leader != "" {
			a.news(fmt.Sprintf("%s leads term %d", ev.Leader.Leader, ev.Leader.Term))
		}
	case event.KindRaftState:
		if ev.State.To == "candidate" {
			a.news(fmt.Sprintf("%s stands for election in term %d", ev.Member, ev.State.Term))
		}
	case event.KindMember:
		a.news(fmt.Sprintf("%s %s", ev.Member, ev.Lifecycle.Change))
	case event.KindLog:
		if ev.Log.Name == "attach" {
			a.news(ev.Log.Msg)
		}
	}
}

// appliedResult is the result column: "ok", or ZooKeeper's error name.
// An attached console learns of changes through watches and knows no result.
func appliedResult(a event.Applied) string {
	switch {
	case a.Err != "":
		return a.Err
	case a.Zxid == 0:
		return ""
	}
	return "ok"
}

// onSessionEvent learns which member a session is on and names the
// session of createSession/closeSession in the log.
func (a *App) onSessionEvent(ev event.Event) {
	s := ev.Session
	switch s.Change {
	case event.SessionConnected:
		if len(a.sessMember) >= maxSessMembers {
			a.trimSessions(ev.Time)
		}
		a.sessMember[s.ID] = sessionAt{member: ev.Member, at: ev.Time}
	case event.SessionDisconnected:
		if a.sessMember[s.ID].member == ev.Member {
			delete(a.sessMember, s.ID)
		}
	case event.SessionCreated:
		a.log.NoteSession("createSession", s.ID, "")
	case event.SessionClosed:
		a.log.NoteSession("closeSession", s.ID, "closed")
		delete(a.sessMember, s.ID)
	case event.SessionExpired:
		a.log.NoteSession("closeSession", s.ID, "expired")
		delete(a.sessMember, s.ID)
		a.news(fmt.Sprintf("session %s expired: its ephemerals are gone", event.FormatSession(s.ID)))
	}
}

// news shows a notable change in the status line, once.
func (a *App) news(text string) {
	if text == a.lastNews {
		return
	}
	a.lastNews = text
	// News never hides a fresh error or a command still running; it waits
	// for the next tick after that.
	if (a.status.kind == statusErr && a.c.Now().Sub(a.status.at) < 4*time.Second) || a.running {
		a.heldNews = text
		return
	}
	a.heldNews = ""
	a.setStatus(statusNews, text)
}

// onSnapshot shows a new snapshot (or keeps it while paused).
func (a *App) onSnapshot(s source.Snapshot) tea.Cmd {
	a.snapBusy = false
	if a.paused {
		a.pausedSnap = &s
		return nil
	}
	a.showSnapshot(s)
	return a.loads()
}

func (a *App) showSnapshot(s source.Snapshot) {
	if len(a.snap.Workers) > 0 && s.Workers == nil {
		s.Workers = a.snap.Workers
	}
	a.forgetSessions(s)
	s = a.withSessionMembers(s)
	want := a.members.Wants()
	a.snap = s
	a.members.SetSnapshot(s)
	if a.members.Wants() != want {
		a.layout()
	}
	a.sessions.SetSnapshot(s)
	a.network.SetSnapshot(s)
	m := a.treeMember()
	if m != a.treeShown {
		a.treeShown = m
		a.tree.Reload()
	}
	a.tree.SetSource(a.treeSource())
}

// maxSessMembers bounds what the console remembers of where sessions
// connected, whatever the event stream throws at it.
const maxSessMembers = 20000

// trimSessions forgets sessions not heard of for ten seconds, or half of
// them if that is not enough.
func (a *App) trimSessions(now time.Time) {
	for id, at := range a.sessMember {
		if now.Sub(at.at) > 10*time.Second {
			delete(a.sessMember, id)
		}
	}
	for id := range a.sessMember {
		if len(a.sessMember) < maxSessMembers/2 {
			break
		}
		delete(a.sessMember, id)
	}
}

// forgetSessions drops what the console remembers of sessions the
// ensemble no longer has (heard of more than a few seconds ago, so a
// session that just connected is not forgotten before it is listed).
func (a *App) forgetSessions(s source.Snapshot) {
	live := make(map[int64]bool, len(s.Sessions))
	for _, ss := range s.Sessions {
		live[ss.ID] = true
	}
	for id, at := range a.sessMember {
		if !live[id] && s.Taken.Sub(at.at) > 10*time.Second {
			delete(a.sessMember, id)
		}
	}
}

// withSessionMembers fills in the member of each session from what the
// session events said.
func (a *App) withSessionMembers(s source.Snapshot) source.Snapshot {
	out := make([]source.Session, len(s.Sessions))
	for i, ss := range s.Sessions {
		if ss.Member == "" {
			ss.Member = a.sessMember[ss.ID].member
		}
		out[i] = ss
	}
	s.Sessions = out
	return s
}

func (a *App) treeSource() string {
	if a.snap.Mode == "attached" {
		return "read through the console's session"
	}
	m := a.treeMember()
	if m == 0 {
		return "no member up"
	}
	for _, mem := range a.snap.Members {
		if mem.ID == m {
			if a.treeFrom == 0 {
				return fmt.Sprintf("read on %s (%s)", mem.Name, mem.Role)
			}
			return fmt.Sprintf("read on %s (%s, chosen)", mem.Name, mem.Role)
		}
	}
	return ""
}

// onTick refreshes the snapshot, lets changes fade and samples the
// meters.
func (a *App) onTick(now time.Time) tea.Cmd {
	cmds := []tea.Cmd{tick()}
	if a.heldNews != "" {
		held := a.heldNews
		a.lastNews = ""
		a.news(held)
	}
	if !a.paused {
		a.tree.Prune(now)
		if now.Sub(a.lastRate) >= time.Second {
			a.lastRate = now
			a.network.Tick(now)
			var notif, reads uint64
			for _, m := range a.snap.Members {
				notif += m.Notifications
				reads += m.Reads
			}
			a.watches.Sample(now, a.changes, notif, reads)
			a.changes = 0
		}
		cmds = append(cmds, a.snapshotCmd(), a.loads())
	}
	return tea.Batch(cmds...)
}

// togglePause freezes or resumes the picture; what arrived meanwhile is
// played on resume.
func (a *App) togglePause() {
	a.paused = !a.paused
	if a.paused {
		a.pending = ring.New[event.Event](pendingSize)
		a.setStatus(statusInfo, "paused: the ensemble keeps running; events are kept and play on resume (space)")
		return
	}
	n := a.pending.Len()
	for i := range n {
		a.apply(a.pending.At(i))
	}
	lost := a.pending.Total() - uint64(n)
	a.pending = nil
	if a.pausedSnap != nil {
		a.showSnapshot(*a.pausedSnap)
		a.pausedSnap = nil
	}
	a.resumeRecipes()
	msg := fmt.Sprintf("resumed: played %d events from the pause", n)
	if lost > 0 {
		msg += fmt.Sprintf(" (%d older ones did not fit)", lost)
	}
	a.setStatus(statusInfo, msg)
}
