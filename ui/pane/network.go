package pane

import (
	"fmt"
	"time"

	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/ui/internal/ring"
	"coordtui/ui/source"
)

// RPCLine is one raft RPC as the network pane lists it.
type RPCLine struct {
	RPC event.RPC
	At  time.Time
}

// Network shows the link matrix (editable: a cursor picks a link) and the
// raft messages flowing with their terms. Heartbeats, most of the traffic,
// are hidden unless asked for; step mode shows what is held.
type Network struct {
	c *Common
	size
	snap           source.Snapshot
	rpcs           *ring.Ring[RPCLine]
	showHeartbeats bool
	row, col       int // the selected link: sender row, receiver column

	count, beats   int // RPCs and heartbeats since the last rate tick
	rate, beatRate float64
	lastTick       time.Time
}

// NewNetwork returns an empty network pane.
func NewNetwork(c *Common) *Network {
	return &Network{c: c, rpcs: ring.New[RPCLine](1000), col: 1}
}

// SetSnapshot shows the matrix and step state of s.
func (n *Network) SetSnapshot(s source.Snapshot) {
	n.snap = s
	k := len(s.Matrix.Members)
	n.row, n.col = min(n.row, max(k-1, 0)), min(n.col, max(k-1, 0))
}

// AddRPC records one RPC. Held RPCs are reported again when they go on,
// so they are listed once they are decided.
func (n *Network) AddRPC(r event.RPC, at time.Time) {
	n.count++
	if keepAlive(r) {
		n.beats++
		if !n.showHeartbeats {
			return
		}
	}
	n.rpcs.Push(RPCLine{RPC: r, At: at})
}

// keepAlive reports whether r is routine traffic: a heartbeat, or an
// AppendEntries that carried nothing and succeeded (raft sends one to
// every follower each commit timeout). Failures are never routine.
func keepAlive(r event.RPC) bool {
	ok := r.Outcome == event.OutcomeDelivered || r.Outcome == ""
	return ok && (r.Type == event.Heartbeat || (r.Type == event.AppendEntries && r.Entries == 0 && r.OK))
}

// Tick turns the counts since the last tick into rates.
func (n *Network) Tick(now time.Time) {
	if !n.lastTick.IsZero() {
		if d := now.Sub(n.lastTick).Seconds(); d > 0 {
			n.rate, n.beatRate = float64(n.count)/d, float64(n.beats)/d
		}
	}
	n.lastTick, n.count, n.beats = now, 0, 0
}

// ToggleHeartbeats shows or hides heartbeats.
func (n *Network) ToggleHeartbeats() { n.showHeartbeats = !n.showHeartbeats }

// MoveCell moves the link cursor; it never rests on the diagonal.
func (n *Network) MoveCell(dr, dc int) {
	k := len(n.snap.Matrix.Members)
	if k < 2 {
		return
	}
	n.row = (n.row + dr + k) % k
	n.col = (n.col + dc + k) % k
	if n.row == n.col {
		step := dc
		if step == 0 {
			step = 1
		}
		n.col = (n.col + step + k) % k
	}
}

// SelectedLink returns the link under the cursor.
func (n *Network) SelectedLink() (from, to string, ok bool) {
	ms := n.snap.Matrix.Members
	if n.row < len(ms) && n.col < len(ms) && n.row != n.col {
		return ms[n.row], ms[n.col], true
	}
	return "", "", false
}

// SelectCell selects the link shown at pane position (x, y), for clicks.
func (n *Network) SelectCell(x, y int) {
	r := y - 2
	c := (x - 1 - n.firstColW()) / (n.cellW() + 1)
	k := len(n.snap.Matrix.Members)
	if r >= 0 && r < k && c >= 0 && c < k && r != c {
		n.row, n.col = r, c
	}
}

func (n *Network) firstColW() int { return 8 }

func (n *Network) cellW() int {
	w := 4
	for _, l := range n.snap.Matrix.Links {
		w = max(w, len(cellText(l)))
	}
	return min(w, 16)
}

func cellText(l faultnet.LinkState) string {
	s := l.Fault.String()
	if l.Held > 0 {
		s += fmt.Sprintf("[%d]", l.Held)
	}
	return s
}

// View renders the pane at its size.
func (n *Network) View() string {
	st := n.c.Styles
	iw, ih := n.inner()
	var body []string
	m := n.snap.Matrix
	if !n.snap.HasMatrix {
		body = append(body, st.Dim.Render("the link matrix is known only for an ensemble the console runs"))
	} else {
		cw := n.cellW()
		head := Fit("from\\to", n.firstColW())
		for _, to := range m.Members {
			head += " " + Fit(to, cw)
		}
		body = append(body, st.ColumnHead.Render(head))
		for r, from := range m.Members {
			line := Fit(from, n.firstColW())
			for c, to := range m.Members {
				text := "-"
				style := st.Dim
				if from != to {
					l := m.Link(from, to)
					text = cellText(l)
					switch {
					case l.Fault.Cut:
						style = st.Err
					case l.Held > 0 || l.Fault.Hold:
						style = st.Warn
					case !l.Fault.IsZero():
						style = st.Warn
					default:
						style = st.OK
					}
				}
				if n.focused && r == n.row && c == n.col {
					line += " " + st.Selected.Render(Fit("›"+text, cw))
					continue
				}
				line += " " + style.Render(Fit(text, cw))
			}
			body = append(body, line)
		}
	}
	if n.snap.Step {
		next := "nothing held yet"
		if len(n.snap.Queue) > 0 {
			next = "next: " + n.snap.Queue[0].String()
		}
		body = append(body, st.Warn.Render(fmt.Sprintf("STEP: %d held · %s", n.snap.Held, next)))
	}
	if n.snap.NetNote != "" {
		body = append(body, wrap(st.Warn, n.snap.NetNote, iw)...)
	}
	beats := "hidden, b shows"
	if n.showHeartbeats {
		beats = "shown, b hides"
	}
	body = append(body, st.Dim.Render(fmt.Sprintf("%.0f RPC/s, %.0f keep-alives (%s)", n.rate, n.beatRate, beats)))
	rows := max(ih-len(body), 0)
	total := n.rpcs.Len()
	for i := max(total-rows, 0); i < total; i++ {
		l := n.rpcs.At(i)
		text := l.RPC.String()
		switch l.RPC.Outcome {
		case event.OutcomeCut, event.OutcomeDropped, event.OutcomeError:
			text = st.Err.Render(text)
		case event.OutcomeHeld:
			text = st.Warn.Render(text)
		default:
			if l.RPC.Type == event.RequestVote || l.RPC.Type == event.PreVote || l.RPC.Type == event.TimeoutNow {
				text = st.Candidate.Render(text)
			}
		}
		body = append(body, text)
	}
	speed := ""
	if n.snap.Speed > 1 {
		speed = fmt.Sprintf(" · slow ×%g", n.snap.Speed)
	}
	return Frame(st, "6 Network"+speed, body, n.w, n.h, n.focused)
}

// Heartbeats reports whether heartbeats are listed.
func (n *Network) Heartbeats() bool { return n.showHeartbeats }

// Matrix is the matrix shown.
func (n *Network) Matrix() faultnet.Matrix { return n.snap.Matrix }
