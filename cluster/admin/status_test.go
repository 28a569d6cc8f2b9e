package admin

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestStatus(t *testing.T) {
	e, _ := testEnsemble(t, 3)
	l := waitLeader(t, e)
	_, u := serve(t, Config{Ensemble: e, Member: 2})
	_, b := call(t, http.MethodGet, u+"/coordtui/status", "", nil)
	var st StatusResponse
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if st.Self != 2 || len(st.Members) != 3 {
		t.Fatalf("status: %+v", st)
	}
	for i, m := range st.Members {
		if m.ID != uint64(i+1) || m.ClientAddr != e.ClientAddr(m.ID) || m.Leader != l.ID() || m.Term == 0 ||
			!strings.HasPrefix(m.Zxid, "0x") || len(m.Digest) != 16 || m.Znodes < 4 {
			t.Errorf("member %d: %+v", i+1, m)
		}
		if (m.ID == l.ID()) != (m.Role == "leader") {
			t.Errorf("member %d role %s, leader is %d", m.ID, m.Role, l.ID())
		}
	}
	golden(t, "status.txt", strings.Join(shape(decode(t, b)), "\n")+"\n")

	down := l.ID()%3 + 1
	if err := e.Crash(down); err != nil {
		t.Fatal(err)
	}
	_, b = call(t, http.MethodGet, u+"/coordtui/status", "", nil)
	st = StatusResponse{}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if m := st.Members[down-1]; m.Role != "down" || m.ID != down || m.ClientAddr == "" {
		t.Errorf("crashed member: %+v", m)
	}

	// A member on its own reports itself.
	_, one := serve(t, Config{Server: e.Server(l.ID())})
	_, b = call(t, http.MethodGet, one+"/coordtui/status", "", nil)
	st = StatusResponse{}
	if err := json.Unmarshal(b, &st); err != nil || st.Self != l.ID() || len(st.Members) != 1 || st.Members[0].Role != "leader" {
		t.Errorf("server-mode status: %+v %v", st, err)
	}
}

var (
	promSample = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? (-?[0-9.]+(?:e[+-]?[0-9]+)?|NaN|[+-]Inf)$`)
	promType   = regexp.MustCompile(`^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped)$`)
)

// parseProm checks the text format strictly, as a Prometheus scraper
// would, and returns each sample by name and labels.
func parseProm(t *testing.T, text string) map[string]float64 {
	t.Helper()
	samples := map[string]float64{}
	typed := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "# HELP "):
		case strings.HasPrefix(line, "# TYPE "):
			m := promType.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("line %d: bad TYPE %q", i+1, line)
			}
			if _, dup := typed[m[1]]; dup {
				t.Fatalf("line %d: family %s typed twice", i+1, m[1])
			}
			typed[m[1]] = m[2]
		default:
			m := promSample.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("line %d: bad sample %q", i+1, line)
			}
			family := strings.TrimSuffix(strings.TrimSuffix(m[1], "_sum"), "_count")
			if typed[m[1]] == "" && typed[family] != "summary" {
				t.Fatalf("line %d: %s has no TYPE before it", i+1, m[1])
			}
			v, err := strconv.ParseFloat(m[3], 64)
			if err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
			key := m[1] + m[2]
			if _, dup := samples[key]; dup {
				t.Fatalf("line %d: sample %s twice", i+1, key)
			}
			samples[key] = v
		}
	}
	return samples
}

func TestMetrics(t *testing.T) {
	e, _ := testEnsemble(t, 3)
	l := waitLeader(t, e)
	workload(t, e.ClientAddr(l.ID()))
	_, u := serve(t, Config{Ensemble: e, Member: l.ID()})
	status, b := call(t, http.MethodGet, u+"/metrics", "", nil)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, b)
	}
	m := parseProm(t, string(b))
	var nodes int
	for _, s := range getJSON(t, u+"/coordtui/status")["members"].([]any) {
		if mm := s.(map[string]any); mm["id"].(json.Number).String() == strconv.FormatUint(l.ID(), 10) {
			n, _ := mm["znodes"].(json.Number).Int64()
			nodes = int(n)
		}
	}
	checks := map[string]float64{"coordtui_up": 1, "znode_count": float64(nodes + 1), "ephemerals_count": 1,
		"watch_count": 3, "quorum_size": 3, "learners": 2, `coordtui_requests_total{op="create"}`: 2,
		"coordtui_member_id": float64(l.ID())}
	for k, want := range checks {
		if got, ok := m[k]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, want)
		}
	}
	for _, k := range []string{"readlatency_count", "updatelatency_count", "packets_received", "coordtui_raft_term"} {
		if m[k] <= 0 {
			t.Errorf("%s = %v", k, m[k])
		}
	}
	if !strings.Contains(string(b), `coordtui_server_info{version="3.9.3-coordtui-0.0.0-test, built on `) {
		t.Errorf("no server info in\n%s", b)
	}

	// A member that is down says so and nothing else about itself.
	if err := e.Crash(l.ID()); err != nil {
		t.Fatal(err)
	}
	_, b = call(t, http.MethodGet, u+"/metrics", "", nil)
	if m := parseProm(t, string(b)); m["coordtui_up"] != 0 || len(m) != 4 {
		t.Errorf("down member's metrics: %v", m)
	}
	eventually(t, 20*time.Second, "a new leader", func() bool { return e.Leader() != nil })
}
