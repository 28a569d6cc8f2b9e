package bench

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/zk"
)

// TestRun runs every workload briefly against an in-process ensemble. It
// checks that each produced figures and cleaned up, never how fast it was.
func TestRun(t *testing.T) {
	e, err := cluster.NewEnsemble(cluster.EnsembleConfig{Members: 3, Dir: t.TempDir(), Timing: cluster.TestTiming,
		Client: &cluster.ServerConfig{FourLetterWords: []string{"*"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := e.WaitLeader(ctx); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	rep, err := Run(ctx, Config{Servers: e.ConnString(), Clients: 3, Duration: 300 * time.Millisecond,
		Warmup: 100 * time.Millisecond, Size: 10, Znodes: 300, Log: &log,
		Workloads: []string{"create", "set", "get", "mix", "watch", "memory"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"create": {"create"}, "set": {"setData"}, "get": {"getData"},
		"mix":    {"setData", "getData", "mix 70/30"},
		"watch":  {"write ack", "notify from send", "notify from ack", "last notify from send", "herd: all re-read"},
		"memory": {"create (load)"},
	}
	if len(rep.Results) != len(want) {
		t.Fatalf("%d results: %+v", len(rep.Results), rep.Results)
	}
	for _, r := range rep.Results {
		var names []string
		for _, s := range r.Series {
			names = append(names, s.Name)
			if s.Count == 0 || s.PerSec <= 0 || s.P50 > s.P99 || s.P99 > s.Max {
				t.Errorf("%s/%s: %+v", r.Workload, s.Name, s)
			}
		}
		if strings.Join(names, ",") != strings.Join(want[r.Workload], ",") {
			t.Errorf("%s series %q, want %q", r.Workload, names, want[r.Workload])
		}
		if len(r.Errors) > 0 {
			t.Errorf("%s errors: %v", r.Workload, r.Errors)
		}
	}
	mem := rep.Results[5]
	if len(mem.Memory) != 6 { // znode count and data size from each of 3 members
		t.Errorf("memory samples: %+v (notes %q)", mem.Memory, mem.Notes)
	}
	for _, m := range mem.Memory {
		if m.Key == "zk_znode_count" && m.Delta != 300 {
			t.Errorf("%s grew by %v znodes, want 300", m.Source, m.Delta)
		}
	}
	if !strings.Contains(rep.Version, "coordtui") || !strings.Contains(log.String(), "bench: watch against") {
		t.Errorf("version %q, log %q", rep.Version, log.String())
	}
	c, err := zk.Connect(ctx, e.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if st, err := c.Exists(ctx, "/coordtui-bench"); st != nil || err != nil {
		t.Errorf("the benchmark's subtree was left behind: %v %v", st, err)
	}

	var text bytes.Buffer
	if err := WriteText(&text, rep, rep); err != nil || !strings.Contains(text.String(), "== B / A") ||
		!strings.Contains(text.String(), "1x") {
		t.Errorf("text report:\n%s", text.String())
	}
	_, err = Run(ctx, Config{Servers: e.ConnString(), Workloads: []string{"nosuch"}})
	if err == nil || !strings.Contains(err.Error(), `unknown workload "nosuch"`) {
		t.Errorf("unknown workload: %v", err)
	}
	short, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelShort()
	if _, err := Run(short, Config{Servers: "127.0.0.1:1"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("run against nothing: %v", err)
	}
}
