package tree

import (
	"reflect"
	"testing"
)

func TestHasPerm(t *testing.T) {
	alice := ID{"digest", DigestID("alice", "pw")}
	bob := ID{"digest", DigestID("bob", "pw")}
	local := ID{"ip", "127.0.0.1"}
	v6 := ID{"ip", "2001:db8::7"}
	for _, tc := range []struct {
		name string
		acl  []ACL
		auth []ID
		perm int32
		want bool
	}{
		{"world anyone", OpenACL, nil, PermWrite, true},
		{"read-only world", ReadACL, nil, PermWrite, false},
		{"read-only world read", ReadACL, nil, PermRead, true},
		{"empty ACL allows", nil, nil, PermAdmin, true},
		{"world other id", []ACL{{PermAll, ID{"world", "someone"}}}, nil, PermRead, false},
		{"digest match", []ACL{{PermAll, alice}}, []ID{local, alice}, PermDelete, true},
		{"digest other user", []ACL{{PermAll, alice}}, []ID{bob}, PermRead, false},
		{"digest needs the bit", []ACL{{PermRead, alice}}, []ID{alice}, PermWrite, false},
		{"any bit of perm", []ACL{{PermAdmin, alice}}, []ID{alice}, PermRead | PermAdmin, true},
		{"super passes all", []ACL{{PermRead, alice}}, []ID{{"super", ""}}, PermAdmin, true},
		{"ip exact", []ACL{{PermAll, ID{"ip", "127.0.0.1"}}}, []ID{local}, PermRead, true},
		{"ip other", []ACL{{PermAll, ID{"ip", "127.0.0.2"}}}, []ID{local}, PermRead, false},
		{"ip prefix", []ACL{{PermAll, ID{"ip", "127.0.0.0/8"}}}, []ID{local}, PermRead, true},
		{"ip prefix 30", []ACL{{PermAll, ID{"ip", "127.0.0.4/30"}}}, []ID{{"ip", "127.0.0.7"}}, PermRead, true},
		{"ip prefix 30 miss", []ACL{{PermAll, ID{"ip", "127.0.0.4/30"}}}, []ID{{"ip", "127.0.0.8"}}, PermRead, false},
		{"ip /0", []ACL{{PermAll, ID{"ip", "10.1.2.3/0"}}}, []ID{local}, PermRead, true},
		{"ip v6 prefix", []ACL{{PermAll, ID{"ip", "2001:db8::/32"}}}, []ID{v6}, PermRead, true},
		{"ip v6 vs v4", []ACL{{PermAll, ID{"ip", "::/0"}}}, []ID{local}, PermRead, false},
		{"ip bad bits", []ACL{{PermAll, ID{"ip", "127.0.0.1/33"}}}, []ID{local}, PermRead, false},
		{"ip scheme needs ip id", []ACL{{PermAll, ID{"ip", "127.0.0.1"}}}, []ID{{"digest", "127.0.0.1"}}, PermRead, false},
		{"unknown scheme", []ACL{{PermAll, ID{"sasl", "alice"}}}, []ID{{"sasl", "alice"}}, PermRead, false},
	} {
		if got := HasPerm(tc.acl, tc.auth, tc.perm); got != tc.want {
			t.Errorf("%s: HasPerm = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestIPExpressions(t *testing.T) {
	for expr, valid := range map[string]bool{
		"127.0.0.1": true, "0.0.0.0/0": true, "10.0.0.0/8": true, "10.0.0.0/32": true, "010.1.+1.0": true,
		"10.0.0.0/33": false, "10.0.0.0/-1": false, "10.0.0": false, "10.0.0.0.0": false, "10.0.0.x": false,
		"1:2:3:4:5:6:7:8": true, "::": true, "::1": true, "fe80::": true, "::1/128": true, "2001:db8::/32": true,
		"1:2:3:4:5:6:7": false, "1::2::3": false, "12345::": false, "g::1": false, "::1/129": false,
		"1:2:3:4::5:6:7:8": false, ":1:2:3:4:5:6:7": false, "": false, "localhost": false,
	} {
		if validIPExpr(expr) != valid {
			t.Errorf("validIPExpr(%q) = %v", expr, !valid)
		}
	}
	for _, tc := range []struct {
		id, expr string
		want     bool
	}{
		{"::1", "::1", true}, {"::1", "::2", false}, {"::1", "::/127", true}, {"2001:db8:0:0:0:0:0:7", "2001:db8::7", true},
		{"192.168.1.77", "192.168.1.64/26", true}, {"192.168.1.128", "192.168.1.64/26", false},
		{"bogus", "0.0.0.0/0", false}, {"127.0.0.1", "bogus/8", false},
	} {
		if got := ipMatches(tc.id, tc.expr); got != tc.want {
			t.Errorf("ipMatches(%s, %s) = %v", tc.id, tc.expr, got)
		}
	}
}

func TestFixupACL(t *testing.T) {
	alice := ID{"digest", DigestID("alice", "pw")}
	bob := ID{"digest", DigestID("bob", "pw")}
	local := ID{"ip", "127.0.0.1"}
	for _, tc := range []struct {
		name string
		acl  []ACL
		auth []ID
		want []ACL
		code Code
	}{
		{"open", OpenACL, nil, OpenACL, OK},
		{"empty", []ACL{}, nil, nil, ErrInvalidACL},
		{"nil", nil, nil, nil, ErrInvalidACL},
		{"duplicates dropped", []ACL{OpenACL[0], ReadACL[0], OpenACL[0]}, nil, []ACL{OpenACL[0], ReadACL[0]}, OK},
		{"world other", []ACL{{PermAll, ID{"world", "all"}}}, nil, nil, ErrInvalidACL},
		{"unknown scheme", []ACL{{PermAll, ID{"sasl", "x"}}}, nil, nil, ErrInvalidACL},
		{"super is no ACL scheme", []ACL{{PermAll, ID{"super", ""}}}, nil, nil, ErrInvalidACL},
		{"digest ok", []ACL{{PermAll, alice}}, nil, []ACL{{PermAll, alice}}, OK},
		{"digest no colon", []ACL{{PermAll, ID{"digest", "alice"}}}, nil, nil, ErrInvalidACL},
		{"digest empty hash", []ACL{{PermAll, ID{"digest", "alice:"}}}, nil, nil, ErrInvalidACL},
		{"digest empty user", []ACL{{PermAll, ID{"digest", ":hash"}}}, nil, []ACL{{PermAll, ID{"digest", ":hash"}}}, OK},
		{"digest two colons", []ACL{{PermAll, ID{"digest", "a:b:c"}}}, nil, nil, ErrInvalidACL},
		{"digest trailing colons", []ACL{{PermAll, ID{"digest", "a:b::"}}}, nil, []ACL{{PermAll, ID{"digest", "a:b::"}}}, OK},
		{"ip ok", []ACL{{PermRead, ID{"ip", "10.0.0.0/8"}}}, nil, []ACL{{PermRead, ID{"ip", "10.0.0.0/8"}}}, OK},
		{"ip v6 ok", []ACL{{PermRead, ID{"ip", "fe80::1"}}}, nil, []ACL{{PermRead, ID{"ip", "fe80::1"}}}, OK},
		{"ip bad", []ACL{{PermRead, ID{"ip", "10.0.0"}}}, nil, nil, ErrInvalidACL},
		{"ip octet", []ACL{{PermRead, ID{"ip", "10.0.0.256"}}}, nil, nil, ErrInvalidACL},
		{"ip bits", []ACL{{PermRead, ID{"ip", "10.0.0.1/x"}}}, nil, nil, ErrInvalidACL},
		{"ip v6 too many", []ACL{{PermRead, ID{"ip", "1:2:3:4:5:6:7::8"}}}, nil, nil, ErrInvalidACL},
		{"ip hostname", []ACL{{PermRead, ID{"ip", "localhost"}}}, nil, nil, ErrInvalidACL},
		{"auth expands digest ids", CreatorAllACL, []ID{local, alice, bob}, []ACL{{PermAll, alice}, {PermAll, bob}}, OK},
		{"auth keeps order around it", []ACL{ReadACL[0], {PermAdmin, ID{"auth", "ignored"}}},
			[]ID{alice}, []ACL{ReadACL[0], {PermAdmin, alice}}, OK},
		{"auth with only ip", CreatorAllACL, []ID{local}, nil, ErrInvalidACL},
		{"auth with only super", CreatorAllACL, []ID{{"super", ""}}, nil, ErrInvalidACL},
		{"auth without ids", CreatorAllACL, nil, nil, ErrInvalidACL},
	} {
		got, code := fixupACL(tc.acl, tc.auth)
		if code != tc.code || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: fixupACL = %v %v, want %v %v", tc.name, got, code, tc.want, tc.code)
		}
	}
}

func TestACLsThroughTheTree(t *testing.T) {
	h := newHarness(t)
	alice := ID{"digest", DigestID("alice", "pw")}
	eve := ID{"digest", DigestID("eve", "pw")}
	h.session(1)
	as := func(who ID, op Op) Code { return h.do(1, []ID{{"ip", "127.0.0.1"}, who}, op).Err }

	// Alice makes a node only she may touch, world-readable.
	mine := Op{Type: OpCreate, Path: "/alice", Data: []byte("a"), ACL: []ACL{{PermAll, ID{"auth", ""}}, ReadACL[0]}}
	if c := as(alice, mine); c != OK {
		t.Fatalf("create: %v", c)
	}
	for _, tc := range []struct {
		name string
		who  ID
		op   Op
		want Code
	}{
		{"eve cannot write", eve, mkSet("/alice", "x", -1), ErrNoAuth},
		{"eve cannot create under", eve, mkCreate("/alice/x", "", Persistent), ErrNoAuth},
		{"eve cannot setACL", eve, Op{Type: OpSetACL, Path: "/alice", ACL: OpenACL, Version: -1}, ErrNoAuth},
		{"alice writes", alice, mkSet("/alice", "b", -1), OK},
		{"alice creates under", alice, mkCreate("/alice/x", "", Persistent), OK},
		{"eve cannot delete under", eve, mkDelete("/alice/x", -1), ErrNoAuth},
		{"alice deletes under", alice, mkDelete("/alice/x", -1), OK},
		{"check needs READ: world has it", eve, Op{Type: OpMulti, Ops: []Op{{Type: OpCheck, Path: "/alice", Version: -1}}}, OK},
	} {
		if got := as(tc.who, tc.op); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}

	// getACL: READ suffices to see it, masked; ADMIN shows the hash.
	masked := []ACL{{PermAll, ID{"digest", "alice:x"}}, ReadACL[0]}
	if acl, _, err := h.tr.GetACL("/alice", []ID{eve}); err != nil || !reflect.DeepEqual(acl, masked) {
		t.Errorf("eve's getACL = %v %v, want %v", acl, err, masked)
	}
	if acl, _, err := h.tr.GetACL("/alice", []ID{alice}); err != nil || acl[0].ID != alice {
		t.Errorf("alice's getACL = %v %v", acl, err)
	}
	// A node without READ or ADMIN for the caller: NOAUTH for getACL and reads,
	// but exists (3.8 rule) still answers; ExistsAuth (3.9.2+) refuses.
	if c := as(alice, Op{Type: OpSetACL, Path: "/alice", ACL: []ACL{{PermWrite, alice}}, Version: -1}); c != OK {
		t.Fatalf("setACL: %v", c)
	}
	if _, _, err := h.tr.GetACL("/alice", []ID{eve}); err != ErrNoAuth {
		t.Errorf("getACL without READ/ADMIN: %v", err)
	}
	if _, _, err := h.tr.Get("/alice", []ID{eve}); err != ErrNoAuth {
		t.Errorf("get without READ: %v", err)
	}
	if _, _, err := h.tr.Children("/alice", []ID{alice}); err != ErrNoAuth {
		t.Errorf("children without READ: %v", err)
	}
	if _, err := h.tr.Exists("/alice"); err != nil {
		t.Errorf("exists: %v", err)
	}
	if _, err := h.tr.ExistsAuth("/alice", []ID{eve}); err != ErrNoAuth {
		t.Errorf("ExistsAuth without READ: %v", err)
	}
	if _, err := h.tr.ExistsAuth("/nope", []ID{eve}); err != ErrNoNode {
		t.Errorf("ExistsAuth of a missing node: %v", err)
	}
	if _, _, err := h.tr.Get("/alice", []ID{{"super", ""}}); err != nil {
		t.Errorf("super cannot read: %v", err)
	}
	// The returned ACL is a copy.
	acl, _, _ := h.tr.GetACL("/", nil)
	acl[0].Perms = 0
	if acl2, _, _ := h.tr.GetACL("/", nil); acl2[0].Perms != PermAll {
		t.Error("GetACL returned the tree's own slice")
	}
}
