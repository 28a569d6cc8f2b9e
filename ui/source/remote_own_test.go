package source

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"coordtui/cluster/admin"
	"coordtui/cluster/faultnet"
)

// ownTable is a member's own fault table as its API would report it.
func ownTable(self string, faults map[[2]string]faultnet.Fault) admin.FaultState {
	members := []string{"n1", "n2", "n3"}
	lt := &admin.LinkTable{Members: members}
	for _, from := range members {
		for _, to := range members {
			if from == to {
				continue
			}
			f := faults[[2]string{from, to}]
			lt.Links = append(lt.Links, admin.LinkJSON{From: from, To: to, Cut: f.Cut, DelayNs: int64(f.Delay), Loss: f.Loss})
		}
	}
	return admin.FaultState{Enabled: true, Self: self, Links: lt}
}

// With members on their own, a link is what its sender's table says, cut
// also when its receiver cuts it; what a table says of links that do not
// touch its member is ignored.
func TestOwnLinksComposeTheMatrix(t *testing.T) {
	answers := []answer{
		{faults: ownTable("n1", map[[2]string]faultnet.Fault{{"n1", "n2"}: {Delay: 100 * time.Millisecond}})},
		{faults: ownTable("n2", map[[2]string]faultnet.Fault{{"n3", "n2"}: {Cut: true}, {"n1", "n3"}: {Cut: true}})},
		{faults: ownTable("n3", nil)},
	}
	m, ok := ownLinks(answers)
	if !ok {
		t.Fatal("no matrix from members on their own")
	}
	var got []string
	for _, l := range m.Links {
		if l.Fault != (faultnet.Fault{}) {
			got = append(got, l.From+"->"+l.To+" "+l.Fault.String())
		}
	}
	want := []string{"n1->n2 " + (faultnet.Fault{Delay: 100 * time.Millisecond}).String(), "n3->n2 " + (faultnet.Fault{Cut: true}).String()}
	if !slices.Equal(got, want) {
		t.Fatalf("faulty links %q, want %q", got, want)
	}
	if _, ok := ownLinks([]answer{{faults: admin.FaultState{Enabled: true, Links: &admin.LinkTable{Members: []string{"n1"}}}}}); ok {
		t.Fatal("an ensemble-wide API's table was taken for members' own")
	}
}

// Actions go to the API of the member they concern, and those on every
// member (split, heal) to each member's API.
func TestOwnAPIsRouteActions(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	own := map[string]*endpoint{}
	for _, name := range []string{"n1", "n2", "n3"} {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			calls = append(calls, name+" "+strings.TrimPrefix(r.URL.Path, "/coordtui/faults/"))
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"ok": true, "action": "x", "detail": "done"}`))
		}))
		t.Cleanup(ts.Close)
		c, err := admin.NewClient(ts.URL, "s3cret", nil)
		if err != nil {
			t.Fatal(err)
		}
		own[name] = &endpoint{c: c}
	}
	ctl := &remoteControl{r: &Remote{}, own: own}
	for _, tc := range []struct {
		do   func() error
		want []string
	}{
		{func() error { return ctl.Net().Isolate("n2") }, []string{"n2 links/isolate"}},
		{func() error { return ctl.Net().SetCut("n1", "n3", true) }, []string{"n1 links/set"}},
		{func() error { return ctl.Net().Split([]string{"n1"}, []string{"n2", "n3"}) }, []string{"n1 links/split", "n2 links/split", "n3 links/split"}},
		{func() error { return ctl.Net().Heal() }, []string{"n1 links/heal", "n2 links/heal", "n3 links/heal"}},
	} {
		mu.Lock()
		calls = nil
		mu.Unlock()
		if err := tc.do(); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		got := slices.Clone(calls)
		mu.Unlock()
		if !slices.Equal(got, tc.want) {
			t.Fatalf("calls %q, want %q", got, tc.want)
		}
	}
	delete(own, "n3")
	if err := ctl.Net().Isolate("n3"); err == nil || !strings.Contains(err.Error(), "no admin API with fault control for n3") {
		t.Fatalf("isolating a member without an API: %v", err)
	}
}
