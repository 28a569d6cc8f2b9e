package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

// ensemble is three `coordtui server` processes on loopback.
type ensemble struct {
	t       *testing.T
	dir     string
	peers   string
	clients []string // client address of member i+1
	admins  []string // admin API address of member i+1
	procs   []*proc
	extra   []string // more flags for every member
}

func startServers(t *testing.T, extra ...string) *ensemble {
	ports := freePorts(t, 9)
	e := &ensemble{t: t, dir: t.TempDir(), extra: extra,
		peers: fmt.Sprintf("1=127.0.0.1:%d,2=127.0.0.1:%d,3=127.0.0.1:%d", ports[0], ports[1], ports[2])}
	for i := 0; i < 3; i++ {
		e.clients = append(e.clients, fmt.Sprintf("127.0.0.1:%d", ports[3+i]))
		e.admins = append(e.admins, fmt.Sprintf("127.0.0.1:%d", ports[6+i]))
		e.procs = append(e.procs, nil)
		e.start(i + 1)
	}
	return e
}

// start runs member id with the same flags every time.
func (e *ensemble) start(id int) {
	args := []string{"server", "--id", fmt.Sprint(id), "--peers", e.peers,
		"--client", e.clients[id-1], "--data", filepath.Join(e.dir, fmt.Sprintf("n%d", id)),
		"--timing", "fast", "--tick", "500ms", "--4lw", "srvr,ruok,mntr", "--admin", e.admins[id-1]}
	e.procs[id-1] = start(e.t, append(args, e.extra...)...)
}

func (e *ensemble) connString() string { return strings.Join(e.clients, ",") }

// mode is what member id's srvr reports as its mode, "" if it does not answer.
func (e *ensemble) mode(id int) string {
	for _, l := range strings.Split(srvr(e.clients[id-1]), "\n") {
		if m, ok := strings.CutPrefix(l, "Mode: "); ok {
			return m
		}
	}
	return ""
}

// leader waits until one member leads and the others follow it.
func (e *ensemble) leader(within time.Duration) int {
	e.t.Helper()
	var lead int
	eventually(e.t, within, "one leader and two followers", func() bool {
		lead = 0
		followers := 0
		for id := 1; id <= 3; id++ {
			switch e.mode(id) {
			case "leader":
				lead = id
			case "follower":
				followers++
			}
		}
		return lead != 0 && followers == 2
	})
	return lead
}

// writer creates /ack/n-<i> one after another and remembers which creates
// the ensemble acknowledged.
type writer struct {
	mu    sync.Mutex
	acked []string
	stop  chan struct{}
	once  sync.Once
	done  chan struct{}
}

// halt stops the writer and waits for it.
func (w *writer) halt() {
	w.once.Do(func() { close(w.stop) })
	<-w.done
}

func startWriter(c *zk.Client) *writer {
	w := &writer{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for i := 0; ; i++ {
			select {
			case <-w.stop:
				return
			default:
			}
			path := fmt.Sprintf("/ack/n-%06d", i)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err := c.Create(ctx, path, []byte("v"), zk.WorldACL(zk.PermAll), zk.ModePersistent)
			cancel()
			if err == nil || errors.Is(err, zk.ErrNodeExists) { // exists: an earlier try that looked lost did commit
				w.mu.Lock()
				w.acked = append(w.acked, path)
				w.mu.Unlock()
			}
		}
	}()
	return w
}

func (w *writer) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked)
}

// TestServersSurviveKill9 runs three `coordtui server` processes, writes
// through the connection string from outside while the leader is killed
// with SIGKILL and restarted with the same flags, and checks that every
// member ends up with every acknowledged write.
func TestServersSurviveKill9(t *testing.T) {
	e := startServers(t)
	lead := e.leader(60 * time.Second)
	for id := 1; id <= 3; id++ {
		if got := adminCommand(t, e.admins[id-1], "ruok"); got["command"] != "ruok" || got["error"] != nil {
			t.Errorf("member %d admin /commands/ruok = %v", id, got)
		}
	}
	c := client(t, e.connString())
	if _, err := c.Create(ctxFor(t, 10*time.Second), "/ack", nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	w := startWriter(c)
	defer w.halt()
	waitAcked := func(n int, what string) {
		eventually(t, 60*time.Second, fmt.Sprintf("%d acknowledged writes %s", n, what), func() bool { return w.count() >= n })
	}
	waitAcked(50, "before the kill")

	e.procs[lead-1].stop(t, syscall.SIGKILL, 10*time.Second)
	n := w.count()
	waitAcked(n+50, "with the leader killed")

	e.start(lead)
	eventually(t, 60*time.Second, fmt.Sprintf("member %d rejoins", lead), func() bool {
		m := e.mode(lead)
		return m == "follower" || m == "leader"
	})
	n = w.count()
	waitAcked(n+50, "after the restart")
	w.halt()

	acked := w.acked
	t.Logf("%d writes acknowledged; member %d (the leader) was killed and restarted", len(acked), lead)
	for id := 1; id <= 3; id++ {
		one := client(t, e.clients[id-1])
		ctx := ctxFor(t, 30*time.Second)
		if _, err := one.Sync(ctx, "/ack"); err != nil {
			t.Fatalf("member %d: sync: %v", id, err)
		}
		kids, err := one.Children(ctx, "/ack")
		if err != nil {
			t.Fatalf("member %d: %v", id, err)
		}
		have := map[string]bool{}
		for _, k := range kids {
			have["/ack/"+k] = true
		}
		lost := 0
		for _, p := range acked {
			if !have[p] {
				lost++
				if lost <= 5 {
					t.Errorf("member %d lost acknowledged write %s", id, p)
				}
			}
		}
		if lost > 0 {
			t.Errorf("member %d lost %d of %d acknowledged writes", id, lost, len(acked))
		}
	}
	c.Close()
	for id := 1; id <= 3; id++ {
		if code := e.procs[id-1].stop(t, syscall.SIGTERM, 20*time.Second); code != 0 {
			t.Errorf("member %d: exit %d after SIGTERM; stderr:\n%s", id, code, e.procs[id-1].Stderr())
		}
	}
}

// adminCommand GETs one of ZooKeeper's AdminServer commands.
func adminCommand(t *testing.T, addr, name string) map[string]any {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/commands/" + name)
	if err != nil {
		t.Fatalf("admin API: %v", err)
	}
	defer resp.Body.Close()
	var got map[string]any
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&got) != nil {
		t.Fatalf("admin API %s: status %s", name, resp.Status)
	}
	return got
}

// TestServerFlags: bad flags are refused with a reason.
func TestServerFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--id", "4", "--peers", "1=127.0.0.1:1", "--data", "x"}, "--id 4 is not in --peers"},
		{[]string{"--id", "1", "--peers", "one=127.0.0.1:1", "--data", "x"}, "is not ID=HOST:PORT"},
		{[]string{"--id", "1", "--peers", "1=127.0.0.1:1"}, "--data is required"},
		{[]string{"--id", "1", "--peers", "1=127.0.0.1:1", "--data", "x", "--timing", "slow"}, "want server or fast"},
	} {
		_, stderr, code := run(t, "", append([]string{"server"}, c.args...)...)
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("server %s: exit %d, %q; want %q", strings.Join(c.args, " "), code, stderr, c.want)
		}
	}
}

// postFault runs a fault action on a member's admin API and returns the
// status and the answer's text.
func postFault(t *testing.T, addr, token, action, form string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/coordtui/faults/"+action, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("admin API: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Three `coordtui server --faults` members: the leader isolated through
// its own admin API (its table cuts what it sends and what it receives)
// loses the ensemble to a new leader and stops serving; healed, it
// rejoins. A member refuses to cut links it does not touch.
func TestServerFaultsIsolateTheLeader(t *testing.T) {
	const token = "s3cret"
	e := startServers(t, "--faults", "--token", token)
	lead := e.leader(60 * time.Second)
	others := []int{}
	for id := 1; id <= 3; id++ {
		if id != lead {
			others = append(others, id)
		}
	}
	if code, body := postFault(t, e.admins[lead-1], token, "links/cut", fmt.Sprintf("from=n%d&to=n%d", others[0], others[1])); code != http.StatusUnprocessableEntity || !strings.Contains(body, "governs only its own links") {
		t.Errorf("cutting others' link on n%d: %d %s", lead, code, body)
	}
	if code, body := postFault(t, e.admins[lead-1], token, "links/isolate", fmt.Sprintf("member=n%d", lead)); code != http.StatusOK {
		t.Fatalf("isolate n%d: %d %s", lead, code, body)
	}
	eventually(t, 30*time.Second, "a new leader among the others, the old one not serving", func() bool {
		m0, m1 := e.mode(others[0]), e.mode(others[1])
		return (m0 == "leader" && m1 == "follower" || m0 == "follower" && m1 == "leader") && e.mode(lead) == ""
	})
	if code, body := postFault(t, e.admins[lead-1], token, "links/heal", ""); code != http.StatusOK {
		t.Fatalf("heal on n%d: %d %s", lead, code, body)
	}
	e.leader(30 * time.Second)
	if m := e.mode(lead); m != "follower" {
		t.Errorf("healed n%d is %q, want follower", lead, m)
	}
}
