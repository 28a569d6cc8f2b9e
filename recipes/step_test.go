package recipes

import (
	"context"
	"errors"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

func TestStepStrings(t *testing.T) {
	for _, tc := range []struct {
		step Step
		want string
	}{
		{Step{Client: "c2", Recipe: "lock", Kind: KindCreate, Path: "/lock/l-0000000003", Detail: modeText(zk.ModeEphemeralSequential), Phase: Done},
			"c2 lock: create /lock/l-0000000003 (ephemeral sequential)"},
		{Step{Client: "c2", Recipe: "lock", Kind: KindExists, Path: "/lock/l-0000000002", Detail: "predecessor", Watch: true, Wait: true, Phase: Done},
			"c2 lock: watch /lock/l-0000000002 (predecessor) and wait"},
		{Step{Client: "c1", Recipe: "lock", Kind: KindChildren, Path: "/lock", Note: "mine is first", Phase: Done},
			"c1 lock: children /lock: mine is first"},
		{Step{Client: "c3", Recipe: "queue", Kind: KindChildren, Path: "/q", Watch: true, Wait: true, Phase: Done},
			"c3 queue: watch children of /q and wait"},
		{Step{Client: "c1", Recipe: "lock", Kind: KindState, Note: "acquired /lock, token 0x1_00000004", Phase: Done},
			"c1 lock: acquired /lock, token 0x1_00000004"},
		{Step{Client: "c2", Recipe: "lock", Kind: KindWoke, Path: "/lock/l-0000000000", Detail: "NodeDeleted", Phase: Done},
			"c2 lock: woke /lock/l-0000000000 (NodeDeleted)"},
		{Step{Client: "c1", Recipe: "lock", Kind: KindDelete, Path: "/lock/l-0000000000", Detail: "release", Phase: Failed, Err: zk.ErrConnectionLoss},
			"c1 lock: delete /lock/l-0000000000 (release): failed: zk: connection loss"},
		{Step{Client: "c1", Recipe: "counter", Kind: KindMulti, Path: "/a", Paths: []string{"/b"}, Phase: Done},
			"c1 counter: multi /a /b"},
	} {
		if got := tc.step.String(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
	for _, tc := range []struct {
		tok  Token
		want string
	}{{0, "none"}, {0x2_0000001e, "0x2_0000001e"}, {0x1_00000000, "0x1_00000000"}} {
		if got := tc.tok.String(); got != tc.want {
			t.Errorf("token %d: %q, want %q", int64(tc.tok), got, tc.want)
		}
	}
}

// The gate holds each client until it is advanced, in order, and lets an
// open client run.
func TestStepGate(t *testing.T) {
	g := NewStepGate()
	ctx := ctxT(t, 10*time.Second)
	passed := make(chan string, 10)
	run := func(client, what string) {
		go func() {
			if err := g.Pass(ctx, Step{Client: client, Note: what}); err == nil {
				passed <- client + " " + what
			} else {
				passed <- client + " " + what + ": " + err.Error()
			}
		}()
	}
	run("c1", "a")
	if s, err := g.Next(ctx, "c1"); err != nil || s.Note != "a" {
		t.Fatalf("next c1: %v %v", s, err)
	}
	run("c2", "b")
	if _, err := g.Next(ctx, "c2"); err != nil {
		t.Fatal(err)
	}
	if p := g.Pending(); len(p) != 2 || p[0].Client != "c1" || p[1].Client != "c2" {
		t.Fatalf("pending %v", p)
	}
	select {
	case p := <-passed:
		t.Fatalf("%s passed without being advanced", p)
	default:
	}
	if s, ok := g.Advance("c2"); !ok || s.Note != "b" {
		t.Fatalf("advance c2: %v %v", s, ok)
	}
	if got := <-passed; got != "c2 b" {
		t.Fatalf("passed %q", got)
	}
	if _, ok := g.Advance("c2"); ok {
		t.Fatal("advanced c2 with nothing held")
	}
	g.Open("c1")
	if got := <-passed; got != "c1 a" {
		t.Fatalf("open released %q", got)
	}
	run("c1", "c")
	if got := <-passed; got != "c1 c" {
		t.Fatalf("open client held: %q", got)
	}
	g.Hold("c1")
	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- g.Pass(cctx, Step{Client: "c1"}) }()
	if _, err := g.Next(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled pass: %v", err)
	}
	if _, ok := g.PendingFor("c1"); ok {
		t.Fatal("a withdrawn step is still pending")
	}
	g.OpenAll()
	if err := g.Pass(ctx, Step{Client: "c9"}); err != nil || !g.IsOpen("c9") {
		t.Fatalf("open-all gate held c9: %v", err)
	}
}

func TestLockViewStrings(t *testing.T) {
	for _, tc := range []struct {
		v    LockView
		want string
	}{
		{LockView{Client: "c1", Path: "/lock", Node: "/lock/l-0000000001", Holds: true, Count: 1, Token: 0x2_00000005},
			"c1 /lock: holds l-0000000001 token 0x2_00000005"},
		{LockView{Client: "c1", Path: "/lock", Node: "/lock/l-0000000001", Holds: true, Count: 2, Token: 0x2_00000005, State: Suspended},
			"c1 /lock: holds l-0000000001 token 0x2_00000005 x2 (suspended)"},
		{LockView{Client: "c2", Path: "/lock", Node: "/lock/l-0000000003", Waits: "/lock/l-0000000002"},
			"c2 /lock: l-0000000003 waits for l-0000000002"},
		{LockView{Client: "c3", Path: "/herd", Waits: "/herd/lock"}, "c3 /herd: waits for lock"},
		{LockView{Client: "c4", Path: "/lock", State: Lost}, "c4 /lock: idle (lost)"},
	} {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	b := Backoff{Base: 10 * time.Millisecond, Max: 35 * time.Millisecond, Attempts: 4}
	var got []time.Duration
	for i := 1; ; i++ {
		d, ok := b.Next(i, zk.ErrConnectionLoss)
		if !ok {
			break
		}
		got = append(got, d)
	}
	want := []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 35 * time.Millisecond, 35 * time.Millisecond}
	if len(got) != len(want) {
		t.Fatalf("%v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%v, want %v", got, want)
		}
	}
	if _, ok := NoRetry.Next(1, zk.ErrConnectionLoss); ok {
		t.Fatal("NoRetry retried")
	}
}

// The resource refuses stale tokens and tells a fenced-out holder from two
// holders at once.
func TestProtectedResource(t *testing.T) {
	r := NewProtectedResource("db")
	steps := []struct {
		do   func() error
		fail error
	}{
		{func() error { return r.Enter("c1", 5) }, nil},
		{func() error { return r.Write("c1", 5, "x=1") }, nil},
		{func() error { return r.Enter("c2", 9) }, nil}, // c1 paused past its session: preempted
		{func() error { return r.Write("c1", 5, "x=2") }, ErrStaleToken},
		{func() error { return r.Write("c2", 9, "x=3") }, nil},
		{func() error { r.Exit("c2", 9); return nil }, nil},
		{func() error { return r.Enter("c3", 9) }, nil}, // same token, nobody inside: fine
	}
	for i, s := range steps {
		if err := s.do(); !errors.Is(err, s.fail) || (s.fail == nil && err != nil) {
			t.Fatalf("step %d: %v, want %v", i, err, s.fail)
		}
	}
	snap := r.Snapshot()
	if snap.Refused != 1 || snap.Preempted != 1 || len(snap.Violations) != 0 || snap.Highest != 9 {
		t.Fatalf("%v %v", snap, snap.Violations)
	}
	if got, want := snap.Log[3].String(), `c1 write x=2 token 0x0_00000005 refused: stale (c2 has 0x0_00000009)`; got != want {
		t.Fatalf("%q\nwant %q", got, want)
	}

	u := NewUnsafeUnfencedResource("db")
	u.Enter("c1", 5)
	u.Enter("c2", 9)
	if err := u.Write("c1", 5, "x=2"); err != nil {
		t.Fatalf("unfenced refused: %v", err)
	}
	if v := u.Snapshot().Violations; len(v) != 2 {
		t.Fatalf("violations %v", v)
	}
}

// lossyClient answers every call with connection loss the first `losses`
// times it is called, and counts the calls.
type lossyClient struct {
	Client // nil: a call that gets through panics
	losses int
	calls  int
}

func (l *lossyClient) lost() bool { l.calls++; return l.calls <= l.losses }

func (l *lossyClient) Exists(context.Context, string) (*zk.Stat, error) {
	if l.lost() {
		return nil, zk.ErrConnectionLoss
	}
	return &zk.Stat{Version: 7}, nil
}

func (l *lossyClient) Children2(context.Context, string) ([]string, *zk.Stat, error) {
	if l.lost() {
		return nil, nil, zk.ErrConnectionLoss
	}
	return []string{"a"}, &zk.Stat{}, nil
}

func (l *lossyClient) Delete(context.Context, string, int32) error {
	l.lost()
	return zk.ErrConnectionLoss
}

func (l *lossyClient) SessionID() int64 { return 1 }

// A recipe's reads carry on through connection loss under its retry policy,
// as Curator's do; its writes are left to the recipe, which knows whether a
// lost one may be sent again.
func TestReadsRetryConnectionLoss(t *testing.T) {
	ctx := context.Background()
	policy := WithRetry(Backoff{Base: time.Millisecond, Max: time.Millisecond, Attempts: 3})
	for _, tc := range []struct {
		name      string
		losses    int
		call      func(c Client) error
		wantErr   error
		wantCalls int
	}{
		{"exists after two losses", 2, func(c Client) error { _, err := c.Exists(ctx, "/x"); return err }, nil, 3},
		{"children after three losses", 3, func(c Client) error { _, _, err := c.Children2(ctx, "/x"); return err }, nil, 4},
		{"exists gives up after the policy's attempts", 9, func(c Client) error { _, err := c.Exists(ctx, "/x"); return err }, zk.ErrConnectionLoss, 4},
		{"delete is not retried", 9, func(c Client) error { return c.Delete(ctx, "/x", -1) }, zk.ErrConnectionLoss, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &lossyClient{losses: tc.losses}
			p := newProc(l, "test", []Option{policy})
			if err := tc.call(p.c); !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if l.calls != tc.wantCalls {
				t.Fatalf("%d calls, want %d", l.calls, tc.wantCalls)
			}
			if unwrap(p.c) != Client(l) {
				t.Fatal("unwrap does not give back the recipe's client")
			}
		})
	}
}
