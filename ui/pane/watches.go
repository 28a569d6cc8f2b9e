package pane

import (
	"fmt"
	"strings"
	"time"

	"coordtui/ui/internal/ring"
)

// FanOut is one change and the sessions its watches notified.
type FanOut struct {
	Type     string // NodeCreated, NodeDeleted, NodeDataChanged, NodeChildrenChanged
	Path     string
	Sessions []int64
	At       time.Time
}

// HerdSample is one interval of the herd meter, from the exact counters.
type HerdSample struct {
	At            time.Time
	Changes       uint64 // transactions applied in the interval
	Notifications uint64 // watch events sent in the interval
	Reads         uint64 // exists/getData/getChildren in the interval
}

// PerChange returns notifications and reads per change in the sample.
func (h HerdSample) PerChange() (notif, reads float64) {
	if h.Changes == 0 {
		return float64(h.Notifications), float64(h.Reads)
	}
	return float64(h.Notifications) / float64(h.Changes), float64(h.Reads) / float64(h.Changes)
}

// Watches shows watch fan-out: for each change the watches it fired and
// the sessions notified, and a herd meter (notifications and follow-up
// reads per change over time) from the members' exact counters.
type Watches struct {
	c *Common
	size
	fired   *ring.Ring[FanOut]
	samples *ring.Ring[HerdSample]

	primed                bool
	notifTotal, readTotal uint64
}

// NewWatches returns an empty watches pane.
func NewWatches(c *Common) *Watches {
	return &Watches{c: c, fired: ring.New[FanOut](2000), samples: ring.New[HerdSample](240)}
}

// AddFired records one change's fan-out.
func (w *Watches) AddFired(f FanOut) { w.fired.Push(f) }

// Sample adds one herd-meter interval from the counters' running totals
// (summed over the members) and the number of changes in the interval.
// A total that went down (a member restarted) counts as zero.
func (w *Watches) Sample(at time.Time, changes, notifTotal, readTotal uint64) {
	if !w.primed {
		w.primed, w.notifTotal, w.readTotal = true, notifTotal, readTotal
		return
	}
	s := HerdSample{At: at, Changes: changes}
	if notifTotal > w.notifTotal {
		s.Notifications = notifTotal - w.notifTotal
	}
	if readTotal > w.readTotal {
		s.Reads = readTotal - w.readTotal
	}
	w.notifTotal, w.readTotal = notifTotal, readTotal
	w.samples.Push(s)
}

// View renders the pane at its size.
func (w *Watches) View() string {
	st := w.c.Styles
	iw, ih := w.inner()
	var body []string
	var notif, reads []float64
	for i := range w.samples.Len() {
		n, r := w.samples.At(i).PerChange()
		notif, reads = append(notif, n), append(reads, r)
	}
	last, ok := w.samples.Last()
	ln, lr := last.PerChange()
	if ok {
		body = append(body, fmt.Sprintf("last second: %s, %d notified, %d reads",
			plural(last.Changes, "change"), last.Notifications, last.Reads))
	} else {
		body = append(body, st.Dim.Render("herd meter: waiting for the first sample"))
	}
	sw := max(iw-22, 4)
	body = append(body,
		fmt.Sprintf("notified/change %5.4g ", ln)+st.Spark.Render(Sparkline(notif, sw)),
		fmt.Sprintf("reads/change    %5.4g ", lr)+st.Spark.Render(Sparkline(reads, sw)))
	rows := max(ih-len(body), 0)
	n := w.fired.Len()
	if n == 0 && rows > 0 {
		body = append(body, st.Dim.Render("no watch has fired yet"))
	}
	for i := max(n-rows, 0); i < n; i++ {
		f := w.fired.At(i)
		who := make([]string, 0, 4)
		for j, s := range f.Sessions {
			if j == 3 {
				who = append(who, fmt.Sprintf("+%d", len(f.Sessions)-3))
				break
			}
			who = append(who, ShortSession(s))
		}
		noun := "sessions"
		if len(f.Sessions) == 1 {
			noun = "session"
		}
		body = append(body, fmt.Sprintf("%-19s %s → %d %s (%s)", f.Type, f.Path, len(f.Sessions), noun, strings.Join(who, " ")))
	}
	title := fmt.Sprintf("4 Watches · %d fired", w.fired.Total())
	return Frame(st, title, body, w.w, w.h, w.focused)
}

func plural(n uint64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
