package zk

import (
	"errors"
	"reflect"
	"sort"
	"testing"

	"coordtui/cluster/zk/zktest"
)

func TestDigestAuthAndACL(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	alice := connect(t, addr)
	root := testRoot(t, alice)
	mustOK(t, alice.AddAuth(ctx, "digest", []byte("alice:secret")), "addAuth")

	// "auth" expands to every id the connection authenticated as.
	_, err := alice.Create(ctx, root+"/private", []byte("s3cret"), AuthACL(PermAll), ModePersistent)
	mustOK(t, err, "create with auth ACL")
	acl, _, err := alice.GetACL(ctx, root+"/private")
	mustOK(t, err, "getACL")
	if want := DigestACL(PermAll, "alice", "secret"); !reflect.DeepEqual(acl, want) {
		t.Fatalf("ACL %v, want %v (DigestID must match the server's hash)", acl, want)
	}
	who, err := alice.WhoAmI(ctx)
	mustOK(t, err, "whoAmI")
	sort.Slice(who, func(i, j int) bool { return who[i].AuthScheme < who[j].AuthScheme })
	if want := []ClientInfo{{"digest", "alice"}, {"ip", "127.0.0.1"}}; !reflect.DeepEqual(who, want) {
		t.Fatalf("whoAmI %v, want %v", who, want)
	}

	bobStates := newLog[StateEvent]()
	bob := connect(t, addr, WithStateCallback(bobStates.add))
	if _, _, err := bob.Get(ctx, root+"/private"); !errors.Is(err, ErrNoAuth) {
		t.Fatalf("unauthenticated get: %v", err)
	}
	mustOK(t, bob.AddAuth(ctx, "digest", []byte("alice:wrong")), "addAuth with a wrong password")
	if _, _, err := bob.Get(ctx, root+"/private"); !errors.Is(err, ErrNoAuth) {
		t.Fatalf("get with a wrong password: %v", err)
	}

	// WithAuth sends the credential before the first request.
	carol := connect(t, addr, WithAuth("digest", []byte("alice:secret")))
	data, _, err := carol.Get(ctx, root+"/private")
	mustOK(t, err, "get with WithAuth")
	if string(data) != "s3cret" {
		t.Fatalf("data %q", data)
	}

	// An unknown scheme is refused and ZooKeeper drops the connection; the
	// session survives and the client reconnects without the credential.
	sid := bob.SessionID()
	if err := bob.AddAuth(ctx, "nosuchscheme", []byte("x")); !errors.Is(err, ErrAuthFailed) {
		t.Fatalf("unknown scheme: %v", err)
	}
	bobStates.waitFor(t, eventWait, "reconnect after the refused credential", reconnected)
	if _, err := bob.Exists(ctx, root); err != nil || bob.SessionID() != sid {
		t.Fatalf("after a refused credential: %v (session %#x, was %#x)", err, bob.SessionID(), sid)
	}
}

// Credentials are re-sent after a reconnect, before queued requests.
func TestReauthAfterReconnect(t *testing.T) {
	addr := apacheAddr(t)
	ctx := testCtx(t)
	proxy, err := zktest.NewProxy(addr)
	mustOK(t, err, "proxy")
	t.Cleanup(proxy.Close)

	states := newLog[StateEvent]()
	c := connect(t, proxy.Addr, WithStateCallback(states.add))
	root := testRoot(t, c)
	mustOK(t, c.AddAuth(ctx, "digest", []byte("dave:pw")), "addAuth")
	_, err = c.Create(ctx, root+"/d", nil, DigestACL(PermAll, "dave", "pw"), ModePersistent)
	mustOK(t, err, "create")

	sid := c.SessionID()
	proxy.Cut()
	states.waitFor(t, eventWait, "reconnect", reconnected)
	if _, _, err := c.Get(ctx, root+"/d"); err != nil {
		t.Fatalf("get after reconnect: %v", err)
	}
	if c.SessionID() != sid {
		t.Fatal("session changed")
	}
}
