package tree

import (
	"errors"
	"fmt"
	"testing"
)

func TestZxid(t *testing.T) {
	z := MakeZxid(2, 0x1e)
	if z.Epoch() != 2 || z.Counter() != 0x1e {
		t.Fatalf("epoch/counter of %d: %d/%d", z, z.Epoch(), z.Counter())
	}
	for _, tc := range []struct {
		z        Zxid
		str, hex string
	}{
		{MakeZxid(2, 0x1e), "0x2_0000001e", "0x20000001e"},
		{0, "0x0_00000000", "0x0"},
		{MakeZxid(0xabc, 0xffffffff), "0xabc_ffffffff", "0xabcffffffff"},
		{-1, "0xffffffff_ffffffff", "0xffffffffffffffff"},
	} {
		if tc.z.String() != tc.str || tc.z.Hex() != tc.hex {
			t.Errorf("%d: String %q Hex %q, want %q %q", int64(tc.z), tc.z.String(), tc.z.Hex(), tc.str, tc.hex)
		}
	}
	for _, tc := range []struct {
		last  Zxid
		epoch uint32
		want  Zxid
	}{
		{MakeZxid(1, 5), 1, MakeZxid(1, 6)},
		{MakeZxid(1, 5), 3, MakeZxid(3, 1)},
		{MakeZxid(3, 5), 2, MakeZxid(3, 6)}, // never backwards
		{MakeZxid(1, 0xffffffff), 1, MakeZxid(2, 0)},
		{0, 1, MakeZxid(1, 1)},
	} {
		if got := NextZxid(tc.last, tc.epoch); got != tc.want {
			t.Errorf("NextZxid(%v, %d) = %v, want %v", tc.last, tc.epoch, got, tc.want)
		}
	}
}

func TestCode(t *testing.T) {
	for _, tc := range []struct {
		c    Code
		name string
		val  int32
	}{
		{OK, "OK", 0}, {ErrSystemError, "SYSTEMERROR", -1}, {ErrRuntimeInconsistency, "RUNTIMEINCONSISTENCY", -2},
		{ErrMarshallingError, "MARSHALLINGERROR", -5}, {ErrBadArguments, "BADARGUMENTS", -8},
		{ErrUnknownSession, "UNKNOWNSESSION", -12}, {ErrAPIError, "APIERROR", -100},
		{ErrNoNode, "NONODE", -101}, {ErrNoAuth, "NOAUTH", -102}, {ErrBadVersion, "BADVERSION", -103},
		{ErrNoChildrenForEphemerals, "NOCHILDRENFOREPHEMERALS", -108}, {ErrNodeExists, "NODEEXISTS", -110},
		{ErrNotEmpty, "NOTEMPTY", -111}, {ErrSessionExpired, "SESSIONEXPIRED", -112},
		{ErrInvalidACL, "INVALIDACL", -114}, {ErrSessionMoved, "SESSIONMOVED", -118},
		{ErrNoWatcher, "NOWATCHER", -121}, {ErrReconfigDisabled, "RECONFIGDISABLED", -123},
		{ErrQuotaExceeded, "QUOTAEXCEEDED", -125}, {ErrThrottledOp, "THROTTLEDOP", -127},
		{Code(-999), "Code(-999)", -999},
	} {
		if tc.c.String() != tc.name || int32(tc.c) != tc.val {
			t.Errorf("code %d: %q, want %q (%d)", int32(tc.c), tc.c.String(), tc.name, tc.val)
		}
	}
	err := fmt.Errorf("reading /x: %w", error(ErrNoNode))
	if !errors.Is(err, ErrNoNode) || errors.Is(err, ErrNodeExists) {
		t.Fatal("errors.Is does not see through wrapping")
	}
	if ErrNoNode.Error() != "zk: node does not exist" {
		t.Fatalf("Error() = %q", ErrNoNode.Error())
	}
	if asError(OK) != nil {
		t.Fatal("OK became an error")
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{OpCreate.String(), "create"}, {OpSetData.String(), "setData"}, {OpGetChildren2.String(), "getChildren2"},
		{OpCreateTTL.String(), "createTTL"}, {OpMultiRead.String(), "multiRead"}, {OpWhoAmI.String(), "whoAmI"},
		{OpCreateSession.String(), "createSession"}, {OpCloseSession.String(), "closeSession"},
		{OpError.String(), "error"}, {OpType(10).String(), "unknown 10"},
		{Persistent.String(), "PERSISTENT"}, {EphemeralSequential.String(), "EPHEMERAL_SEQUENTIAL"},
		{PersistentSequentialWithTTL.String(), "PERSISTENT_SEQUENTIAL_WITH_TTL"}, {CreateMode(7).String(), "CreateMode(7)"},
		{EventNodeCreated.String(), "NodeCreated"}, {EventNodeChildrenChanged.String(), "NodeChildrenChanged"},
		{PermString(PermAll), "cdrwa"}, {PermString(PermRead | PermAdmin), "ra"}, {PermString(0), ""},
		{OpenACL[0].String(), "world:anyone=cdrwa"},
		{Fired{Watcher: 7, Type: EventNodeDeleted, Path: "/lock/l-0000000003"}.String(), "NodeDeleted /lock/l-0000000003 -> w7"},
		{Stat{Czxid: MakeZxid(1, 2), Mzxid: MakeZxid(1, 3), Pzxid: MakeZxid(1, 2), Ctime: 5, Mtime: 6, Version: 1, EphemeralOwner: 0x1000, DataLength: 3}.String(),
			"czxid=0x1_00000002 mzxid=0x1_00000003 pzxid=0x1_00000002 ctime=5 mtime=6 version=1 cversion=0 aversion=0 ephemeralOwner=0x1000 dataLength=3 numChildren=0"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	modes := []struct {
		m                             CreateMode
		eph, seq, container, ttl, val bool
	}{
		{Persistent, false, false, false, false, true},
		{Ephemeral, true, false, false, false, true},
		{PersistentSequential, false, true, false, false, true},
		{EphemeralSequential, true, true, false, false, true},
		{Container, false, false, true, false, true},
		{PersistentWithTTL, false, false, false, true, true},
		{PersistentSequentialWithTTL, false, true, false, true, true},
		{7, false, false, false, false, false},
		{-1, false, false, false, false, false},
	}
	for _, m := range modes {
		if m.m.IsEphemeral() != m.eph || m.m.IsSequential() != m.seq || m.m.IsContainer() != m.container || m.m.IsTTL() != m.ttl || m.m.Valid() != m.val {
			t.Errorf("mode %d predicates wrong", m.m)
		}
	}
}

func TestDigestID(t *testing.T) {
	// zkCli's "addauth digest super:admin" id, as DigestAuthenticationProvider.generateDigest computes it.
	if got := DigestID("super", "admin"); got != "super:xQJmxLMiHGwaqBvst5y6rkB6HQs=" {
		t.Fatalf("DigestID = %q", got)
	}
}
