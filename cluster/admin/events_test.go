package admin

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/event"

	gozk "github.com/go-zookeeper/zk"
)

// sse is one server-sent event as a client reads it.
type sse struct {
	id    uint64
	event string
	data  string
}

// sseReader reads the stream record by record.
type sseReader struct {
	t    *testing.T
	r    *bufio.Reader
	body io.Closer
}

// openEvents connects to the event stream with the given query and
// headers.
func openEvents(t *testing.T, u, query string, header http.Header) *sseReader {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u+"/coordtui/events?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("events: %d %s", resp.StatusCode, b)
	}
	return &sseReader{t: t, r: bufio.NewReader(resp.Body), body: resp.Body}
}

// next returns the next event, skipping comments and the retry hint; ok
// is false at the end of the stream.
func (s *sseReader) next() (ev sse, ok bool) {
	s.t.Helper()
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return ev, false
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if ev.event != "" {
				return ev, true
			}
		case strings.HasPrefix(line, ":"), strings.HasPrefix(line, "retry: "):
		case strings.HasPrefix(line, "id: "):
			ev.id, _ = strconv.ParseUint(line[4:], 10, 64)
		case strings.HasPrefix(line, "event: "):
			ev.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.data = line[6:]
		default:
			s.t.Fatalf("unexpected stream line %q", line)
		}
	}
}

// eventAPI serves a member's API over a bus the test publishes on itself.
func eventAPI(t *testing.T, bus *event.Bus, buffer int) (*Handler, string) {
	t.Helper()
	e, _ := testEnsemble(t, 1)
	return serve(t, Config{Server: e.Server(1), Events: bus, EventBuffer: buffer, Heartbeat: time.Hour})
}

func logEvent(i int) event.Event {
	return event.Event{Kind: event.KindLog, Member: "n1", Log: event.Log{Level: "info", Msg: fmt.Sprintf("line %d", i)}}
}

func TestEventsInOrderWithBacklog(t *testing.T) {
	bus := event.NewBus(64)
	_, u := eventAPI(t, bus, 1024)
	for i := 1; i <= 5; i++ {
		bus.Publish(logEvent(i))
	}
	s := openEvents(t, u, "recent=3", nil)
	// Published while the stream is open: after the backlog, in order,
	// with none lost or repeated across the join.
	for i := 6; i <= 20; i++ {
		bus.Publish(logEvent(i))
	}
	for want := uint64(3); want <= 20; want++ {
		ev, ok := s.next()
		if !ok || ev.event != "log" || ev.id != want {
			t.Fatalf("got %+v, want log event %d", ev, want)
		}
		var decoded event.Event
		if err := json.Unmarshal([]byte(ev.data), &decoded); err != nil {
			t.Fatal(err)
		}
		if decoded.Seq != want || decoded.Kind != event.KindLog || decoded.Log.Msg != fmt.Sprintf("line %d", want) || decoded.Member != "n1" {
			t.Fatalf("data %s", ev.data)
		}
	}
}

// TestEventsSchema: the data is exactly the event's documented JSON.
func TestEventsSchema(t *testing.T) {
	bus := event.NewBus(64)
	_, u := eventAPI(t, bus, 1024)
	s := openEvents(t, u, "", nil)
	published := bus.Publish(event.Event{Kind: event.KindRaftRPC, Member: "n1", Time: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC),
		RPC: event.RPC{Type: event.AppendEntries, From: "n1", To: "n2", Term: 2, First: 3, Last: 4, Entries: 2, Outcome: event.OutcomeDelivered, OK: true}})
	ev, ok := s.next()
	if !ok {
		t.Fatal("stream ended")
	}
	want, _ := json.Marshal(published)
	if ev.data != string(want) || ev.event != "raft_rpc" {
		t.Fatalf("data %s, want %s", ev.data, want)
	}
	if !strings.Contains(ev.data, `"rpc":{"type":"AppendEntries","from":"n1","to":"n2","term":2,"first":3,"last":4,"entries":2,"outcome":"delivered","ok":true}`) {
		t.Fatalf("not the documented schema: %s", ev.data)
	}
}

// TestEventsReportDrops: a client that does not read loses events; the
// stream says how many, where, and the counts add up.
func TestEventsReportDrops(t *testing.T) {
	bus := event.NewBus(64)
	h, u := eventAPI(t, bus, 1)
	s := openEvents(t, u, "", nil)
	const n = 20000
	big := strings.Repeat("x", 1000)
	for i := 1; i <= n; i++ {
		ev := logEvent(i)
		ev.Log.Args = big
		bus.Publish(ev)
	}
	last := bus.Publish(logEvent(n + 1)).Seq
	// The last of the burst may be dropped too, and only a later event
	// reveals that gap: keep publishing until the reader is past it.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				bus.Publish(logEvent(0))
			}
		}
	}()
	var got, announced uint64
	prev := uint64(0)
	for prev < last {
		ev, ok := s.next()
		if !ok {
			t.Fatalf("stream ended after %d", prev)
		}
		switch ev.event {
		case "dropped":
			var d struct{ Dropped, After, Before, Total uint64 }
			if err := json.Unmarshal([]byte(ev.data), &d); err != nil {
				t.Fatal(err)
			}
			if d.After != prev || d.Before != d.After+d.Dropped+1 || d.Total != announced+d.Dropped {
				t.Fatalf("drop notice %+v after event %d, %d announced before", d, prev, announced)
			}
			announced += d.Dropped
			prev = d.Before - 1
		case "log":
			if ev.id != prev+1 {
				t.Fatalf("event %d after %d without a drop notice", ev.id, prev)
			}
			prev = ev.id
			got++
		}
	}
	if announced == 0 {
		t.Fatal("a client that did not read lost nothing: the test did not exercise drops")
	}
	if got+announced != prev {
		t.Fatalf("%d received + %d announced dropped != %d published", got, announced, prev)
	}
	if h.sse.dropped.Load() != announced {
		t.Errorf("metric counts %d drops, stream announced %d", h.sse.dropped.Load(), announced)
	}
}

func TestEventsResume(t *testing.T) {
	bus := event.NewBus(16)
	_, u := eventAPI(t, bus, 1024)
	for i := 1; i <= 10; i++ {
		bus.Publish(logEvent(i))
	}
	s := openEvents(t, u, "", http.Header{"Last-Event-ID": {"7"}})
	for want := uint64(8); want <= 10; want++ {
		if ev, _ := s.next(); ev.id != want {
			t.Fatalf("resumed with %+v, want %d", ev, want)
		}
	}
	// Resuming from before what the bus still keeps: the gap comes first.
	for i := 11; i <= 40; i++ {
		bus.Publish(logEvent(i))
	}
	s = openEvents(t, u, "after=3", nil)
	ev, _ := s.next()
	if ev.event != "dropped" || ev.data != `{"dropped":21,"after":3,"before":25,"total":21}` {
		t.Fatalf("first %+v", ev)
	}
	if ev, _ := s.next(); ev.id != 25 {
		t.Fatalf("then %+v", ev)
	}
}

func TestEventsFilter(t *testing.T) {
	bus := event.NewBus(64)
	_, u := eventAPI(t, bus, 1024)
	s := openEvents(t, u, "kinds=applied,member&member=2", nil)
	bus.Publish(event.Event{Kind: event.KindApplied, Member: "n1", Applied: event.Applied{Zxid: 1}})
	bus.Publish(event.Event{Kind: event.KindApplied, Member: "n2", Applied: event.Applied{Zxid: 1}})
	bus.Publish(logEvent(1))
	bus.Publish(event.Event{Kind: event.KindMember, Member: "n2", Lifecycle: event.Lifecycle{Change: event.MemberCrashed}})
	for _, want := range []string{"applied/2", "member/4"} {
		ev, ok := s.next()
		if !ok || fmt.Sprintf("%s/%d", ev.event, ev.id) != want {
			t.Fatalf("got %+v, want %s (filtered events are no gap)", ev, want)
		}
	}
	for _, q := range []string{"kinds=bogus", "recent=-1", "recent=x", "member=n0", "after=-2"} {
		if status, b := call(t, http.MethodGet, u+"/coordtui/events?"+q, "", nil); status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", q, status, b)
		}
	}
}

// TestEventsEndOnClose: closing the handler ends every stream.
func TestEventsEndOnClose(t *testing.T) {
	bus := event.NewBus(64)
	h, u := eventAPI(t, bus, 1024)
	s := openEvents(t, u, "", nil)
	bus.Publish(logEvent(1))
	if _, ok := s.next(); !ok {
		t.Fatal("no event")
	}
	done := make(chan struct{})
	go func() { h.Close(); close(done) }()
	if _, ok := s.next(); ok {
		t.Fatal("stream went on after Close")
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
}

// TestEventsFromEnsemble: the real bus of an ensemble, streamed in order.
func TestEventsFromEnsemble(t *testing.T) {
	e, _ := testEnsemble(t, 3)
	_, u := serve(t, Config{Ensemble: e, Member: 1})
	s := openEvents(t, u, "recent=50", nil)
	workload(t, e.ClientAddr(1))
	// The workload watches /h's children; another client makes them fire.
	if _, err := connect(t, e.ClientAddr(2)).Create("/h/x", nil, 0, gozk.WorldACL(gozk.PermAll)); err != nil {
		t.Fatal(err)
	}
	var prev uint64
	kinds := map[string]bool{}
	for !kinds["applied"] || !kinds["session"] || !kinds["watch_fired"] {
		ev, ok := s.next()
		if !ok {
			t.Fatal("stream ended")
		}
		if ev.event != "dropped" && ev.id <= prev {
			t.Fatalf("event %d after %d", ev.id, prev)
		}
		prev = max(prev, ev.id)
		kinds[ev.event] = true
	}
}

// TestServerCloseEndsStreams: New's server stops its streams and its
// listener on Close.
func TestServerCloseEndsStreams(t *testing.T) {
	e, bus := testEnsemble(t, 1)
	s, err := New(Config{Ensemble: e, Member: 1, Heartbeat: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	st := openEvents(t, "http://"+s.Addr(), "kinds=log", nil)
	bus.Publish(logEvent(1))
	for {
		ev, ok := st.next()
		if !ok {
			t.Fatal("stream ended before our event")
		}
		if strings.Contains(ev.data, `"msg":"line 1"`) {
			break
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for {
		ev, ok := st.next()
		if !ok {
			break
		}
		if ev.event == "" {
			t.Fatalf("odd event %+v", ev)
		}
	}
	if _, err := http.Get("http://" + s.Addr() + "/commands/ruok"); err == nil {
		t.Fatal("still listening after Close")
	}
}
