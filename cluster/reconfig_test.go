package cluster

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/zk"
	"coordtui/tree"
)

func TestConfigListsEveryMemberWithItsClientAddress(t *testing.T) {
	e := testEnsemble(t, 3, withClients)
	var ms []MemberConfig
	eventually(t, 10*time.Second, "every member has the config", func() bool {
		for _, n := range e.Nodes() {
			got, version, err := n.Config()
			if err != nil || len(got) != 3 || version <= 0 {
				return false
			}
			ms = got
		}
		return true
	})
	for _, m := range ms {
		if m.ClientAddr != e.ClientAddr(m.ID) || m.Observer {
			t.Fatalf("member %v, client address %s", m, e.ClientAddr(m.ID))
		}
	}
}

func TestReconfigNeedsEnablingAndTheSuperUser(t *testing.T) {
	const superPass = "s3cret"
	e := testEnsemble(t, 3, func(c *EnsembleConfig) {
		c.Client = &ServerConfig{ReconfigEnabled: true, SuperDigest: tree.DigestID("super", superPass)}
	})
	ctx := ctxT(t, 60*time.Second)
	plain := connectZK(t, e.ConnString())
	if _, _, err := plain.Reconfig(ctx, "", "3", "", -1); !errors.Is(err, zk.ErrNoAuth) {
		t.Fatalf("reconfig without super: %v", err)
	}
	// Remove a follower, through the leader: removing the member a client
	// is on, or the leader, may cost the reply (connection loss), as in
	// ZooKeeper.
	leader := waitLeader(t, e)
	var victim uint64
	for _, id := range e.IDs() {
		if id != leader.ID() {
			victim = id
		}
	}
	super := connectZK(t, e.ClientAddr(leader.ID()), zk.WithAuth("digest", []byte("super:"+superPass)))
	if _, _, err := super.Reconfig(ctx, "", fmt.Sprint(victim), "", 12345); !errors.Is(err, zk.ErrBadVersion) {
		t.Fatalf("reconfig from a stale version: %v", err)
	}
	data, _, err := super.Reconfig(ctx, "", fmt.Sprint(victim), "", -1)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), fmt.Sprintf("server.%d=", victim)) || !strings.Contains(string(data), fmt.Sprintf("server.%d=", leader.ID())) {
		t.Fatalf("config after removing %d:\n%s", victim, data)
	}
	eventually(t, 10*time.Second, "raft has two voters", func() bool {
		f := leader.raft.GetConfiguration()
		return f.Error() == nil && len(f.Configuration().Servers) == 2
	})
}

func TestReconfigDisabledByDefault(t *testing.T) {
	e := testEnsemble(t, 1, withClients)
	c := connectZK(t, e.ConnString())
	if _, _, err := c.Reconfig(ctxT(t, 10*time.Second), "", "1", "", -1); !errors.Is(err, zk.ErrReconfigDisabled) {
		t.Fatalf("reconfig: %v", err)
	}
}
