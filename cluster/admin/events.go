package admin

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"coordtui/cluster/event"
)

// sseStats count the event streams of one Handler, for /metrics.
type sseStats struct {
	open    atomic.Int64
	dropped atomic.Uint64
}

// maxRecent bounds ?recent: more than any bus keeps.
const maxRecent = 1 << 20

// eventQuery is what a client asked of /coordtui/events.
type eventQuery struct {
	recent  int                 // backlog size
	after   uint64              // resume after this sequence number (Last-Event-ID, ?after)
	kinds   map[event.Kind]bool // nil: every kind
	members map[string]bool     // nil: every member
}

// parseEventQuery reads ?recent=N, ?kinds=a,b, ?member=n1,n2 and ?after=N
// (or the Last-Event-ID header an EventSource sends when it reconnects).
func parseEventQuery(q url.Values, lastEventID string) (eventQuery, error) {
	var eq eventQuery
	if v := q.Get("recent"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxRecent {
			return eq, fmt.Errorf("recent=%q: want a count from 0 to %d", v, maxRecent)
		}
		eq.recent = n
	}
	after := q.Get("after")
	if lastEventID != "" {
		after = lastEventID
	}
	if after != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(after), 10, 64)
		if err != nil {
			return eq, fmt.Errorf("after=%q: want a sequence number", after)
		}
		eq.after = n
	}
	if v := q.Get("kinds"); v != "" {
		eq.kinds = map[event.Kind]bool{}
		for _, name := range strings.Split(v, ",") {
			var k event.Kind
			if err := k.UnmarshalText([]byte(strings.TrimSpace(name))); err != nil {
				return eq, fmt.Errorf("kinds: %w", err)
			}
			eq.kinds[k] = true
		}
	}
	if v := q.Get("member"); v != "" {
		eq.members = map[string]bool{}
		for _, m := range strings.Split(v, ",") {
			name, err := memberName(m)
			if err != nil {
				return eq, fmt.Errorf("member: %w", err)
			}
			eq.members[name] = true
		}
	}
	return eq, nil
}

func (q eventQuery) match(ev event.Event) bool {
	return (q.kinds == nil || q.kinds[ev.Kind]) && (q.members == nil || q.members[ev.Member])
}

// serveEvents streams the bus as server-sent events: "id: <seq>", "event:
// <kind>", "data: <the event's JSON>". A gap in the sequence — events the
// client was too slow for, or that left the backlog before it resumed — is
// announced in order, as an "event: dropped" whose data counts them.
func (h *Handler) serveEvents(w http.ResponseWriter, r *http.Request) {
	bus := h.cfg.Events
	if bus == nil {
		writeError(w, http.StatusNotFound, "this member publishes no events")
		return
	}
	q, err := parseEventQuery(r.URL.Query(), r.Header.Get("Last-Event-ID"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Type", "text/event-stream")
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "streaming is not supported by this connection")
		return
	}
	rc := http.NewResponseController(w)
	n := q.recent
	if q.after > 0 {
		n = math.MaxInt32 // everything still kept; the sequence says what to skip
	}
	sub, backlog := bus.SubscribeRecent(h.cfg.EventBuffer, n)
	defer sub.Close()
	h.streams.Add(1)
	defer h.streams.Done()
	h.sse.open.Add(1)
	defer h.sse.open.Add(-1)

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	st := &stream{h: h, q: q, w: bufio.NewWriter(w), rc: rc, last: q.after}
	st.w.WriteString("retry: 2000\n\n")
	for _, ev := range backlog {
		if ev.Seq > q.after {
			st.send(ev)
		}
	}
	if st.flush(fl) != nil {
		return
	}
	beat := time.NewTicker(h.cfg.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-h.stop.Done():
			return
		case <-beat.C:
			st.w.WriteString(": ping\n\n")
		case ev, ok := <-sub.C():
			if !ok {
				return
			}
			st.send(ev)
			// Write what else is waiting before flushing once.
			for more := true; more; {
				select {
				case ev, ok := <-sub.C():
					if !ok {
						return
					}
					st.send(ev)
				default:
					more = false
				}
			}
		}
		if st.flush(fl) != nil {
			return
		}
	}
}

// stream is one client's position in the bus's sequence.
type stream struct {
	h       *Handler
	q       eventQuery
	w       *bufio.Writer
	rc      *http.ResponseController
	last    uint64 // last sequence number seen, filtered out or not
	dropped uint64
}

func (s *stream) send(ev event.Event) {
	if s.last != 0 && ev.Seq > s.last+1 {
		gap := ev.Seq - s.last - 1
		s.dropped += gap
		s.h.sse.dropped.Add(gap)
		fmt.Fprintf(s.w, "event: dropped\ndata: {\"dropped\":%d,\"after\":%d,\"before\":%d,\"total\":%d}\n\n",
			gap, s.last, ev.Seq, s.dropped)
	}
	if ev.Seq > s.last {
		s.last = ev.Seq
	}
	if !s.q.match(ev) {
		return
	}
	data, err := json.Marshal(ev)
	if err != nil {
		fmt.Fprintf(s.w, ": event %d not encodable: %s\n\n", ev.Seq, strings.ReplaceAll(err.Error(), "\n", " "))
		return
	}
	fmt.Fprintf(s.w, "id: %d\nevent: %s\ndata: %s\n\n", ev.Seq, ev.Kind, data)
}

// writeTimeout bounds one flush: a client that reads nothing for this long
// is cut off rather than allowed to hold the stream's goroutine.
const writeTimeout = 30 * time.Second

func (s *stream) flush(fl http.Flusher) error {
	_ = s.rc.SetWriteDeadline(time.Now().Add(writeTimeout)) // unsupported by some writers; then it just waits
	if err := s.w.Flush(); err != nil {
		return err
	}
	fl.Flush()
	return nil
}
