package cluster

// TestCompat runs the conformance scripts in testdata/compat against a
// 3-member coordtui ensemble and, when Debian's ZooKeeper 3.8 is installed,
// against Apache ZooKeeper too, and compares both with the golden
// transcripts. The goldens are recorded from Apache ZooKeeper only
// (go test ./cluster -run TestCompat -rewrite), never from coordtui, so a
// coordtui divergence fails the test until the server is fixed.
//
// Each script gets a fresh server of each kind, so scripts are independent
// and a transcript never depends on which ran before. Sessions speak the raw
// protocol through the cluster/zk codec, so every opcode is exercised, also
// the ones no client library sends, and malformed input.
//
// Where ZooKeeper 3.8 and 3.9 answer differently, coordtui does what 3.9
// does, and the transcript has a "# 3.9:" line under the 3.8 line (see
// compat_script_test.go). Every difference marked that way:
//
//   - Notification zxid (ZK-PROTOCOL.md §3.6, ZOOKEEPER-4655): 3.8 puts -1
//     in the header of every notification; 3.9 the zxid of the transaction
//     that triggered it (also for a session's expiry). Catch-up events of
//     setWatches carry -1 in both.
//   - create2 inside a multi (§3.7, ZOOKEEPER-4026): 3.8.0 answers with a
//     create result (type 1, path only); 3.9 with a create2 result (type 15,
//     path and stat). createContainer and createTTL answer 15 in both.
//   - A create op whose flags are no CreateMode inside a multi
//     (ZOOKEEPER-4026, in 3.9 and 3.8.4): 3.8.0 answers an error result
//     BADARGUMENTS; 3.9 cannot decode the multi and answers
//     MARSHALLINGERROR (still consuming a zxid).
//   - WatcherType Persistent (4) and PersistentRecursive (5) in
//     checkWatches/removeWatches (§3.9, ZOOKEEPER-4472): 3.8 answers
//     MARSHALLINGERROR; 3.9 checks or removes that kind of watch.
//   - checkWatches Data or Children where the connection holds only a
//     persistent or recursive watch: 3.8 says ok (it files those watches
//     like one-shot ones, a recursive one in both managers); 3.9 counts
//     one-shot watches only and answers NOWATCHER.
//   - removeWatches Data on a PERSISTENT watch (Appendix B): 3.8 removes its
//     data half and answers ok; 3.9 leaves it whole and answers NOWATCHER.
//   - A one-shot watch set where the same connection holds a persistent
//     watch (ZOOKEEPER-4466): in 3.8 it replaces the persistent one, so
//     after one event nothing more comes; in 3.9 both stay.
//
// Not compared, because a standalone oracle cannot show them: the content
// and stat of /zookeeper/config (empty on a standalone server, the
// membership with version -1 on an ensemble, as on a ZooKeeper quorum), and
// what happens to a session's old connection on another member when it
// reconnects elsewhere (each ZooKeeper server closes only its own).
//
// Everything else is expected to match 3.8 exactly, zxids included.

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/zk/zktest"
	"coordtui/tree"
)

var (
	compatRewrite = flag.Bool("rewrite", false, "re-record testdata/compat/*.txt from Apache ZooKeeper (the oracle)")
	compatDump    = flag.String("compat.dump", "", "write what each server printed to `DIR`/<script>.<server>.txt, for reading a divergence whole")
	compatTrace   = flag.Bool("compat.trace", false, "log slow script commands and zkCli's normalised output")
)

// compatTick is the session tick of both servers: coordtui's test ensemble
// uses 200 ms, and Apache ZooKeeper runs with the same tickTime so that both
// negotiate session timeouts alike and expiry is quick.
const compatTick = 200 * time.Millisecond

func TestCompat(t *testing.T) {
	files, err := filepath.Glob("testdata/compat/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata/compat: %v", err)
	}
	apache := zktest.Available()
	if *compatRewrite && apache != nil {
		t.Fatalf("-rewrite records from Apache ZooKeeper, which is not available: %v", apache)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			s, err := parseCompatScript(f)
			if err != nil {
				t.Fatal(err)
			}
			if *compatRewrite {
				rerecordCompat(t, s, runCompat(t, compatApache(t), s))
				return
			}
			t.Run("zookeeper", func(t *testing.T) {
				if apache != nil {
					t.Skipf("Apache ZooKeeper not available: %v", apache)
				}
				if testing.Short() {
					t.Skip("-short: the goldens are not checked against the oracle")
				}
				got := runCompat(t, compatApache(t), s)
				dumpCompat(t, s, "zookeeper", got)
				checkCompat(t, s, got, false)
			})
			t.Run("coordtui", func(t *testing.T) {
				got := runCompat(t, compatCoordtui(t), s)
				dumpCompat(t, s, "coordtui", got)
				checkCompat(t, s, got, true)
			})
		})
	}
}

func compatApache(t *testing.T) *compatTarget {
	addr := zktest.StartApache(t, zktest.Config{TickTime: compatTick})
	return &compatTarget{name: "zookeeper-3.8", addr: func(int) string { return addr }}
}

func compatCoordtui(t *testing.T) *compatTarget {
	e := testEnsemble(t, 3, withClients, func(c *EnsembleConfig) { c.Sessions.TickTime = compatTick })
	return &compatTarget{
		name: "coordtui", v39: true,
		addr: func(m int) string { return e.ClientAddr(uint64(m)) },
		settle: func(m int, zxid int64) error {
			n := e.Node(uint64(m))
			if n == nil {
				return fmt.Errorf("member %d is down", m)
			}
			deadline := time.Now().Add(compatIOTimeout)
			for {
				var last tree.Zxid
				n.View(func(t *tree.Tree) { last = t.LastZxid() })
				if int64(last) >= zxid {
					return nil
				}
				if time.Now().After(deadline) {
					return fmt.Errorf("member %d stuck at zxid %#x, the script saw %#x", m, int64(last), zxid)
				}
				time.Sleep(2 * time.Millisecond)
			}
		},
	}
}

// runCompat runs every command of s in order and returns each transcript.
func runCompat(t *testing.T, tg *compatTarget, s *compatScript) [][]string {
	r := newCompatRun(tg)
	defer r.closeAll()
	out := make([][]string, len(s.blocks))
	for i := range s.blocks {
		st := time.Now()
		out[i] = r.exec(&s.blocks[i])
		if d := time.Since(st); d > 300*time.Millisecond && *compatTrace {
			t.Logf("%s: %s:%d %s took %v", tg.name, s.path, s.blocks[i].line, s.blocks[i].cmd[0], d)
		}
	}
	return out
}

func checkCompat(t *testing.T, s *compatScript, got [][]string, v39 bool) {
	t.Helper()
	for i := range s.blocks {
		b := &s.blocks[i]
		want := b.expected(v39)
		if slices.Equal(want, got[i]) {
			continue
		}
		t.Errorf("%s:%d: %s\n  want:\n\t%s\n  got:\n\t%s", s.path, b.line, strings.Join(b.cmd, " | "),
			strings.Join(want, "\n\t"), strings.Join(got[i], "\n\t"))
	}
}

// rerecordCompat stores what the oracle printed. A "# 3.9:" line survives
// only while everything the oracle printed up to it is unchanged: its
// relative zxids depend on all that came before. Dropped ones are logged,
// to be written again by hand.
func rerecordCompat(t *testing.T, s *compatScript, got [][]string) {
	same := true
	for i := range s.blocks {
		b := &s.blocks[i]
		same = same && slices.Equal(b.expected(false), got[i])
		var dropped []string
		if !same {
			for _, l := range b.want {
				if strings.HasPrefix(l, compatAlt39Mark) {
					dropped = append(dropped, l)
				}
			}
			b.want = b.expected(false)
		}
		dropped = append(dropped, b.rerecord(got[i])...)
		for _, l := range dropped {
			t.Logf("%s:%d: dropped %q: the transcript changed, write it again if it still holds", s.path, b.line, l)
		}
	}
	if err := os.WriteFile(s.path, []byte(s.format()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func dumpCompat(t *testing.T, s *compatScript, server string, got [][]string) {
	if *compatDump == "" {
		return
	}
	c := *s
	c.blocks = slices.Clone(s.blocks)
	for i := range c.blocks {
		c.blocks[i].want = got[i]
	}
	name := strings.TrimSuffix(filepath.Base(s.path), ".txt") + "." + server + ".txt"
	if err := os.WriteFile(filepath.Join(*compatDump, name), []byte(c.format()), 0o644); err != nil {
		t.Error(err)
	}
}
