package ui

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/admin"
	"coordtui/cluster/event"
	"coordtui/cluster/zk"
	"coordtui/ui/source"
)

// adminEnsemble is an ensemble with its admin API, as `coordtui up
// --admin --faults --token s3cret` serves it.
func adminEnsemble(t *testing.T) (*cluster.Ensemble, string) {
	t.Helper()
	bus := event.NewBus(16384)
	e, err := cluster.NewEnsemble(cluster.EnsembleConfig{Members: 3, Dir: t.TempDir(), Timing: cluster.TestTiming,
		Sessions: cluster.SessionConfig{TickTime: 200 * time.Millisecond}, Events: bus,
		Client: &cluster.ServerConfig{FourLetterWords: []string{"*"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	h, err := admin.NewHandler(admin.Config{Ensemble: e, Member: 1, Events: bus, Faults: true, Token: "s3cret", Heartbeat: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() { h.Close(); ts.Close() })
	return e, ts.URL
}

func remote(t *testing.T, e *cluster.Ensemble, api, token string) *source.Remote {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	src, err := source.StartRemote(ctx, source.RemoteConfig{Attach: source.AttachConfig{ConnString: e.ConnString()},
		Admin: []string{api}, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// Attached with the admin API, the console shows what the embedded one
// does: raft roles and the leader, the zxid log of changes made by another
// client; with the token, I isolates the leader remotely and another is
// elected, and keys the API cannot serve say why.
func TestRemoteConsoleFullView(t *testing.T) {
	e, api := adminEnsemble(t)
	p, tm := console(t, remote(t, e, api, "s3cret"), 120, 40)
	s := p.waitScreen(t, "a leader and raft roles", wait, func(s string) bool {
		l, _ := leaderOf(s)
		return l != "" && contains(s, "follower", "coordtui attached (read-only)", "3 of 3 reachable")
	})
	old, term := leaderOf(s)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	c, err := zk.Connect(ctx, e.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Create(ctx, "/from-afar", nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	p.waitFor(t, wait, "create        /from-afar")

	press(tm, "I")
	p.waitScreen(t, "a new leader after the old one was isolated", wait, func(s string) bool {
		l, tt := leaderOf(s)
		return l != "" && l != old && tt > term && contains(s, "cut")
	})
	press(tm, "H")
	// The link matrix, not the status line: news of the election may
	// arrive over the event stream after the heal and take its place.
	p.waitScreen(t, "every link healed", wait, func(s string) bool {
		for _, l := range strings.Split(s, "\n") {
			if i := strings.Index(l, "││n"); i >= 0 && strings.Contains(l[i:], "cut") {
				return false
			}
		}
		return true
	})
	press(tm, "a")
	p.waitFor(t, wait, "attached: the admin API cannot add members")
	press(tm, "+")
	p.waitFor(t, wait, "attached: slow motion stretches raft's timeouts")
}

// Without the token every control is dimmed with what is missing.
func TestRemoteConsoleWithoutToken(t *testing.T) {
	e, api := adminEnsemble(t)
	p, tm := console(t, remote(t, e, api, ""), 120, 40)
	p.waitScreen(t, "a leader", wait, func(s string) bool { l, _ := leaderOf(s); return l != "" })
	press(tm, "K")
	p.waitFor(t, wait, "attached: fault control needs --token and a member started with --faults")
}

func contains(s string, texts ...string) bool {
	for _, x := range texts {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
