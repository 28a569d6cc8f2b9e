package source

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"coordtui/cluster/admin"
	"coordtui/cluster/faultnet"
	"coordtui/cluster/zk"
	"coordtui/tree"
)

// adminTimeout bounds one snapshot's questions to an admin API, so that
// one that hangs costs the picture a moment, not the console.
const adminTimeout = 1500 * time.Millisecond

// remoteView is the last merged picture, which the controls read (the
// link a key toggles, the member a crash names).
type remoteView struct {
	mu      sync.Mutex
	matrix  faultnet.Matrix
	members []Member
}

func (v *remoteView) set(m faultnet.Matrix, members []Member) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.matrix, v.members = m, members
}

func (v *remoteView) link(from, to string) faultnet.Fault {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.matrix.Link(from, to).Fault
}

// answer is what one admin API said for one snapshot.
type answer struct {
	status    admin.StatusResponse
	statusErr error
	faults    admin.FaultState
	faultsErr error
	dump      dumpJSON
	dumpErr   error
}

// dumpJSON is what the console reads of the AdminServer command dump:
// every replica knows each session's ephemerals.
type dumpJSON struct {
	Ephemerals map[string][]string `json:"session_id_to_ephemeral_paths"`
}

// Snapshot implements Source: members from every admin API that answers
// (a member's own answer wins), the link matrix from fault state, sessions
// from the four-letter word cons, and what each event stream missed.
func (r *Remote) Snapshot(ctx context.Context) Snapshot {
	s := Snapshot{Taken: time.Now(), Mode: "attached", ConnString: r.at.ConnString(), ReadOnly: r.at.ReadOnly(), Speed: 1}
	answers := make([]answer, len(r.ends))
	var wg sync.WaitGroup
	for i, ep := range r.ends {
		wg.Go(func() {
			actx, cancel := context.WithTimeout(ctx, adminTimeout)
			defer cancel()
			a := &answers[i]
			if a.status, a.statusErr = ep.c.Status(actx); a.statusErr == nil {
				ep.learn(a.status)
			}
			a.faults, a.faultsErr = ep.c.Faults(actx)
			a.dumpErr = ep.c.Command(actx, "dump", &a.dump)
		})
	}
	// The four-letter words fill in what the API does not say (sessions,
	// watches) and stand in for a member whose API does not answer.
	flw, sessions, flwNotes := r.at.status.get(ctx)
	wg.Wait()

	byAddr := map[string]Member{}
	for _, m := range flw {
		byAddr[m.ClientAddr] = m
	}
	s.Members, s.Notes = r.merge(answers, byAddr)
	s.Members = r.withVoters(ctx, answers, s.Members, byAddr)
	if len(s.Members) == 0 {
		// No API answered: show what the four-letter words tell.
		s.Members = flw
		s.Notes = append(s.Notes, flwNotes...)
	}
	names := map[string]string{}
	for _, m := range s.Members {
		names[m.ClientAddr] = m.Name
	}
	eph := ephemerals(answers)
	heard := leaderHeard(answers)
	for i := range sessions {
		if h, ok := heard[sessions[i].ID]; ok {
			sessions[i].LastHeard, sessions[i].Expires = h.LastHeard, h.Expires
		}
		if n, ok := names[sessions[i].Member]; ok {
			sessions[i].Member = n
		}
		sessions[i].Watches = -1
		sessions[i].Ephemerals = eph[sessions[i].ID]
	}
	s.Sessions = sessions
	if m, ok := ownLinks(answers); ok {
		s.HasMatrix, s.Matrix = true, only(m, s.Members)
	} else {
		for _, a := range answers {
			if a.faultsErr == nil && a.faults.Links != nil && len(a.faults.Links.Members) > 0 {
				s.HasMatrix, s.Matrix = true, only(a.faults.Links.Matrix(), s.Members)
				break
			}
		}
	}
	r.view.set(s.Matrix, s.Members)
	s.Notes = append(s.Notes, r.streamNotes()...)
	if w := r.at.Workers(); w != nil {
		s.Workers = w.List()
	}
	if st := r.at.client.State(); st != zk.StateConnected && st != zk.StateConnectedReadOnly {
		s.Notes = append(s.Notes, "the console's session is "+strings.ToLower(st.String()))
	}
	return s
}

// merge turns the APIs' answers into members, in id order: a member's own
// API's answer wins over another's; a member whose API does not answer is
// shown from the four-letter words (byAddr), with a note saying so.
func (r *Remote) merge(answers []answer, byAddr map[string]Member) ([]Member, []string) {
	got := map[uint64]Member{}
	own := map[uint64]bool{}
	var notes []string
	for i, a := range answers {
		ep := r.ends[i]
		if a.statusErr != nil {
			notes = append(notes, fmt.Sprintf("admin API %s unreachable: %s", ep.c, shortErr(a.statusErr)))
			continue
		}
		for _, ms := range a.status.Members {
			if _, seen := got[ms.ID]; seen && (own[ms.ID] || ms.ID != a.status.Self) {
				continue
			}
			got[ms.ID], own[ms.ID] = fromStatus(ms, byAddr), ms.ID == a.status.Self
		}
	}
	for i, a := range answers {
		ep := r.ends[i]
		ep.mu.Lock()
		self, last := ep.self, ep.last
		ep.mu.Unlock()
		if a.statusErr == nil || self == 0 {
			continue
		}
		if _, seen := got[self]; seen {
			continue
		}
		m := Member{ID: self, Name: fmt.Sprintf("n%d", self), Addr: last.Addr, ClientAddr: last.ClientAddr, Role: "unknown"}
		if f, ok := byAddr[last.ClientAddr]; ok && f.Up {
			m.Up, m.Role, m.Serving, m.LastZxid, m.Term, m.Znodes, m.Connections, m.Watches =
				true, f.Role, f.Serving, f.LastZxid, f.Term, f.Znodes, f.Connections, f.Watches
		}
		m.Note = "admin API unreachable; four-letter words only"
		got[self] = m
	}
	ids := make([]uint64, 0, len(got))
	for id := range got {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	members := make([]Member, len(ids))
	for i, id := range ids {
		members[i] = got[id]
	}
	return members, notes
}

// fromStatus is one member as the API reports it; watches come from the
// four-letter word mntr on its client port, which the API does not give.
func fromStatus(ms admin.MemberStatus, byAddr map[string]Member) Member {
	m := Member{ID: ms.ID, Name: fmt.Sprintf("n%d", ms.ID), Addr: ms.Addr, ClientAddr: ms.ClientAddr, Role: ms.Role}
	if ms.Role == "down" {
		return m
	}
	m.Up, m.HasRaft = true, true
	m.Term, m.Leader, m.LastIndex, m.CommitIndex, m.AppliedIndex = ms.Term, ms.Leader, ms.LastIndex, ms.CommitIndex, ms.AppliedIndex
	m.LastContact, m.Serving, m.LastZxid = time.Duration(ms.LastContactNs), ms.Serving, tree.Zxid(ms.LastZxid)
	m.Znodes, m.Sessions, m.Connections = ms.Znodes, ms.Sessions, ms.Connections
	if f, ok := byAddr[ms.ClientAddr]; ok {
		m.Watches, m.Requests, m.Reads, m.Notifications = f.Watches, f.Requests, f.Reads, f.Notifications
	}
	return m
}

// ephemerals counts each session's ephemerals from the first dump that
// answered.
func ephemerals(answers []answer) map[int64]int {
	out := map[int64]int{}
	for _, a := range answers {
		if a.dumpErr != nil || a.dump.Ephemerals == nil {
			continue
		}
		for id, paths := range a.dump.Ephemerals {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				out[n] = len(paths)
			}
		}
		break
	}
	return out
}

// withVoters adds the members the configuration names (voting_view, asked
// of the first API that answered) that no API reported: a `coordtui
// server` whose process is gone answers nothing, yet counts in the quorum.
func (r *Remote) withVoters(ctx context.Context, answers []answer, members []Member, byAddr map[string]Member) []Member {
	var ep *endpoint
	for i, a := range answers {
		if a.statusErr == nil {
			ep = r.ends[i]
			break
		}
	}
	if ep == nil {
		return members
	}
	vctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	var vv struct {
		Config map[string]string `json:"current_config"`
	}
	if ep.c.Command(vctx, "voting_view", &vv) != nil {
		return members
	}
	known := map[uint64]bool{}
	for _, m := range members {
		known[m.ID] = true
	}
	added := false
	for idText, spec := range vv.Config {
		id, err := strconv.ParseUint(idText, 10, 8)
		if err != nil || known[id] {
			continue
		}
		peer, client, _ := strings.Cut(spec, ";")
		m := Member{ID: id, Name: fmt.Sprintf("n%d", id), ClientAddr: client, Role: "unknown",
			Note: "in the configuration, but no admin API reports it"}
		if f := strings.Split(peer, ":"); len(f) >= 2 {
			m.Addr = f[0] + ":" + f[1]
		}
		if f, ok := byAddr[client]; ok && f.Up {
			m.Up, m.Role, m.Serving, m.LastZxid, m.Term = true, f.Role, f.Serving, f.LastZxid, f.Term
		}
		members, added = append(members, m), true
	}
	if added {
		slices.SortFunc(members, func(a, b Member) int { return cmp.Compare(a.ID, b.ID) })
	}
	return members
}

// ownLinks composes the link matrix from members on their own (coordtui
// server --faults), each of which reports only the links it governs: a
// link is what its sender's table says, and cut as well when the
// receiver's table cuts it (a member enforces cuts into it). It reports
// false when no answer comes from such a member.
func ownLinks(answers []answer) (faultnet.Matrix, bool) {
	var tables []admin.FaultState
	for _, a := range answers {
		if a.faultsErr == nil && a.faults.Self != "" && a.faults.Links != nil {
			tables = append(tables, a.faults)
		}
	}
	if len(tables) == 0 {
		return faultnet.Matrix{}, false
	}
	links := map[[2]string]*faultnet.LinkState{}
	var out faultnet.Matrix
	for _, m := range tables[0].Links.Matrix().Links {
		l := faultnet.LinkState{From: m.From, To: m.To}
		out.Links = append(out.Links, l)
	}
	out.Members = append(out.Members, tables[0].Links.Members...)
	for i := range out.Links {
		links[[2]string{out.Links[i].From, out.Links[i].To}] = &out.Links[i]
	}
	for _, t := range tables {
		for _, m := range t.Links.Matrix().Links {
			l := links[[2]string{m.From, m.To}]
			switch {
			case l == nil:
			case m.From == t.Self:
				cut := l.Fault.Cut
				l.Fault, l.Held = m.Fault, m.Held
				l.Fault.Cut = l.Fault.Cut || cut
			case m.To == t.Self && m.Fault.Cut:
				l.Fault.Cut = true
			}
		}
	}
	return out, true
}

// leaderHeard is what the leader's API says of when it last heard from
// each session, by session id.
func leaderHeard(answers []answer) map[int64]admin.SessionHeard {
	out := map[int64]admin.SessionHeard{}
	for _, a := range answers {
		if a.statusErr != nil {
			continue
		}
		for _, h := range a.status.Heard {
			if id, err := strconv.ParseUint(strings.TrimPrefix(h.ID, "0x"), 16, 64); err == nil {
				out[int64(id)] = h
			}
		}
	}
	return out
}
