package cluster

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/zk/zktest"
)

// zkCliPath is Debian's ZooKeeper command line client (the Java client).
const zkCliPath = "/usr/share/zookeeper/bin/zkCli.sh"

// zkCliScript is one zkCli session, fed on stdin so that the JVM starts
// once per server. Commands whose output order depends on the server's
// hash order (ls -R, deleteall of several children) are kept to cases the
// normalisation below makes comparable.
var zkCliScript = []string{
	"create /app v1",
	"create /app dup",
	"create -e /app/eph e",
	"create -s /app/seq- s",
	"create -s /app/seq- s",
	"create -e -s /app/es- x",
	"create -c /cont",
	"create -t 3600000 /ttl t",
	"create /missing/x",
	"ls /",
	"ls -s /app",
	"ls -R /app",
	"ls -s -R /app",
	"stat /app",
	"stat /missing",
	"get -s /app",
	"get /missing",
	"set -v 0 /app v2",
	"set -v 0 /app v3",
	"set -s /app v4",
	"get -s /app/eph",
	"getAcl /app",
	"getAcl -s /app",
	"addauth digest alice:secret",
	"create /secret s digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdrwa",
	"getAcl /secret",
	"setAcl /app auth::cdrwa",
	"getAcl /app",
	"setAcl -v 5 /app world:anyone:cdrwa",
	"create /ro x world:anyone:r",
	"set /ro nope",
	"getAcl /ro",
	"whoami",
	"sync /app",
	"getEphemerals",
	"getEphemerals /app",
	"getAllChildrenNumber /",
	"getAllChildrenNumber /app",
	"config",
	"addWatch -m PERSISTENT /app",
	"create /app/new",
	"addWatch -m PERSISTENT_RECURSIVE /cont",
	"create /cont/deep x",
	"set /cont/deep y",
	"delete /app",
	"delete -v 7 /app/new",
	"delete /app/new",
	"deleteall /cont",
	"stat /cont",
	"ls /",
	"quit",
}

// TestCompatZkCli drives zkCli.sh with the same commands against Apache
// ZooKeeper and against coordtui and compares what it prints, after
// normalising zxids (to their counter), times, session ids and the order of
// children, which ZooKeeper returns in hash order. Notifications, which
// zkCli prints from another thread, are compared as a separate sequence.
func TestCompatZkCli(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts two JVMs")
	}
	if _, err := os.Stat(zkCliPath); err != nil {
		t.Skipf("zkCli.sh not installed (apt-get install zookeeper): %v", err)
	}
	if err := zktest.Available(); err != nil {
		t.Skipf("Apache ZooKeeper not available: %v", err)
	}
	apache := zktest.StartApache(t, zktest.Config{TickTime: compatTick})
	e := testEnsemble(t, 3, withClients)

	want := runZkCli(t, apache)
	got := runZkCli(t, e.ClientAddr(1))
	for _, part := range []struct {
		name      string
		want, got []string
	}{
		{"output", want.out, got.out},
		{"notifications", want.events, got.events},
		{"messages (stderr)", want.err, got.err},
	} {
		if !slices.Equal(part.want, part.got) {
			t.Errorf("zkCli %s differ:\n%s", part.name, compatLineDiff(part.want, part.got))
		}
	}
}

// zkCliOutput is what one zkCli run printed, normalised.
type zkCliOutput struct {
	out, events, err []string
}

func runZkCli(t *testing.T, addr string) zkCliOutput {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, zkCliPath, "-server", addr)
	cmd.Env = append(os.Environ(), "ZOO_LOG_DIR="+t.TempDir(),
		"CLIENT_JVMFLAGS=-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
	cmd.Stdin = strings.NewReader(strings.Join(zkCliScript, "\n") + "\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("zkCli against %s: %v\n%s%s", addr, err, stdout.String(), stderr.String())
	}
	var o zkCliOutput
	for _, l := range strings.Split(stdout.String(), "\n") {
		switch {
		case strings.HasPrefix(l, "WatchedEvent "):
			o.events = append(o.events, l)
		case l == "" || l == "WATCHER::" || strings.HasPrefix(l, "Connecting to "):
		case zkCliQuorumConfig.MatchString(l):
			// /zookeeper/config: empty on a standalone server, the
			// membership on an ensemble (as on a ZooKeeper quorum).
		default:
			o.out = append(o.out, l)
		}
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if l != "" && !strings.HasPrefix(l, "SLF4J:") {
			o.err = append(o.err, l)
		}
	}
	base := zkCliBase(o.out)
	for _, ls := range [][]string{o.out, o.err} {
		for i, l := range ls {
			ls[i] = normaliseZkCli(l, base)
		}
	}
	o.out = sortRuns(o.out, func(l string) bool { return strings.HasPrefix(l, "/") })
	o.out = sortRuns(o.out, func(l string) bool { return zkCliIdentity.MatchString(l) })
	if *compatTrace {
		t.Logf("zkCli against %s:\n%s\n--- notifications\n%s\n--- stderr\n%s", addr,
			strings.Join(o.out, "\n"), strings.Join(o.events, "\n"), strings.Join(o.err, "\n"))
	}
	return o
}

// zkCliBase is the smallest zxid the output shows: the script's first
// write. Zxids print relative to it, so they compare across epochs and
// across a server that took zxids before the session came.
func zkCliBase(lines []string) uint64 {
	var base uint64
	for _, l := range lines {
		if m := zkCliZxid.FindStringSubmatch(l); m != nil {
			z, _ := strconv.ParseUint(m[2], 16, 64)
			if z != 0 && (base == 0 || z < base) {
				base = z
			}
		}
	}
	return base
}

var (
	zkCliQuorumConfig = regexp.MustCompile(`^(server\.\d+=.*|version=[0-9a-f]+)$`)
	zkCliZxid         = regexp.MustCompile(`^([cmp]Zxid = )0x([0-9a-f]+)$`)
	zkCliOwner        = regexp.MustCompile(`^ephemeralOwner = 0x[0-9a-f]*[1-9a-f][0-9a-f]*$`)
	zkCliTime         = regexp.MustCompile(`^([cm]time = ).*$`)
	zkCliIdentity     = regexp.MustCompile(`^(ip|digest|super|x509|sasl): `)
)

// normaliseZkCli prints zxids relative to base, and drops times and
// session ids.
func normaliseZkCli(l string, base uint64) string {
	if m := zkCliZxid.FindStringSubmatch(l); m != nil {
		z, _ := strconv.ParseUint(m[2], 16, 64)
		if z == 0 {
			return m[1] + "0"
		}
		return fmt.Sprintf("%sfirst+%d", m[1], int64(z-base))
	}
	if zkCliOwner.MatchString(l) {
		return "ephemeralOwner = <session>"
	}
	if m := zkCliTime.FindStringSubmatch(l); m != nil {
		return m[1] + "<time>"
	}
	if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
		items := strings.Split(l[1:len(l)-1], ", ")
		slices.Sort(items)
		return "[" + strings.Join(items, ", ") + "]"
	}
	return l
}

// sortRuns sorts each run of consecutive lines that match: what ls -R
// prints comes in the server's child order, whoami's ids in hash order.
func sortRuns(lines []string, match func(string) bool) []string {
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && match(lines[j]) {
			j++
		}
		slices.Sort(lines[i:j])
		i = j + 1
	}
	return lines
}

// compatLineDiff shows two line lists side by side from the first line
// where they differ.
func compatLineDiff(want, got []string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "  first difference at line %d\n  want (ZooKeeper):\n", i+1)
	for _, l := range want[i:] {
		sb.WriteString("\t" + l + "\n")
	}
	sb.WriteString("  got (coordtui):\n")
	for _, l := range got[i:] {
		sb.WriteString("\t" + l + "\n")
	}
	return sb.String()
}
