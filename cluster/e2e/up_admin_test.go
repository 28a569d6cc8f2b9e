package e2e

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"coordtui/cluster/admin"
)

// TestUpAdmin: `up --admin --faults` serves one admin API for the whole
// ensemble, says where on stderr with the token it made up, and its fault
// control takes that token and refuses any other.
func TestUpAdmin(t *testing.T) {
	if _, errOut, code := run(t, "", "up", "--faults"); code != 2 || !strings.Contains(errOut, "--faults needs --admin") {
		t.Fatalf("--faults without --admin: exit %d, %q", code, errOut)
	}
	t.Setenv("COORDTUI_ADMIN_TOKEN", "")
	p, _ := startUp(t, "--admin", "127.0.0.1:0", "--faults")
	re := regexp.MustCompile(`admin API on (http://\S+); fault control on, token ([0-9a-f]{32})`)
	var m []string
	// stderr is copied on a goroutine of its own: it may lag stdout.
	eventually(t, 10*time.Second, "the admin address and token on stderr", func() bool {
		m = re.FindStringSubmatch(p.Stderr())
		return m != nil
	})
	ctx := ctxFor(t, 20*time.Second)
	c, err := admin.NewClient(m[1], m[2], nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(ctx)
	if err != nil || len(st.Members) != 3 {
		t.Fatalf("status %+v %v", st, err)
	}
	if _, err := c.Fault(ctx, "links/isolate", url.Values{"member": {"n2"}}); err != nil {
		t.Fatal(err)
	}
	other, _ := admin.NewClient(m[1], "guess", nil)
	if _, err := other.Fault(ctx, "links/heal", nil); !errors.Is(err, admin.ErrBadToken) {
		t.Fatalf("a wrong token: %v", err)
	}
	if code := p.stop(t, syscall.SIGTERM, 20*time.Second); code != 0 {
		t.Errorf("exit code %d; stderr:\n%s", code, p.Stderr())
	}
}
