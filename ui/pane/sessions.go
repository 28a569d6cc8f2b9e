package pane

import (
	"fmt"
	"slices"
	"time"

	"coordtui/recipes/worker"
	"coordtui/ui/source"
)

// sessionRow is one line: a session the ensemble knows, a worker, or both.
type sessionRow struct {
	sess   source.Session
	known  bool // the ensemble has the session
	worker *worker.Info
}

// Sessions lists every session with its member, timeout, last heard and
// ephemerals; for the console's own workers also what their client
// believes (connected, suspended, expired...).
type Sessions struct {
	c *Common
	size
	rows   []sessionRow
	cursor int
	offset int
	mode   string
	labels map[int64]string // names a playing script gave sessions
}

// SetLabels names sessions that are not the console's workers (a lesson's
// clients): the name shows where a worker's would.
func (s *Sessions) SetLabels(labels map[int64]string) { s.labels = labels }

// NewSessions returns an empty sessions pane.
func NewSessions(c *Common) *Sessions { return &Sessions{c: c} }

// SetSnapshot merges the ensemble's sessions with the workers.
func (s *Sessions) SetSnapshot(snap source.Snapshot) {
	selWorker, selSess := 0, int64(0)
	if r, ok := s.selected(); ok {
		selSess = r.sess.ID
		if r.worker != nil {
			selWorker = r.worker.ID
		}
	}
	s.mode = snap.Mode
	byID := map[int64]int{}
	s.rows = s.rows[:0]
	for _, ss := range snap.Sessions {
		byID[ss.ID] = len(s.rows)
		s.rows = append(s.rows, sessionRow{sess: ss, known: true})
	}
	for _, w := range snap.Workers {
		w := w
		if i, ok := byID[w.Session]; ok && w.Session != 0 {
			s.rows[i].worker = &w
			continue
		}
		s.rows = append(s.rows, sessionRow{sess: source.Session{ID: w.Session, Timeout: w.Timeout}, worker: &w})
	}
	slices.SortStableFunc(s.rows, func(a, b sessionRow) int {
		// Workers first, in start order; then the other sessions by id.
		switch {
		case a.worker != nil && b.worker != nil:
			return a.worker.ID - b.worker.ID
		case a.worker != nil:
			return -1
		case b.worker != nil:
			return 1
		}
		return compare64(a.sess.ID, b.sess.ID)
	})
	s.cursor = min(s.cursor, max(len(s.rows)-1, 0))
	for i, r := range s.rows {
		if (selWorker != 0 && r.worker != nil && r.worker.ID == selWorker) || (selWorker == 0 && selSess != 0 && r.sess.ID == selSess) {
			s.cursor = i
		}
	}
}

func compare64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *Sessions) selected() (sessionRow, bool) {
	if s.cursor < len(s.rows) {
		return s.rows[s.cursor], true
	}
	return sessionRow{}, false
}

// SelectedWorker returns the worker on the selected row, if any.
func (s *Sessions) SelectedWorker() (worker.Info, bool) {
	if r, ok := s.selected(); ok && r.worker != nil {
		return *r.worker, true
	}
	return worker.Info{}, false
}

// Move moves the selection.
func (s *Sessions) Move(delta int) {
	s.cursor = min(max(s.cursor+delta, 0), max(len(s.rows)-1, 0))
}

// SelectRow selects the row on line y of the pane (frame included).
func (s *Sessions) SelectRow(y int) {
	if i := s.offset + y - 2; i >= 0 && i < len(s.rows) {
		s.cursor = i
	}
}

var sessionCols = []Column{
	{Title: " session", Width: 9},
	{Title: "member", Width: 6, Drop: 3},
	{Title: "timeout", Width: 7, Right: true, Drop: 6},
	{Title: "heard", Width: 6, Right: true, Drop: 2},
	{Title: "expires", Width: 8, Right: true, Drop: 1},
	{Title: "eph", Width: 3, Right: true, Drop: 5},
	{Title: "wch", Width: 3, Right: true, Drop: 7},
	{Title: "worker", Width: 6},
	{Title: "client sees", Width: 14, Flex: true},
}

// View renders the pane at its size.
func (s *Sessions) View() string {
	st := s.c.Styles
	iw, ih := s.inner()
	h := max(ih-1, 1)
	now := s.c.Now()
	s.offset = Window(s.cursor, s.offset, len(s.rows), h)
	var rows [][]string
	for i := s.offset; i < min(s.offset+h, len(s.rows)); i++ {
		r := s.rows[i]
		mark := " "
		if i == s.cursor {
			mark = "›"
		}
		id := "-"
		if r.sess.ID != 0 {
			id = ShortSession(r.sess.ID)
		}
		row := []string{mark + id, r.sess.Member, dur(r.sess.Timeout), ago(now, r.sess.LastHeard), until(now, r.sess.Expires), "", "", "", ""}
		if r.known {
			row[5] = fmt.Sprint(r.sess.Ephemerals)
			row[6] = fmt.Sprint(r.sess.Watches)
		} else if r.sess.ID != 0 {
			row[4], row[5] = st.Dim.Render("gone"), st.Dim.Render("-")
		}
		if w := r.worker; w != nil {
			row[7] = w.Name
			row[8] = s.clientState(*w)
		} else if name := s.labels[r.sess.ID]; name != "" {
			row[7] = name
		}
		rows = append(rows, row)
	}
	head, lines := Table(st, sessionCols, rows, iw)
	if s.focused && s.cursor-s.offset < len(lines) && len(lines) > 0 {
		i := s.cursor - s.offset
		lines[i] = st.Selected.Render(Fit(lines[i], iw))
	}
	body := append([]string{head}, lines...)
	if len(s.rows) == 0 {
		body = append(body, st.Dim.Render("no sessions; w starts a worker"))
	}
	return Frame(st, "5 Sessions · workers", body, s.w, s.h, s.focused)
}

// clientState is what a worker's own client believes, with its flags.
func (s *Sessions) clientState(w worker.Info) string {
	st := s.c.Styles
	text := string(w.State)
	if w.State == worker.Connected && w.Path == "" {
		text = "registering"
		if w.Err != "" {
			text = "no ephemeral: " + w.Err
		}
	}
	switch {
	case w.Expiring:
		text += " expiring"
	case w.Frozen:
		text += " frozen"
	}
	if w.Crashed {
		text = "crashed"
	}
	switch {
	case w.Crashed || w.State == worker.Expired:
		return st.Err.Render(text)
	case w.Frozen || w.State == worker.Suspended || w.State == worker.Connecting:
		return st.Warn.Render(text)
	case w.State == worker.Connected:
		return st.OK.Render(text)
	}
	return st.Dim.Render(text)
}

func dur(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return d.Round(100 * time.Millisecond).String()
}

func ago(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return short(now.Sub(t))
}

func until(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return "in " + short(t.Sub(now))
}

func short(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}
