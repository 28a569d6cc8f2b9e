package event

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func logLine(i int) Event {
	return Event{Kind: KindLog, Log: Log{Level: "INFO", Msg: fmt.Sprint(i)}}
}

// receive reads n events or fails after a deadline.
func receive(t *testing.T, s *Subscription, n int) []Event {
	t.Helper()
	out := make([]Event, 0, n)
	deadline := time.After(5 * time.Second)
	for len(out) < n {
		select {
		case ev, ok := <-s.C():
			if !ok {
				t.Fatalf("channel closed after %d of %d events", len(out), n)
			}
			out = append(out, ev)
		case <-deadline:
			t.Fatalf("got %d of %d events before the deadline", len(out), n)
		}
	}
	return out
}

func TestFanOut(t *testing.T) {
	b := NewBus(16)
	subs := []*Subscription{b.Subscribe(8), b.Subscribe(8), b.Subscribe(8)}
	for i := range 5 {
		b.Publish(logLine(i))
	}
	for i, s := range subs {
		got := receive(t, s, 5)
		for j, ev := range got {
			if ev.Seq != uint64(j+1) || ev.Log.Msg != fmt.Sprint(j) || ev.Time.IsZero() {
				t.Errorf("subscriber %d event %d = %v at %v", i, j, ev, ev.Time)
			}
		}
		if s.Dropped() != 0 {
			t.Errorf("subscriber %d dropped %d", i, s.Dropped())
		}
	}
}

// A subscriber that never reads loses what does not fit and says how much;
// the producer and the other subscribers are not held up.
func TestSlowSubscriberDropsAndCounts(t *testing.T) {
	b := NewBus(16)
	slow := b.Subscribe(2)
	fast := b.Subscribe(100)
	for i := range 10 {
		b.Publish(logLine(i))
	}
	if got := slow.Dropped(); got != 8 {
		t.Errorf("slow dropped %d, want 8", got)
	}
	if got := fast.Dropped(); got != 0 {
		t.Errorf("fast dropped %d, want 0", got)
	}
	// The slow one keeps the oldest events it had room for.
	got := receive(t, slow, 2)
	if got[0].Seq != 1 || got[1].Seq != 2 {
		t.Errorf("slow received %v, %v", got[0], got[1])
	}
	if n := len(receive(t, fast, 10)); n != 10 {
		t.Errorf("fast received %d", n)
	}
	// Having caught up, the slow subscriber receives again; the gap in Seq
	// shows where it lost events.
	ev := b.Publish(logLine(10))
	if got := receive(t, slow, 1)[0]; got.Seq != ev.Seq || ev.Seq != 11 {
		t.Errorf("after catching up slow received %v, want #11", got)
	}
}

// Many goroutines publish at once; each subscriber still sees every event in
// strictly increasing sequence order.
func TestConcurrentPublishKeepsOrder(t *testing.T) {
	const producers, each = 8, 500
	b := NewBus(64)
	subs := []*Subscription{b.Subscribe(producers * each), b.Subscribe(producers * each)}
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				b.Publish(logLine(p*each + i))
			}
		}()
	}
	wg.Wait()
	for i, s := range subs {
		got := receive(t, s, producers*each)
		for j, ev := range got {
			if ev.Seq != uint64(j+1) {
				t.Fatalf("subscriber %d: event %d has seq %d", i, j, ev.Seq)
			}
		}
	}
	if b.Published() != producers*each {
		t.Errorf("Published() = %d", b.Published())
	}
}

func TestRecentWrapsAround(t *testing.T) {
	b := NewBus(4)
	if got := b.Recent(10); len(got) != 0 {
		t.Errorf("empty bus Recent = %v", got)
	}
	for i := range 6 {
		b.Publish(logLine(i))
	}
	tests := []struct {
		n    int
		want []uint64
	}{
		{0, nil},
		{-1, nil},
		{2, []uint64{5, 6}},
		{4, []uint64{3, 4, 5, 6}},
		{10, []uint64{3, 4, 5, 6}},
	}
	for _, tt := range tests {
		got := b.Recent(tt.n)
		var seqs []uint64
		for _, ev := range got {
			seqs = append(seqs, ev.Seq)
		}
		if fmt.Sprint(seqs) != fmt.Sprint(tt.want) {
			t.Errorf("Recent(%d) = %v, want %v", tt.n, seqs, tt.want)
		}
	}
}

// A late subscriber gets the backlog and then the live stream with nothing
// lost or repeated in between, even while a producer keeps publishing.
func TestSubscribeRecentHasNoGap(t *testing.T) {
	const total = 5000 // the subscriber's buffer holds them all, so none may drop
	b := NewBus(1000)
	started, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for i := range total {
			b.Publish(logLine(i))
			if i == 49 {
				close(started)
			}
		}
	}()
	<-started
	s, backlog := b.SubscribeRecent(total, 1000)
	<-done
	s.Close()
	if len(backlog) == 0 {
		t.Fatal("no backlog")
	}
	last := backlog[len(backlog)-1].Seq
	for ev := range s.C() {
		if ev.Seq != last+1 {
			t.Fatalf("after #%d the stream continued at #%d", last, ev.Seq)
		}
		last = ev.Seq
	}
	if last != total {
		t.Errorf("backlog and stream end at #%d, bus published %d", last, total)
	}
}

func TestCloseStopsDelivery(t *testing.T) {
	b := NewBus(4)
	s := b.Subscribe(4)
	b.Publish(logLine(1))
	s.Close()
	s.Close() // idempotent
	b.Publish(logLine(2))
	var got []uint64
	for ev := range s.C() {
		got = append(got, ev.Seq)
	}
	if fmt.Sprint(got) != "[1]" {
		t.Errorf("after Close received %v, want the one buffered event", got)
	}
}

func TestKeepsProducerTime(t *testing.T) {
	b := NewBus(4)
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := b.Publish(Event{Kind: KindLog, Time: at}); !got.Time.Equal(at) {
		t.Errorf("Publish replaced the producer's time: %v", got.Time)
	}
}

func TestNilBusDiscards(t *testing.T) {
	var b *Bus
	ev := b.Publish(logLine(1))
	if ev.Seq != 0 {
		t.Errorf("nil bus stamped seq %d", ev.Seq)
	}
	s := b.Subscribe(1)
	if _, ok := <-s.C(); ok {
		t.Error("nil bus subscription delivered an event")
	}
	s.Close()
	if b.Recent(5) != nil || b.Published() != 0 {
		t.Error("nil bus remembered something")
	}
}

func BenchmarkPublishNoSubscribers(b *testing.B) {
	bus := NewBus(DefaultRecent)
	ev := Event{Kind: KindRaftRPC, RPC: RPC{Type: Heartbeat, From: "n1", To: "n2", Term: 2, Outcome: OutcomeDelivered}}
	for b.Loop() {
		bus.Publish(ev)
	}
}

func BenchmarkPublishThreeSubscribers(b *testing.B) {
	bus := NewBus(DefaultRecent)
	for range 3 {
		s := bus.Subscribe(64) // never read: measures the drop path
		defer s.Close()
	}
	ev := Event{Kind: KindRaftRPC, RPC: RPC{Type: Heartbeat, From: "n1", To: "n2", Term: 2, Outcome: OutcomeDelivered}}
	for b.Loop() {
		bus.Publish(ev)
	}
}
