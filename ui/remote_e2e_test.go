package ui

import (
	"bufio"
	"context"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"

	"coordtui/cluster/e2e/term"
	"coordtui/cluster/zk"
)

// upWithAdmin runs `bin up --admin 127.0.0.1:0 --faults` as its own
// process and returns its connection string and admin address.
func upWithAdmin(t *testing.T, bin, token string) (conn, api string) {
	t.Helper()
	cmd := exec.Command(bin, "up", "--admin", "127.0.0.1:0", "--faults", "--token", token)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
			t.Error("coordtui up did not stop within 30s of SIGTERM")
		}
	})
	got := make(chan [2]string, 1)
	go func() {
		var c, a string
		if sc := bufio.NewScanner(stdout); sc.Scan() {
			c = sc.Text()
		}
		re := regexp.MustCompile(`admin API on (http://\S+?);`)
		sc := bufio.NewScanner(stderr)
		for a == "" && sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				a = m[1]
			}
		}
		got <- [2]string{c, a}
		for sc.Scan() { // keep reading, so that up never blocks on a full pipe
		}
	}()
	select {
	case r := <-got:
		if r[0] == "" || r[1] == "" {
			t.Fatalf("up printed connection string %q, admin API %q", r[0], r[1])
		}
		return r[0], r[1]
	case <-time.After(60 * time.Second):
		t.Fatal("coordtui up did not print its connection string and admin API")
	}
	return "", ""
}

// The real binaries: `coordtui attach --admin` against `coordtui up
// --admin --faults` in tmux shows the raft roles and the leader, fills the
// zxid log with a change another client makes, and K kills the leader
// through the admin API: another is elected.
func TestAttachAdminEndToEndInTmux(t *testing.T) {
	bin := term.Build(t) // one binary for both ends
	conn, api := upWithAdmin(t, bin, "s3cret")
	c := startTmuxBin(t, bin, "attach", 120, 40, "attach", "--admin", api, "--token", "s3cret", conn)
	s := c.WaitScreen("a leader and followers", func(s string) bool {
		l, _ := leaderOf(s)
		return l != "" && regexp.MustCompile(`n\d +follower +T\d`).MatchString(s)
	})
	old, term := leaderOf(s)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	zc, err := zk.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer zc.Close()
	if _, err := zc.Create(ctx, "/e2e-remote", nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("the create in the zxid log", func(s string) bool {
		return regexp.MustCompile(`0x\d+_[0-9a-f]{8} +create +/e2e-remote`).MatchString(s)
	})
	c.Keys("K")
	c.WaitScreen("a new leader", func(s string) bool {
		l, tt := leaderOf(s)
		return l != "" && l != old && tt > term && regexp.MustCompile(old+` +down`).MatchString(s)
	})
	c.Keys("q")
}
