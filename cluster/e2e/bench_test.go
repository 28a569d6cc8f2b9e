package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"coordtui/cluster/bench"
)

// TestBenchAgainstUp runs every workload for a moment against `coordtui
// up` and checks that each produced figures. It asserts no speed.
func TestBenchAgainstUp(t *testing.T) {
	p, cs := startUp(t)
	out, stderr, code := run(t, "", "bench", "--servers", cs, "--clients", "4", "--duration", "1s",
		"--warmup", "300ms", "--workload", "create,set,get,mix,watch,memory", "--znodes", "2000",
		"--pid", fmt.Sprint(p.cmd.Process.Pid), "-o", "json")
	if code != 0 {
		t.Fatalf("bench exit %d:\n%s", code, stderr)
	}
	var doc struct{ Reports []bench.Report }
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Reports) != 1 {
		t.Fatalf("bench -o json: %v\n%s", err, out)
	}
	r := doc.Reports[0]
	if !strings.Contains(r.Version, "coordtui") {
		t.Errorf("version %q does not name coordtui", r.Version)
	}
	seen := map[string]bool{}
	for _, res := range r.Results {
		seen[res.Workload] = true
		if len(res.Errors) > 0 {
			t.Errorf("%s: errors %v", res.Workload, res.Errors)
		}
		for _, s := range res.Series {
			if s.Count == 0 || s.Max < s.P50 {
				t.Errorf("%s/%s: %+v", res.Workload, s.Name, s)
			}
		}
		if res.Workload != "memory" {
			continue
		}
		counts, rss := 0, false
		for _, m := range res.Memory {
			if m.Key == "zk_znode_count" {
				counts++
				if m.Delta != 2000 {
					t.Errorf("%s: znode count grew by %v, want 2000", m.Source, m.Delta)
				}
			}
			rss = rss || (m.Key == "VmRSS" && m.After > 0)
		}
		if counts != 3 || !rss {
			t.Errorf("memory samples: %+v", res.Memory)
		}
	}
	for _, w := range []string{"create", "set", "get", "mix", "watch", "memory"} {
		if !seen[w] {
			t.Errorf("no result for %s", w)
		}
	}

	// --compare runs the same workload against a second ensemble (here the
	// same one) and prints the ratios.
	out, stderr, code = run(t, "", "bench", "--servers", cs, "--compare", cs, "--clients", "2",
		"--duration", "500ms", "--warmup", "0s", "--workload", "get")
	if code != 0 || !strings.Contains(out, "== A: "+cs) || !strings.Contains(out, "== B / A") {
		t.Errorf("bench --compare: exit %d\n%s\n%s", code, out, stderr)
	}
}
