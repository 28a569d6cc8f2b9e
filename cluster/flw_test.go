package cluster

import (
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"coordtui/cluster/zk"
	"coordtui/tree"
)

// TestFourLetterWords asks every word of a leader (holding a client's
// session, ephemeral and watches) and some of a follower, checks the
// answers with the parsers ZooKeeper's clients use, and compares their
// layout with the golden transcripts in testdata/flw/coordtui.
func TestFourLetterWords(t *testing.T) {
	e := testEnsemble(t, 3, withClients)
	leader := waitLeader(t, e)
	var follower *Node
	for _, n := range e.Nodes() {
		if n != leader {
			follower = n
			break
		}
	}
	lAddr, fAddr := e.ClientAddr(leader.ID()), e.ClientAddr(follower.ID())
	c := flwWorkload(t, lAddr)
	srv := e.Server(leader.ID())
	// The leader tracks a new session from its next tick; dump shows it
	// from then on.
	eventually(t, 5*time.Second, "leader tracks the session", func() bool { return len(srv.SessionExpiry()) == 1 })
	eventually(t, 5*time.Second, "follower applied the workload", func() bool { return converged(e) })

	t.Run("go-zookeeper FLWSrvr", func(t *testing.T) {
		stats, ok := gozk.FLWSrvr([]string{lAddr, fAddr}, 5*time.Second)
		if !ok {
			t.Fatalf("FLWSrvr failed: %v / %v", stats[0].Error, stats[1].Error)
		}
		var nodes int
		var last tree.Zxid
		leader.View(func(tr *tree.Tree) { nodes, last = tr.NodeCount(), tr.LastZxid() })
		for i, want := range []gozk.Mode{gozk.ModeLeader, gozk.ModeFollower} {
			s := stats[i]
			if s.Mode != want || s.NodeCount != int64(nodes+1) || !strings.HasPrefix(s.Version, ZooKeeperVersion+"-coordtui-") {
				t.Errorf("server %d: %+v", i, *s)
			}
			if s.BuildTime.IsZero() || s.Connections < 1 {
				t.Errorf("server %d: build time %v, connections %d", i, s.BuildTime, s.Connections)
			}
		}
		if s := stats[0]; int64(s.Epoch)<<32|int64(s.Counter) != int64(last) {
			t.Errorf("zxid %d/%d, want %s", s.Epoch, s.Counter, last)
		}
	})

	t.Run("go-zookeeper FLWRuok and FLWCons", func(t *testing.T) {
		for i, ok := range gozk.FLWRuok([]string{lAddr, fAddr}, 5*time.Second) {
			if !ok {
				t.Errorf("ruok %d failed", i)
			}
		}
		// Like ZooKeeper, cons lists the asking connection in brief form,
		// which FLWCons's pattern rejects: it reports false and keeps the
		// clients it could parse, exactly as against Apache ZooKeeper.
		cons, _ := gozk.FLWCons([]string{lAddr}, 5*time.Second)
		if cons[0].Error != nil || len(cons[0].Clients) != 1 {
			t.Fatalf("cons: %+v", cons[0])
		}
		cl := cons[0].Clients[0]
		if cl.SessionID != c.SessionID() || cl.Timeout != 4000 || cl.Received < 6 || cl.Sent < 6 || cl.Lzxid <= 0 {
			t.Errorf("client %+v, session %#x", *cl, c.SessionID())
		}
		if cl.LastOperation != "GETC" && cl.LastOperation != "PING" {
			t.Errorf("last operation %q, want the workload's last (GETC) or a ping", cl.LastOperation)
		}
	})

	t.Run("cluster/zk parsers", func(t *testing.T) {
		s, err := zk.ParseSrvr(ask(t, lAddr, "stat"))
		if err != nil || s.Mode != "leader" || s.Connections < 2 || s.Fields["Proposal sizes last/min/max"] == "" {
			t.Errorf("stat: %+v %v", s, err)
		}
		m, err := zk.ParseMntr(ask(t, lAddr, "mntr"))
		if err != nil {
			t.Fatal(err)
		}
		st := leader.Status()
		want := map[string]string{
			"zk_server_state": "leader", "zk_peer_state": "leading - broadcast", "zk_znode_count": strconv.Itoa(st.Znodes + 1),
			"zk_ephemerals_count": "1", "zk_global_sessions": "1", "zk_watch_count": "3", "zk_quorum_size": "3",
			"zk_learners": "2", "zk_followers": "2", "zk_synced_followers": "2", "zk_pending_syncs": "0",
			"coordtui_member_id": strconv.FormatUint(leader.ID(), 10), "coordtui_raft_term": strconv.FormatUint(st.Term, 10),
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("%s = %q, want %q", k, m[k], v)
			}
		}
		var size int
		leader.View(func(tr *tree.Tree) {
			tr.Walk("/", func(p string, _ tree.Stat, d []byte) bool { size += len(p) + len(d); return true })
		})
		if m["zk_approximate_data_size"] != strconv.Itoa(size) {
			t.Errorf("zk_approximate_data_size %s, want %d", m["zk_approximate_data_size"], size)
		}
		fm, _ := zk.ParseMntr(ask(t, fAddr, "mntr"))
		if fm["zk_server_state"] != "follower" || fm["zk_learners"] != "" {
			t.Errorf("follower mntr: state %q, learners %q", fm["zk_server_state"], fm["zk_learners"])
		}
	})

	t.Run("watch words agree with the API", func(t *testing.T) {
		sum := srv.WatchSummary()
		if sum != (WatchSummary{Connections: 1, Paths: 2, Watches: 2}) {
			t.Errorf("summary %+v", sum)
		}
		id := "0x" + strconv.FormatInt(c.SessionID(), 16)
		if got, want := ask(t, lAddr, "wchc"), id+"\n\t/h\n\t/h/none\n\n"; got != want {
			t.Errorf("wchc %q, want %q", got, want)
		}
		if got, want := ask(t, lAddr, "wchp"), "/h\n\t"+id+"\n/h/none\n\t"+id+"\n\n"; got != want {
			t.Errorf("wchp %q, want %q", got, want)
		}
		if all := srv.Watches(); len(all) != 2 || all[0].Path != "/h" || len(all[0].Kinds) != 2 {
			t.Errorf("watches %+v", all)
		}
		if eph := srv.EphemeralsBySession(); len(eph) != 1 || eph[0].Session != c.SessionID() || eph[0].Paths[0] != "/h/e" {
			t.Errorf("ephemerals %+v", eph)
		}
	})

	// Last: the golden run includes crst and srst.
	t.Run("golden", func(t *testing.T) {
		for _, w := range flwWords {
			golden(t, "coordtui", "leader-"+w, flwShape(w, ask(t, lAddr, w)), *flwRewrite)
		}
		for _, w := range []string{"srvr", "mntr", "dump", "isro"} {
			golden(t, "coordtui", "follower-"+w, flwShape(w, ask(t, fAddr, w)), *flwRewrite)
		}
	})
}

func TestFourLetterWhitelist(t *testing.T) {
	cases := []struct {
		list    []string
		allowed []string
		refused []string
	}{
		// ZooKeeper's default: srvr alone.
		{nil, []string{"srvr"}, []string{"ruok", "mntr", "stat", "cons", "envi", "isro"}},
		// srvr is always added; entries may be comma lists.
		{[]string{"ruok, mntr", "cons"}, []string{"ruok", "mntr", "cons", "srvr"}, []string{"stat", "dump", "wchc"}},
		{[]string{"*"}, []string{"ruok", "mntr", "stat", "dump", "wchp", "envi"}, nil},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.list, "|"), func(t *testing.T) {
			e := testEnsemble(t, 1, func(c *EnsembleConfig) { c.Client = &ServerConfig{FourLetterWords: tc.list} })
			addr := e.ClientAddr(1)
			for _, w := range tc.allowed {
				if ans := ask(t, addr, w); ans == "" || strings.Contains(ans, "whitelist") {
					t.Errorf("%s refused: %q", w, ans)
				}
			}
			for _, w := range tc.refused {
				if ans, want := ask(t, addr, w), w+" is not executed because it is not in the whitelist.\n"; ans != want {
					t.Errorf("%s: %q, want %q", w, ans, want)
				}
			}
			// Telnet's interrupt closes the connection without a word.
			if ans := ask(t, addr, telnetClose); ans != "" {
				t.Errorf("telnet close answered %q", ans)
			}
		})
	}
}

// TestFourLetterNotServing cuts a follower off: it answers as a ZooKeeper
// server without a leader does, and recovers when healed.
func TestFourLetterNotServing(t *testing.T) {
	e := testEnsemble(t, 3, withClients)
	leader := waitLeader(t, e)
	id := leader.ID()%3 + 1
	addr := e.ClientAddr(id)
	e.Links().Isolate(string(ServerID(id)))
	eventually(t, 10*time.Second, "the isolated member stops serving", func() bool { return !e.Node(id).Serving() })
	for _, w := range []string{"srvr", "stat", "mntr", "cons", "dump", "conf", "wchs", "crst"} {
		if ans := ask(t, addr, w); ans != notServing {
			t.Errorf("%s: %q", w, ans)
		}
	}
	if ans := ask(t, addr, "isro"); ans != "null" {
		t.Errorf("isro %q, want null", ans)
	}
	if ans := ask(t, addr, "ruok"); ans != "imok" {
		t.Errorf("ruok %q", ans)
	}
	if ans := ask(t, addr, "envi"); !strings.HasPrefix(ans, "Environment:\nzookeeper.version=") {
		t.Errorf("envi %q", ans)
	}
	e.Links().HealAll()
	eventually(t, 10*time.Second, "it serves again", func() bool { return e.Node(id).Serving() })
	if s, err := zk.ParseSrvr(ask(t, addr, "srvr")); err != nil || s.Mode != "follower" {
		t.Errorf("after healing: %+v %v", s, err)
	}
}

func TestFourLetterObserver(t *testing.T) {
	e := testEnsemble(t, 3, withClients)
	id, err := e.Add(ctxT(t, 20*time.Second), true)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the observer serves", func() bool { return e.Node(id).Serving() })
	m, err := zk.ParseMntr(ask(t, e.ClientAddr(id), "mntr"))
	if err != nil || m["zk_server_state"] != "observer" || m["zk_peer_state"] != "observing - broadcast" {
		t.Errorf("observer mntr: %v %v", m["zk_server_state"], err)
	}
	if ans := ask(t, e.ClientAddr(id), "conf"); !strings.Contains(ans, "\npeerType=1\n") {
		t.Errorf("observer conf:\n%s", ans)
	}
	lm, _ := zk.ParseMntr(ask(t, e.ClientAddr(waitLeader(t, e).ID()), "mntr"))
	if lm["zk_learners"] != "3" || lm["zk_synced_observers"] != "1" || lm["zk_synced_followers"] != "2" || lm["zk_quorum_size"] != "3" {
		t.Errorf("leader mntr: learners %s observers %s followers %s quorum %s",
			lm["zk_learners"], lm["zk_synced_observers"], lm["zk_synced_followers"], lm["zk_quorum_size"])
	}
}

// TestFourLetterTraceMask: stmk takes an 8-byte mask after the word; gtmk
// reads it back. Nothing traces, but the mask round-trips as in ZooKeeper.
func TestFourLetterTraceMask(t *testing.T) {
	e := testEnsemble(t, 1, withClients)
	nc, err := net.Dial("tcp", e.ClientAddr(1))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := nc.Write(binary.BigEndian.AppendUint64([]byte("stmk"), 0x1f2)); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(nc)
	if string(b) != "498" {
		t.Fatalf("stmk answered %q", b)
	}
	if got := ask(t, e.ClientAddr(1), "gtmk"); got != "498" {
		t.Fatalf("gtmk %q", got)
	}
	if _, err := e.Server(1).FourLetter("stmk"); err == nil {
		t.Fatal("FourLetter(stmk) without a mask succeeded")
	}
	if _, err := e.Server(1).FourLetter("bogus"); err == nil {
		t.Fatal("FourLetter(bogus) succeeded")
	}
	// A stmk whose mask is cut short is closed unanswered.
	short, err := net.Dial("tcp", e.ClientAddr(1))
	if err != nil {
		t.Fatal(err)
	}
	defer short.Close()
	_ = short.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = short.Write([]byte("stmk\x00\x01"))
	_ = short.(*net.TCPConn).CloseWrite()
	if b, _ := io.ReadAll(short); len(b) != 0 {
		t.Fatalf("short stmk answered %q", b)
	}
}
