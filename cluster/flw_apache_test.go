package cluster

import (
	"slices"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/zk/zktest"
)

// Apache ZooKeeper 3.8 is the oracle for the four-letter words: the same
// workload runs against it and against a coordtui leader, and the keys of
// every answer (field names, line layouts; never values) must agree. The
// captured answers in testdata/flw/apache-3.8 keep the comparison running
// where Java is absent; -flw.capture re-records them.

// quorumOnlyMntr are the keys a quorum member prints and a standalone
// Apache ZooKeeper, the oracle here, does not.
var quorumOnlyMntr = []string{"zk_peer_state", "zk_quorum_size", "zk_learners", "zk_followers",
	"zk_synced_followers", "zk_synced_non_voting_followers", "zk_synced_observers", "zk_pending_syncs",
	"zk_leader_uptime", "zk_last_proposal_size", "zk_max_proposal_size", "zk_min_proposal_size"}

// requiredMntr are the classic keys monitoring tools read; both must print
// them.
var requiredMntr = []string{"zk_version", "zk_server_state", "zk_znode_count", "zk_watch_count",
	"zk_ephemerals_count", "zk_approximate_data_size", "zk_num_alive_connections", "zk_outstanding_requests",
	"zk_packets_received", "zk_packets_sent", "zk_avg_latency", "zk_min_latency", "zk_max_latency",
	"zk_open_file_descriptor_count", "zk_max_file_descriptor_count", "zk_uptime", "zk_global_sessions"}

func TestFourLetterKeysMatchApache(t *testing.T) {
	ours := ourAnswers(t)
	t.Run("captured", func(t *testing.T) {
		apache := map[string]string{}
		for _, w := range flwWords {
			apache[w] = readGolden(t, "apache-3.8", w)
		}
		compareKeys(t, ours, apache)
	})
	t.Run("live", func(t *testing.T) {
		addr := zktest.StartApache(t) // skips, saying why, without Java
		flwWorkload(t, addr)
		apache := map[string]string{}
		for _, w := range flwWords {
			apache[w] = ask(t, addr, w)
			if *flwCapture {
				golden(t, "apache-3.8", w, apache[w], true)
			}
		}
		compareKeys(t, ours, apache)
	})
}

// ourAnswers asks every word of a coordtui leader that carries the workload.
func ourAnswers(t *testing.T) map[string]string {
	e := testEnsemble(t, 3, withClients)
	addr := e.ClientAddr(waitLeader(t, e).ID())
	flwWorkload(t, addr)
	srv := e.Server(waitLeader(t, e).ID())
	eventually(t, 5*time.Second, "the leader tracks the session", func() bool { return len(srv.SessionExpiry()) == 1 })
	out := map[string]string{}
	for _, w := range flwWords {
		out[w] = ask(t, addr, w)
	}
	return out
}

func compareKeys(t *testing.T, ours, apache map[string]string) {
	t.Helper()
	for _, w := range flwWords {
		o, a := flwKeys(w, ours[w]), flwKeys(w, apache[w])
		var missing, extra []string // Apache's keys we lack; ours Apache lacks
		switch w {
		case "hash":
			// Apache keeps a digest history only once digests are logged
			// (every 128 transactions); coordtui prints the current one.
			continue
		case "mntr":
			for _, k := range requiredMntr {
				if !slices.Contains(o, k) || !slices.Contains(a, k) {
					missing = append(missing, k)
				}
			}
			for _, k := range diffKeys(o, a) {
				if strings.HasPrefix(k, "zk_") && !slices.Contains(quorumOnlyMntr, k) {
					extra = append(extra, k)
				}
			}
		case "srvr", "stat":
			missing = diffKeys(a, o)
			extra = without(diffKeys(o, a), func(k string) bool { return k == "Proposal sizes last/min/max" })
		case "conf":
			// The quorum part has no standalone counterpart.
			missing = diffKeys(a, o)
			extra = without(diffKeys(o, a), func(k string) bool {
				return slices.Contains([]string{"electionPort", "quorumPort", "peerType", "membership: ", "version"}, k) ||
					strings.HasPrefix(k, "server.")
			})
		case "envi":
			// No JVM here: coordtui names its runtime instead.
			missing = diffKeys([]string{"Environment:", "zookeeper.version", "host.name", "os.name", "os.arch",
				"os.version", "user.name", "user.home", "user.dir"}, o)
			extra = without(diffKeys(o, a), func(k string) bool { return strings.HasPrefix(k, "go.") })
		default:
			missing, extra = diffKeys(a, o), diffKeys(o, a)
		}
		if len(missing) > 0 || len(extra) > 0 {
			t.Errorf("%s: missing %q, extra %q\n--- ours\n%s\n--- apache\n%s", w, missing, extra, ours[w], apache[w])
		}
	}
}

func without(keys []string, drop func(string) bool) []string {
	return slices.DeleteFunc(keys, drop)
}
