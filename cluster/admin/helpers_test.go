package admin

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"coordtui/cluster"
	"coordtui/cluster/event"
	"coordtui/cluster/goldenfile"
)

var rewrite = flag.Bool("admin.rewrite", false, "re-record testdata/golden from our own answers")

// testEnsemble starts n members with client ports, the patient test timing
// and an event bus, and waits for a leader.
func testEnsemble(t testing.TB, n int) (*cluster.Ensemble, *event.Bus) {
	t.Helper()
	bus := event.NewBus(4096)
	e, err := cluster.NewEnsemble(cluster.EnsembleConfig{Members: n, Dir: t.TempDir(), Timing: cluster.TestTiming,
		Sessions: cluster.SessionConfig{TickTime: 200 * time.Millisecond}, Events: bus,
		Client: &cluster.ServerConfig{FourLetterWords: []string{"*"}, Version: "0.0.0-test"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	waitLeader(t, e)
	return e, bus
}

func waitLeader(t testing.TB, e *cluster.Ensemble) *cluster.Node {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	n, err := e.WaitLeader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// serve puts an API for cfg behind an httptest server.
func serve(t testing.TB, cfg Config) (*Handler, string) {
	t.Helper()
	h, err := NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() { h.Close(); ts.Close() })
	return h, ts.URL
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type silent struct{}

func (silent) Printf(string, ...any) {}

// connect opens a go-zookeeper session on addr.
func connect(t testing.TB, addr string) *gozk.Conn {
	t.Helper()
	c, events, err := gozk.Connect([]string{addr}, 4*time.Second, gozk.WithLogger(silent{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	for deadline := time.After(15 * time.Second); ; {
		select {
		case ev := <-events:
			if ev.State == gozk.StateHasSession {
				return c
			}
		case <-deadline:
			t.Fatal("no session")
		}
	}
}

// workload connects a go-zookeeper client to addr and leaves what the
// commands report: a node, an ephemeral, data, exist and child watches.
func workload(t testing.TB, addr string) *gozk.Conn {
	t.Helper()
	c := connect(t, addr)
	acl := gozk.WorldACL(gozk.PermAll)
	for _, step := range []func() error{
		func() error { _, err := c.Create("/h", []byte("hello"), 0, acl); return err },
		func() error { _, err := c.Create("/h/e", []byte("x"), gozk.FlagEphemeral, acl); return err },
		func() error { _, _, _, err := c.GetW("/h"); return err },
		func() error { _, _, _, err := c.ExistsW("/h/none"); return err },
		func() error { _, _, _, err := c.ChildrenW("/h"); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// call makes one request and returns the status and body.
func call(t testing.TB, method, u, token string, form url.Values) (int, []byte) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// getJSON GETs u and decodes a JSON object, numbers kept exact.
func getJSON(t testing.TB, u string) map[string]any {
	t.Helper()
	status, b := call(t, http.MethodGet, u, "", nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, status, b)
	}
	return decode(t, b)
}

func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return m
}

// dynamicKeys hold maps keyed by ids, paths or times: their keys are data.
var dynamicKeys = []string{"session_id_to_watched_paths", "path_to_session_ids", "expiry_time_to_session_ids",
	"session_id_to_ephemeral_paths", "current_config"}

// shape flattens a JSON value into "path: type" lines, sorted: what the
// golden files record and what is compared with Apache ZooKeeper. Arrays
// show their elements' shape once; maps keyed by data show "*".
func shape(v any) []string {
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 0 {
				out = append(out, prefix+": object")
			}
			dyn := slices.Contains(dynamicKeys, lastSegment(prefix))
			for k, vv := range x {
				if dyn {
					k = "*"
				}
				walk(join(prefix, k), vv)
			}
		case []any:
			if len(x) == 0 {
				out = append(out, prefix+": array")
			}
			for _, vv := range x {
				walk(prefix+"[]", vv)
			}
		case json.Number:
			out = append(out, prefix+": number")
		case string:
			out = append(out, prefix+": string")
		case bool:
			out = append(out, prefix+": bool")
		case nil:
			out = append(out, prefix+": null")
		}
	}
	walk("", v)
	slices.Sort(out)
	return slices.Compact(out)
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func lastSegment(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// keysOf is shape without the types, with empty containers dropped: an
// empty list in one answer and a filled one in the other are the same key.
func keysOf(v any) []string {
	var out []string
	for _, line := range shape(v) {
		k, typ, _ := strings.Cut(line, ": ")
		if typ == "array" || typ == "object" {
			continue
		}
		out = append(out, k)
	}
	return slices.Compact(out)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", "golden", name), got, *rewrite, "admin.rewrite")
}
