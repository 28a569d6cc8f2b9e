package faultnet

import (
	"math"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/event"
)

func TestFaultString(t *testing.T) {
	tests := []struct {
		f    Fault
		want string
	}{
		{Fault{}, "ok"},
		{Fault{Cut: true}, "cut"},
		{Fault{Hold: true, Delay: 200 * time.Millisecond}, "hold delay=200ms"},
		{Fault{Loss: 0.3}, "loss=30%"},
		{Fault{Cut: true, Hold: true, Delay: time.Second, Loss: 0.125}, "cut hold delay=1s loss=12.5%"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.f, got, tt.want)
		}
	}
}

func TestSetClampsOutOfRange(t *testing.T) {
	l := NewLinks(nil, 1)
	tests := []struct {
		in, want Fault
	}{
		{Fault{Loss: 1.5}, Fault{Loss: 1}},
		{Fault{Loss: -0.5}, Fault{}},
		{Fault{Loss: math.NaN()}, Fault{}},
		{Fault{Delay: -time.Second}, Fault{}},
	}
	for _, tt := range tests {
		l.Set("n1", "n2", tt.in)
		if got := l.Get("n1", "n2"); got != tt.want {
			t.Errorf("Set(%+v): Get = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// The presets, as the console's fault matrix shows them, and the events
// they publish, one per changed link in the order they took effect.
func TestPresetsTranscript(t *testing.T) {
	steps := []struct {
		do         func(l *Links)
		wantMatrix string
		wantEvents []string
	}{
		{
			do: func(l *Links) { l.Isolate("n1") },
			wantMatrix: `
from\to  n1   n2   n3
n1       -    cut  cut
n2       cut  -    ok
n3       cut  ok   -`,
			wantEvents: []string{"fault n1->n2 cut", "fault n2->n1 cut", "fault n1->n3 cut", "fault n3->n1 cut"},
		},
		{
			do: func(l *Links) { l.HealAll() },
			wantMatrix: `
from\to  n1  n2  n3
n1       -   ok  ok
n2       ok  -   ok
n3       ok  ok  -`,
			wantEvents: []string{"fault n1->n2 ok", "fault n1->n3 ok", "fault n2->n1 ok", "fault n3->n1 ok"},
		},
		{
			do: func(l *Links) {
				l.Set("n3", "n2", Fault{Delay: 200 * time.Millisecond})
				l.Split([]string{"n1"}, []string{"n2", "n3"})
			},
			wantMatrix: `
from\to  n1   n2                 n3
n1       -    cut                cut
n2       cut  -                  ok
n3       cut  delay=200ms  -`,
			wantEvents: []string{"fault n3->n2 delay=200ms",
				"fault n1->n2 cut", "fault n2->n1 cut", "fault n1->n3 cut", "fault n3->n1 cut"},
		},
		{
			// A preset adds a cut to what the link already has.
			do: func(l *Links) { l.HealAll(); l.Set("n2", "n3", Fault{Hold: true}); l.CutOneWay("n2", "n3") },
			wantMatrix: `
from\to  n1  n2  n3
n1       -   ok  ok
n2       ok  -   cut hold
n3       ok  ok  -`,
			wantEvents: []string{"fault n1->n2 ok", "fault n1->n3 ok", "fault n2->n1 ok", "fault n3->n1 ok",
				"fault n3->n2 ok", "fault n2->n3 hold", "fault n2->n3 cut hold"},
		},
		{
			// Setting what is already there, or a member's link to itself,
			// changes nothing and says nothing.
			do: func(l *Links) { l.CutOneWay("n2", "n3"); l.Set("n1", "n1", Fault{Cut: true}) },
			wantMatrix: `
from\to  n1  n2  n3
n1       -   ok  ok
n2       ok  -   cut hold
n3       ok  ok  -`,
		},
	}
	bus := event.NewBus(100)
	l := NewLinks(bus, 1)
	l.AddMember("n1", "n2", "n3")
	sub := bus.Subscribe(100)
	defer sub.Close()
	for i, st := range steps {
		st.do(l)
		// The grid pads cells to the widest in the column; compare trimmed lines.
		if got, want := trimLines(l.Matrix().String()), trimLines(st.wantMatrix); got != want {
			t.Errorf("step %d matrix\n%s\nwant\n%s", i, got, want)
		}
		var got []string
		for len(sub.C()) > 0 {
			got = append(got, (<-sub.C()).Body())
		}
		if strings.Join(got, "\n") != strings.Join(st.wantEvents, "\n") {
			t.Errorf("step %d events\n%s\nwant\n%s", i, strings.Join(got, "\n"), strings.Join(st.wantEvents, "\n"))
		}
	}
}

// trimLines normalises runs of spaces so the expectations above need not
// count padding.
func trimLines(s string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		out = append(out, strings.Join(strings.Fields(line), " "))
	}
	return strings.Join(out, "\n")
}

func TestMatrixIsACopy(t *testing.T) {
	l := NewLinks(nil, 1)
	l.AddMember("n1", "n2")
	m := l.Matrix()
	l.CutOneWay("n1", "n2")
	if m.Link("n1", "n2").Fault.Cut {
		t.Error("a snapshot changed after the table did")
	}
	if !l.Matrix().Link("n1", "n2").Fault.Cut {
		t.Error("a new snapshot misses the cut")
	}
	// A member named only in a fault still shows.
	l.Set("n1", "n9", Fault{Cut: true})
	if got := strings.Join(l.Matrix().Members, ","); got != "n1,n2,n9" {
		t.Errorf("members %s", got)
	}
}

// The same seed gives the same sequence of loss decisions; the rate is near
// the probability asked for.
func TestLossIsSeeded(t *testing.T) {
	rolls := func(seed uint64) (string, int) {
		l := NewLinks(nil, seed)
		l.Set("n1", "n2", Fault{Loss: 0.3})
		var b strings.Builder
		dropped := 0
		for range 1000 {
			if l.decide("n1", "n2", false, false).verdict == verdictDrop {
				b.WriteByte('x')
				dropped++
			} else {
				b.WriteByte('.')
			}
		}
		return b.String(), dropped
	}
	a, dropped := rolls(7)
	b, _ := rolls(7)
	c, _ := rolls(8)
	if a != b {
		t.Error("same seed, different drops")
	}
	if a == c {
		t.Error("different seeds, same drops")
	}
	if dropped < 240 || dropped > 360 {
		t.Errorf("dropped %d of 1000 at loss 30%%", dropped)
	}
}

// Held RPCs queue in order, Release lets the oldest go, lifting the hold lets
// the rest go and makes them ask the table again.
func TestHoldQueue(t *testing.T) {
	l := NewLinks(nil, 1)
	l.Set("n1", "n2", Fault{Hold: true})
	var ws []*waiter
	for range 3 {
		d := l.decide("n1", "n2", false, false)
		if d.verdict != verdictHold {
			t.Fatalf("verdict %v on a held link", d.verdict)
		}
		ws = append(ws, d.w)
	}
	if n := l.Held("n1", "n2"); n != 3 {
		t.Fatalf("Held = %d", n)
	}
	if !l.Release("n1", "n2") {
		t.Fatal("Release found nothing")
	}
	if woke(ws[0]) != wakeReleased || woke(ws[1]) != 0 {
		t.Error("Release did not wake exactly the oldest")
	}
	// A released RPC is not held again.
	if d := l.decide("n1", "n2", true, false); d.verdict != verdictSend {
		t.Errorf("released RPC got verdict %v", d.verdict)
	}
	l.abandon("n1", "n2", ws[1])
	if n := l.Held("n1", "n2"); n != 1 {
		t.Fatalf("after abandon Held = %d", n)
	}
	l.Set("n1", "n2", Fault{Delay: time.Millisecond})
	if woke(ws[2]) != wakeLifted {
		t.Error("lifting the hold did not wake the queue")
	}
	if n := l.Held("n1", "n2"); n != 0 || l.Release("n1", "n2") {
		t.Errorf("after lifting Held = %d", n)
	}
	// Replacing a hold with a hold keeps the queue.
	l.Set("n1", "n2", Fault{Hold: true})
	w := l.decide("n1", "n2", false, false).w
	l.Set("n1", "n2", Fault{Hold: true, Delay: time.Second})
	if woke(w) != 0 {
		t.Error("a hold that stayed woke its queue")
	}
	if n := l.ReleaseAll(); n != 1 || woke(w) != wakeReleased {
		t.Errorf("ReleaseAll released %d", n)
	}
}

func woke(w *waiter) wake {
	select {
	case why := <-w.ch:
		return why
	default:
		return 0
	}
}

func TestHoldCanPassHeartbeats(t *testing.T) {
	l := NewLinks(nil, 1)
	l.Set("n1", "n2", Fault{Hold: true, PassHeartbeats: true})
	if d := l.decide("n1", "n2", false, true); d.verdict != verdictSend {
		t.Fatalf("a heartbeat on a hold that passes them: %v", d.verdict)
	}
	if d := l.decide("n1", "n2", false, false); d.verdict != verdictHold {
		t.Fatalf("an append on the same hold: %v", d.verdict)
	}
	l.Set("n1", "n3", Fault{Hold: true})
	if d := l.decide("n1", "n3", false, true); d.verdict != verdictHold {
		t.Fatalf("a heartbeat on a plain hold: %v", d.verdict)
	}
	if got := l.Get("n1", "n2").String(); got != "hold (heartbeats pass)" {
		t.Fatalf("String: %q", got)
	}
	l.Set("n2", "n1", Fault{PassHeartbeats: true})
	if !l.Get("n2", "n1").IsZero() {
		t.Fatal("PassHeartbeats alone is not a fault")
	}
}
