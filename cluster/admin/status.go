package admin

import (
	"fmt"
	"net/http"
	"time"

	"coordtui/cluster"
)

// StatusResponse is the body of GET /coordtui/status: every member of the
// ensemble when the API is backed by one, this member alone otherwise.
type StatusResponse struct {
	Self    uint64         `json:"self"`
	Members []MemberStatus `json:"members"`
	// Heard is when the leader last heard from each session and when it
	// will expire it: only the leader knows (followers pass pings on), so
	// it is there when this API speaks for the leader.
	Heard []SessionHeard `json:"heard,omitempty"`
}

// SessionHeard is one session as the leader tracks it.
type SessionHeard struct {
	ID        string    `json:"id"` // 0x…
	TimeoutMs int64     `json:"timeout_ms"`
	LastHeard time.Time `json:"last_heard"`
	Expires   time.Time `json:"expires"`
}

// heard lists what leader n knows of its sessions' liveness.
func heard(n *cluster.Node) []SessionHeard {
	if n == nil || !n.IsLeader() {
		return nil
	}
	var out []SessionHeard
	for _, si := range n.Sessions() {
		if si.LastHeard.IsZero() {
			continue
		}
		out = append(out, SessionHeard{ID: fmt.Sprintf("%#x", uint64(si.ID)), TimeoutMs: si.Timeout.Milliseconds(),
			LastHeard: si.LastHeard.UTC(), Expires: si.Expires.UTC()})
	}
	return out
}

// MemberStatus is cluster.Status as JSON, plus the member's client
// address. A member that is down has only id, role "down" and its
// addresses.
type MemberStatus struct {
	ID            uint64 `json:"id"`
	Addr          string `json:"addr,omitempty"`        // peer (raft) address
	ClientAddr    string `json:"client_addr,omitempty"` // ZooKeeper client port
	Role          string `json:"role"`                  // leader, follower, candidate, observer, down
	Term          uint64 `json:"term"`
	Leader        uint64 `json:"leader"` // 0 when none is known
	LastIndex     uint64 `json:"last_index"`
	CommitIndex   uint64 `json:"commit_index"`
	AppliedIndex  uint64 `json:"applied_index"`
	LastContactNs int64  `json:"last_contact_ns"` // since the leader was last heard (followers)
	Serving       bool   `json:"serving"`
	LastZxid      int64  `json:"last_zxid"`
	Zxid          string `json:"zxid"`   // LastZxid as epoch and counter, "0x2_0000001e"
	Digest        string `json:"digest"` // the tree's digest, 16 hex digits
	Znodes        int    `json:"znodes"`
	Sessions      int    `json:"sessions"`
	Connections   int64  `json:"connections"`
}

func memberStatus(st cluster.Status, clientAddr string) MemberStatus {
	return MemberStatus{ID: st.ID, Addr: st.Addr, ClientAddr: clientAddr, Role: st.Role, Term: st.Term,
		Leader: st.Leader, LastIndex: st.LastIndex, CommitIndex: st.CommitIndex, AppliedIndex: st.AppliedIndex,
		LastContactNs: int64(st.LastContact), Serving: st.Serving, LastZxid: int64(st.LastZxid),
		Zxid: st.LastZxid.String(), Digest: fmt.Sprintf("%016x", st.Digest), Znodes: st.Znodes,
		Sessions: st.Sessions, Connections: st.Connections}
}

func (h *Handler) serveStatus(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, h.status())
}

func (h *Handler) status() StatusResponse {
	if e := h.cfg.Ensemble; e != nil {
		resp := StatusResponse{Self: h.cfg.Member}
		for _, id := range e.IDs() {
			if n := e.Node(id); n != nil {
				resp.Members = append(resp.Members, memberStatus(n.Status(), e.ClientAddr(id)))
			} else {
				resp.Members = append(resp.Members, MemberStatus{ID: id, Role: "down", ClientAddr: e.ClientAddr(id)})
			}
		}
		resp.Heard = heard(e.Leader())
		return resp
	}
	s := h.cfg.Server
	n := s.Node()
	return StatusResponse{Self: n.ID(), Members: []MemberStatus{memberStatus(n.Status(), s.Addr())}, Heard: heard(n)}
}
