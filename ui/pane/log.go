package pane

import (
	"fmt"
	"time"

	"coordtui/tree"
	"coordtui/ui/internal/ring"
)

// LogEntry is one applied transaction.
type LogEntry struct {
	Zxid    tree.Zxid // 0 when unknown (a deletion seen by an attached console)
	Index   uint64    // raft index, 0 when unknown
	Op      string
	Path    string
	Session int64  // 0 when unknown
	Result  string // "" when unknown
	At      time.Time
}

// LogSize is how many transactions the log keeps for scroll-back.
const LogSize = 10000

// Log is the zxid log: every transaction as it commits, newest at the
// bottom. In follow mode it keeps the newest in view; moving the cursor
// up leaves follow mode so the rows hold still.
type Log struct {
	c *Common
	size
	rows   *ring.Ring[LogEntry]
	last   tree.Zxid
	follow bool
	cur    uint64 // the selected entry, by sequence number (Total at push)
	offset int
}

// NewLog returns an empty log in follow mode.
func NewLog(c *Common) *Log { return &Log{c: c, rows: ring.New[LogEntry](LogSize), follow: true} }

// Add appends e unless its zxid was already logged (every member reports
// the same transactions; the first report wins). It reports whether e was
// added.
func (l *Log) Add(e LogEntry) bool {
	if e.Zxid != 0 && e.Zxid <= l.last {
		return false
	}
	if e.Zxid != 0 {
		l.last = e.Zxid
	}
	l.rows.Push(e)
	return true
}

// NoteSession fills in the session (and what became of it) of the latest
// transaction of op that has none: createSession and closeSession learn
// theirs from the session event that follows them.
func (l *Log) NoteSession(op string, session int64, result string) {
	for i := l.rows.Len() - 1; i >= max(l.rows.Len()-8, 0); i-- {
		if e := l.rows.At(i); e.Op == op && e.Session == 0 {
			e.Session, e.Result = session, result
			l.rows.Set(i, e)
			return
		}
	}
}

// Len is the number of transactions held.
func (l *Log) Len() int { return l.rows.Len() }

// Total is the number of transactions ever logged.
func (l *Log) Total() uint64 { return l.rows.Total() }

// index is the ring index of the selected entry, clamped.
func (l *Log) index() int {
	n := l.rows.Len()
	if n == 0 {
		return 0
	}
	if l.follow {
		return n - 1
	}
	first := l.rows.Total() - uint64(n)
	if l.cur < first {
		return 0
	}
	return min(int(l.cur-first), n-1)
}

func (l *Log) setIndex(i int) {
	n := l.rows.Len()
	i = min(max(i, 0), max(n-1, 0))
	l.cur = l.rows.Total() - uint64(n) + uint64(i)
}

// Move moves the selection by delta; moving leaves follow mode, and
// reaching the newest entry returns to it.
func (l *Log) Move(delta int) {
	i := l.index() + delta
	l.follow = false
	l.setIndex(i)
	if i >= l.rows.Len()-1 && delta > 0 {
		l.follow = true
	}
}

// Page moves by a screenful.
func (l *Log) Page(dir int) {
	_, h := l.inner()
	l.Move(dir * max(h-2, 1))
}

// Follow returns to the newest transaction and keeps following.
func (l *Log) Follow() { l.follow = true }

// Following reports whether the log follows new transactions.
func (l *Log) Following() bool { return l.follow }

// SelectRow selects the row shown on line y of the pane (frame included).
func (l *Log) SelectRow(y int) {
	if i := l.offset + y - 2; i >= 0 && i < l.rows.Len() {
		l.follow = false
		l.setIndex(i)
	}
}

// Selected returns the selected transaction.
func (l *Log) Selected() (LogEntry, bool) {
	if l.rows.Len() == 0 {
		return LogEntry{}, false
	}
	return l.rows.At(l.index()), true
}

var logCols = []Column{
	{Title: " zxid", Width: 13},
	{Title: "idx", Width: 6, Right: true, Drop: 3},
	{Title: "session", Width: 9, Drop: 2},
	{Title: "op", Width: 13},
	{Title: "path", Width: 16, Flex: true},
	{Title: "result", Width: 9, Drop: 1},
}

// View renders the pane at its size.
func (l *Log) View() string {
	st := l.c.Styles
	iw, ih := l.inner()
	h := max(ih-1, 1)
	n := l.rows.Len()
	sel := l.index()
	l.offset = Window(sel, l.offset, n, h)
	if l.follow {
		l.offset = max(n-h, 0)
	}
	cols := logCols
	results := false
	for i := l.offset; i < min(l.offset+h, n); i++ {
		results = results || l.rows.At(i).Result != ""
	}
	if !results {
		cols = cols[:5] // no source told the results: leave the column out
	}
	var rows [][]string
	for i := l.offset; i < min(l.offset+h, n); i++ {
		e := l.rows.At(i)
		z, idx, sess, res := "?", "", "-", e.Result
		if e.Zxid != 0 {
			z = e.Zxid.String()
		}
		if e.Index != 0 {
			idx = fmt.Sprint(e.Index)
		}
		if e.Session != 0 {
			sess = ShortSession(e.Session)
		}
		if res == "" {
			res = "-"
		}
		mark := " "
		if i == sel && !l.follow {
			mark = "›"
		}
		rows = append(rows, []string{mark + z, idx, sess, e.Op, e.Path, res})
	}
	head, lines := Table(st, cols, rows, iw)
	for i := range lines {
		if l.offset+i == sel && !l.follow {
			mark := st.Dim
			if l.focused {
				mark = st.Selected
			}
			lines[i] = mark.Render(Fit(lines[i], iw))
		}
	}
	mode := "following"
	if !l.follow {
		mode = fmt.Sprintf("row %d of %d (f follows)", sel+1, n)
	}
	title := fmt.Sprintf("3 zxid log · %d txns · %s", l.rows.Total(), mode)
	return Frame(st, title, append([]string{head}, lines...), l.w, l.h, l.focused)
}
