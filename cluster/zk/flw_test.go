package zk

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func readSample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/flw/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseSrvr(t *testing.T) {
	cases := []struct {
		file        string
		mode        string
		zxid        int64
		nodes, conn int64
		latAvg      float64
		version     string
	}{
		// Captured from Debian's 3.8.0 by TestRealTraffic -zk.capture.
		{"srvr-zk3.8.0.txt", "standalone", 0x1f, 16, 2, 1.6, "3.8.0-"},
		{"stat-zk3.8.0.txt", "standalone", 0x1f, 16, 2, 1.6, "3.8.0-"},
		// 3.4's date format, which go-zookeeper/zk's regex insists on.
		{"srvr-zk3.4.txt", "leader", 0x20000002a, 42, 3, 0, "3.4.14-"},
		// coordtui prints its zxid as epoch_counter.
		{"srvr-coordtui.txt", "follower", 0x20000001e, 7, 1, 0.25, "coordtui"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			s, err := ParseSrvr(readSample(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if s.Mode != tc.mode || s.Zxid != tc.zxid || s.NodeCount != tc.nodes || s.Connections != tc.conn ||
				s.LatencyAvg != tc.latAvg || !strings.HasPrefix(s.Version, tc.version) {
				t.Fatalf("parsed %+v", s)
			}
		})
	}
	for _, text := range []string{
		"srvr is not executed because it is not in the whitelist.\n",
		"This ZooKeeper instance is not currently serving requests\n",
		"",
	} {
		if _, err := ParseSrvr(text); !errors.Is(err, ErrNotStats) {
			t.Errorf("ParseSrvr(%q) = %v, want ErrNotStats", text, err)
		}
	}
}

func TestParseMntr(t *testing.T) {
	m, err := ParseMntr(readSample(t, "mntr-zk3.8.0.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if m["zk_server_state"] != "standalone" || m["zk_znode_count"] != "16" || !strings.HasPrefix(m["zk_version"], "3.8.0-") || len(m) < 50 {
		t.Fatalf("parsed %d keys: state %q count %q version %q", len(m), m["zk_server_state"], m["zk_znode_count"], m["zk_version"])
	}
	m, err = ParseMntr(readSample(t, "mntr-coordtui.txt"))
	if err != nil || m["zk_server_state"] != "leader" || m["zk_watch_count"] != "2" {
		t.Fatalf("coordtui mntr: %v %v", m, err)
	}
	if _, err := ParseMntr("mntr is not executed because it is not in the whitelist.\n"); !errors.Is(err, ErrNotStats) {
		t.Fatalf("whitelist refusal: %v", err)
	}
}

func TestFourLetterAgainstApache(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	c := connect(t, addr)
	testRoot(t, c)
	if out, err := FourLetter(ctx, addr, "ruok"); err != nil || out != "imok" {
		t.Fatalf("ruok = %q, %v", out, err)
	}
	out, err := FourLetter(ctx, addr, "srvr")
	mustOK(t, err, "srvr")
	s, err := ParseSrvr(out)
	mustOK(t, err, "parse srvr")
	wantMode := "standalone"
	if onCoordtui() {
		wantMode = "leader follower" // an ensemble member
	}
	if !strings.Contains(wantMode, s.Mode) || s.NodeCount < 6 || s.Zxid < c.LastZxid() || s.Zxid == 0 {
		t.Fatalf("srvr parsed as %+v", s)
	}
	out, err = FourLetter(ctx, addr, "mntr")
	mustOK(t, err, "mntr")
	m, err := ParseMntr(out)
	mustOK(t, err, "parse mntr")
	if !strings.Contains(wantMode, m["zk_server_state"]) {
		t.Fatalf("mntr state %q", m["zk_server_state"])
	}
	if _, err := FourLetter(ctx, addr, "toolong"); err == nil {
		t.Fatal("a five-letter word was sent")
	}
}
