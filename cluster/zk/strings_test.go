package zk

import (
	"errors"
	"fmt"
	"testing"
)

// Every domain value describes itself in one stable line; the console and
// the tests print the same text.
func TestStrings(t *testing.T) {
	cases := []struct {
		v    fmt.Stringer
		want string
	}{
		{OpCreate2, "create2"},
		{OpCode(200), "op(200)"},
		{EventNodeChildrenChanged, "NodeChildrenChanged"},
		{KeeperExpired, "Expired"},
		{ModeEphemeralSequential, "EPHEMERAL_SEQUENTIAL"},
		{AddWatchPersistentRecursive, "PERSISTENT_RECURSIVE"},
		{WatcherAny, "Any"},
		{StateSuspended, "Suspended"},
		{StateEvent{State: StateConnected, Previous: StateSuspended, SessionID: 0x1000009f33d0006, Server: "127.0.0.1:2181"},
			"Suspended -> Connected session=0x1000009f33d0006 server=127.0.0.1:2181"},
		{StateEvent{State: StateExpired, Previous: StateSuspended, SessionID: 7, Err: ErrSessionExpired},
			"Suspended -> Expired session=0x7 err=zk: session expired"},
		{WatchEvent{Type: EventNodeDeleted, State: KeeperSyncConnected, Path: "/lock/l-0000000003"}, "NodeDeleted /lock/l-0000000003"},
		{WatchEvent{Type: EventNone, State: KeeperDisconnected}, "None Disconnected"},
		{WatchEvent{Type: EventNotWatching, State: KeeperClosed, Path: "/a", Err: ErrClosing}, "NotWatching /a Closed err=zk: client is closing"},
		{&Stat{Czxid: 0x200000001, Mzxid: 0x200000002, Pzxid: 0x200000001, Version: 1, DataLength: 3},
			"czxid=0x200000001 mzxid=0x200000002 pzxid=0x200000001 ctime=0 mtime=0 version=1 cversion=0 aversion=0 owner=0x0 len=3 children=0"},
		{ACL{Perms: PermRead, ID: ID{"world", "anyone"}}, "world:anyone:1"},
	}
	for _, tc := range cases {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.v, got, tc.want)
		}
	}
	if got := ErrNoNode.Error(); got != "zk: node does not exist" {
		t.Errorf("ErrNoNode = %q", got)
	}
	if got := Code(-999).Error(); got != "zk: unknown error -999" {
		t.Errorf("unknown code = %q", got)
	}
	if OK.Err() != nil || !errors.Is(ErrBadVersion.Err(), ErrBadVersion) {
		t.Error("Code.Err")
	}
	if err := fmt.Errorf("wrapped: %w", Code(-101)); !errors.Is(err, ErrNoNode) {
		t.Error("a wrapped code does not match its sentinel")
	}
}
