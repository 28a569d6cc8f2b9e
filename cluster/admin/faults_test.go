package admin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"coordtui/cluster/faultnet"
	"coordtui/tree"
)

const token = "s3cret-token"

func TestFaultsOffByDefault(t *testing.T) {
	e, _ := testEnsemble(t, 3)
	_, u := serve(t, Config{Ensemble: e, Member: 1})
	for _, tok := range []string{"", token} {
		status, b := call(t, http.MethodPost, u+"/coordtui/faults/links/cut?from=n1&to=n2", tok, nil)
		if status != http.StatusForbidden || decode(t, b)["error"] == nil {
			t.Errorf("token %q: %d %s", tok, status, b)
		}
	}
	if f := e.Links().Get("n1", "n2"); !f.IsZero() {
		t.Fatalf("a refused request cut the link: %v", f)
	}
	// The state is readable all the same.
	st := getJSON(t, u+"/coordtui/faults")
	if st["enabled"] != false || len(st["links"].(map[string]any)["links"].([]any)) != 6 {
		t.Errorf("state: %v", st)
	}
}

func TestFaultsNeedTheToken(t *testing.T) {
	e, _ := testEnsemble(t, 3)
	_, u := serve(t, Config{Ensemble: e, Member: 1, Faults: true, Token: token})
	for _, tok := range []string{"", "wrong", token + "x", "Bearer " + token} {
		req, _ := http.NewRequest(http.MethodPost, u+"/coordtui/faults/links/isolate?member=n2", nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("token %q: %d", tok, resp.StatusCode)
		}
	}
	if !e.Links().Get("n2", "n1").IsZero() {
		t.Fatal("an unauthorised request isolated n2")
	}
	if status, b := call(t, http.MethodPost, u+"/coordtui/faults/links/isolate?member=n2", token, nil); status != http.StatusOK {
		t.Fatalf("%d %s", status, b)
	}
	if !e.Links().Get("n2", "n1").Cut || !e.Links().Get("n3", "n2").Cut {
		t.Fatal("isolate did not cut n2 off")
	}
	if status, _ := call(t, http.MethodGet, u+"/coordtui/faults/links/heal", token, nil); status != http.StatusMethodNotAllowed {
		t.Errorf("GET on an action: %d", status)
	}
}

// TestFaultActions drives every action against a real ensemble and checks
// the fault tables and the cluster, not just the answers.
func TestFaultActions(t *testing.T) {
	e, _ := testEnsemble(t, 3)
	l := waitLeader(t, e)
	_, u := serve(t, Config{Ensemble: e, Member: l.ID(), Faults: true, Token: token})
	links := e.Links()
	act := func(path string, form url.Values, want int) map[string]any {
		t.Helper()
		status, b := call(t, http.MethodPost, u+"/coordtui/faults/"+path, token, form)
		if status != want {
			t.Fatalf("%s %v: %d %s, want %d", path, form, status, b, want)
		}
		return decode(t, b)
	}
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}

	t.Run("links", func(t *testing.T) {
		if r := act("links/cut", q("from", "n1", "to", "2"), 200); r["detail"] != "n1<->n2 cut" || r["action"] != "links/cut" {
			t.Errorf("cut: %v", r)
		}
		if !links.Get("n1", "n2").Cut || !links.Get("n2", "n1").Cut {
			t.Error("cut both ways did not")
		}
		act("links/heal", q("from", "n2", "to", "n1"), 200)
		act("links/cut", q("from", "n1", "to", "n3", "oneway", "true"), 200)
		if !links.Get("n1", "n3").Cut || links.Get("n3", "n1").Cut || links.Get("n1", "n2").Cut {
			t.Error("one-way cut or heal wrong")
		}
		act("links/set", q("from", "n2", "to", "n3", "delay", "50ms", "loss", "10%", "hold", "true"), 200)
		if f := links.Get("n2", "n3"); f != (faultnet.Fault{Hold: true, Delay: 50 * time.Millisecond, Loss: 0.1}) {
			t.Errorf("set: %+v", f)
		}
		if r := act("links/release", nil, 200); r["detail"] == nil {
			t.Errorf("release: %v", r)
		}
		act("links/heal", nil, 200)
		if !links.Get("n1", "n3").IsZero() || !links.Get("n2", "n3").IsZero() {
			t.Error("heal all left faults")
		}
		act("links/split", q("a", "n1", "b", "n2,n3"), 200)
		if !links.Get("n1", "n3").Cut || !links.Get("n2", "n1").Cut || links.Get("n2", "n3").Cut {
			t.Error("split wrong")
		}
		act("links/heal", nil, 200)
		for _, bad := range []struct {
			path string
			form url.Values
			want int
		}{
			{"links/cut", q("from", "n1", "to", "n1"), 400},
			{"links/cut", q("from", "n1"), 400},
			{"links/cut", q("from", "n1", "to", "n9"), 404},
			{"links/set", q("from", "n1", "to", "n2", "loss", "2"), 400},
			{"links/set", q("from", "n1", "to", "n2", "delay", "-1s"), 400},
			{"links/split", q("a", "n1", "b", "n1,n2"), 400},
			{"links/explode", nil, 400},
			{"nothing/cut", nil, 400},
		} {
			act(bad.path, bad.form, bad.want)
		}
		for _, ls := range links.Matrix().Links {
			if !ls.Fault.IsZero() {
				t.Errorf("a refused request left %s->%s %s", ls.From, ls.To, ls.Fault)
			}
		}
	})

	c := workload(t, e.ClientAddr(l.ID()))
	t.Run("conns", func(t *testing.T) {
		var id uint64
		for _, ci := range getJSON(t, u+"/coordtui/faults")["conns"].([]any) {
			n, _ := ci.(map[string]any)["id"].(json.Number).Int64()
			id = uint64(n)
		}
		if id == 0 {
			t.Fatal("no connection listed")
		}
		ids := strconv.FormatUint(id, 10)
		act("conns/freeze", q("id", ids), 200)
		if !e.Conns().List()[0].Frozen {
			t.Error("not frozen")
		}
		act("conns/thaw", q("id", ids), 200)
		act("conns/cut", q("id", ids), 200)
		act("conns/cut", q("id", ids), 404)
		act("conns/freeze", q("member", "n1"), 400)
		// The client reconnects to its session.
		eventually(t, 15*time.Second, "the client reconnects", func() bool { return c.State() == gozk.StateHasSession })
	})

	t.Run("sessions", func(t *testing.T) {
		sid := "0x" + strconv.FormatInt(c.SessionID(), 16)
		act("sessions/expire", q("id", "0x77"), 404)
		act("sessions/expire", q("id", "zz"), 400)
		act("sessions/expire", q("id", sid), 200)
		eventually(t, 10*time.Second, "the ephemeral goes with the session", func() bool {
			var gone bool
			l.View(func(tr *tree.Tree) { _, _, err := tr.Get("/h/e", nil); gone = err != nil })
			return gone
		})
	})

	t.Run("members", func(t *testing.T) {
		victim := l.ID()%3 + 1
		name := "n" + strconv.FormatUint(victim, 10)
		act("members/crash", q("member", name), 200)
		if e.Node(victim) != nil {
			t.Fatal("still running")
		}
		act("members/crash", q("member", name), 409)
		act("members/restart", q("member", name), 200)
		if e.Node(victim) == nil {
			t.Fatal("not restarted")
		}
		act("members/crash", q("member", "n7"), 404)
	})

	t.Run("without an ensemble", func(t *testing.T) {
		_, one := serve(t, Config{Server: e.Server(l.ID()), Faults: true, Token: token})
		status, b := call(t, http.MethodPost, one+"/coordtui/faults/members/crash?member=n1", token, nil)
		if status != http.StatusNotImplemented {
			t.Errorf("crash: %d %s", status, b)
		}
		if status, _ := call(t, http.MethodPost, one+"/coordtui/faults/links/isolate?member=n1", token, nil); status != http.StatusNotImplemented {
			t.Errorf("links: %d", status)
		}
	})
}
