package pane

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"coordtui/ui/source"
)

// Members shows every member's role, term, last zxid, raft indexes with
// the lag behind the leader, last contact and clients, and the quorum
// arithmetic in words.
type Members struct {
	c *Common
	size
	snap   source.Snapshot
	cursor int
}

// NewMembers returns an empty members pane.
func NewMembers(c *Common) *Members { return &Members{c: c} }

// SetSnapshot shows s, keeping the selected member if it is still there.
func (m *Members) SetSnapshot(s source.Snapshot) {
	var sel uint64
	if cur, ok := m.Selected(); ok {
		sel = cur.ID
	}
	m.snap = s
	m.cursor = min(m.cursor, max(len(s.Members)-1, 0))
	for i, mem := range s.Members {
		if mem.ID == sel {
			m.cursor = i
		}
	}
}

// Move moves the selection by delta members.
func (m *Members) Move(delta int) {
	m.cursor = min(max(m.cursor+delta, 0), max(len(m.snap.Members)-1, 0))
}

// Select selects the member with the given id.
func (m *Members) Select(id uint64) {
	for i, mem := range m.snap.Members {
		if mem.ID == id {
			m.cursor = i
		}
	}
}

// SelectRow selects the member shown on line y of the pane (frame
// included), for mouse clicks.
func (m *Members) SelectRow(y int) {
	if i := y - 2; i >= 0 && i < len(m.snap.Members) {
		m.cursor = i
	}
}

// Selected returns the selected member.
func (m *Members) Selected() (source.Member, bool) {
	if m.cursor < len(m.snap.Members) {
		return m.snap.Members[m.cursor], true
	}
	return source.Member{}, false
}

var memberCols = []Column{
	{Title: "  id", Width: 5},
	{Title: "role", Width: 10},
	{Title: "term", Width: 4, Right: true, Drop: 6},
	{Title: "last zxid", Width: 12},
	{Title: "commit", Width: 6, Right: true, Drop: 4},
	{Title: "applied", Width: 7, Right: true, Drop: 5},
	{Title: "lag", Width: 4, Right: true, Drop: 2},
	{Title: "contact", Width: 7, Right: true, Drop: 3},
	{Title: "conns", Width: 5, Right: true, Drop: 7},
	{Title: "watch", Width: 5, Right: true, Drop: 8},
}

// nameWidth fits the longest member name (host:port when attached).
func (m *Members) nameWidth() int {
	w := 0
	for _, mem := range m.snap.Members {
		w = max(w, len(mem.Name)+2)
	}
	return min(w, 24)
}

// Wants is the height the pane would like, frame included: every member,
// the quorum and the partition lines.
func (m *Members) Wants() int {
	n := len(m.snap.Members) + 4
	if g := source.Partition(m.snap); len(g) > 1 {
		n += len(g)
	}
	for _, mem := range m.snap.Members {
		if mem.Up && mem.HasRaft && !mem.Serving && mem.Role != "leader" {
			n++
		}
	}
	return n + len(m.snap.Notes)
}

// View renders the pane at its size.
func (m *Members) View() string {
	iw, _ := m.inner()
	st := m.c.Styles
	leader, hasLeader := m.snap.LeaderMember()
	rows := make([][]string, len(m.snap.Members))
	for i, mem := range m.snap.Members {
		mark := "  "
		if i == m.cursor && m.focused {
			mark = "› "
		}
		role := mem.Role
		if mem.Up && mem.HasRaft && !mem.Serving && role != "leader" {
			role += "*"
		}
		r := []string{mark + mem.Name, st.Role(mem.Role).Render(role), "", "", "", "", "", "", "", ""}
		if mem.Up {
			r[2] = dash(mem.Term, fmt.Sprintf("T%d", mem.Term))
			r[3] = mem.LastZxid.String()
			r[8] = fmt.Sprint(mem.Connections)
			r[9] = fmt.Sprint(mem.Watches)
			if mem.HasRaft {
				r[4], r[5] = fmt.Sprint(mem.CommitIndex), fmt.Sprint(mem.AppliedIndex)
				if hasLeader && mem.ID != leader.ID {
					r[6] = lag(leader.CommitIndex, mem.AppliedIndex, st)
					r[7] = contact(mem.LastContact)
				} else {
					r[6], r[7] = "-", "-"
				}
			}
		} else {
			r[3] = st.Dim.Render("-")
		}
		rows[i] = r
	}
	cols := memberCols
	if w := m.nameWidth(); w > cols[0].Width {
		cols = append([]Column(nil), memberCols...)
		cols[0].Width = w
	}
	head, lines := Table(st, cols, rows, iw)
	for i := range lines {
		if i == m.cursor && m.focused {
			lines[i] = st.Selected.Render(Fit(ansi.Strip(lines[i]), iw))
		}
	}
	body := append([]string{head}, lines...)
	q := source.QuorumOf(m.snap)
	qs := st.OK
	if !q.Commits {
		qs = st.Warn
	}
	body = append(body, wrap(qs, q.Words, iw)...)
	if groups := source.Partition(m.snap); len(groups) > 1 {
		for _, g := range groups {
			gs := st.Warn
			if g.Quorum {
				gs = st.OK
			}
			body = append(body, wrap(gs, "partition "+g.Words(q.Voters), iw)...)
		}
	}
	for _, mem := range m.snap.Members {
		if mem.Up && mem.HasRaft && !mem.Serving && mem.Role != "leader" {
			body = append(body, wrap(st.Dim, fmt.Sprintf("%s* knows no leader: it refuses clients", mem.Name), iw)...)
		}
	}
	for _, n := range m.snap.Notes {
		body = append(body, wrap(st.Dim, n, iw)...)
	}
	return Frame(st, "1 Members · quorum", body, m.w, m.h, m.focused)
}

func dash(v uint64, s string) string {
	if v == 0 {
		return "-"
	}
	return s
}

func lag(commit, applied uint64, st *Styles) string {
	if applied >= commit {
		return "0"
	}
	d := commit - applied
	if d > 100 {
		return st.Warn.Render(fmt.Sprint(d))
	}
	return fmt.Sprint(d)
}

func contact(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return strings.TrimSuffix(d.Round(time.Second).String(), "0s")
}
