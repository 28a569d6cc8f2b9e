package zkcli

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

func TestJavaDate(t *testing.T) {
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = time.UTC
	if got := javaDate(0); got != "Thu Jan 01 00:00:00 UTC 1970" {
		t.Errorf("javaDate(0) = %q", got)
	}
	if got := javaDate(1795322042771); got != "Sun Nov 22 04:34:02 UTC 2026" {
		t.Errorf("javaDate = %q", got)
	}
}

func TestACLText(t *testing.T) {
	for _, c := range []struct {
		perms int32
		want  string
	}{{zk.PermAll, "cdrwa"}, {zk.PermRead, "r"}, {zk.PermRead | zk.PermAdmin, "ra"}, {0, ""}} {
		if got := permString(c.perms); got != c.want {
			t.Errorf("permString(%d) = %q, want %q", c.perms, got, c.want)
		}
	}
	if got := idString(zk.ID{Scheme: "world", ID: "anyone"}); got != "'world,'anyone\n" {
		t.Errorf("idString = %q", got)
	}
	if got := idString(zk.ID{Scheme: "ip", ID: "a,b%}"}); got != "'ip,'a%2Cb%25%7D\n" {
		t.Errorf("idString escapes = %q", got)
	}
	var warn bytes.Buffer
	got := parseACL("world:anyone:rz,bad,digest:bob:h=:cdrwa", &warn)
	want := []zk.ACL{{Perms: zk.PermRead, ID: zk.ID{Scheme: "world", ID: "anyone"}},
		{Perms: zk.PermAll, ID: zk.ID{Scheme: "digest", ID: "bob:h="}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseACL = %+v, want %+v", got, want)
	}
	if w := warn.String(); w != "Unknown perm type: z\nbad does not have the form scheme:id:perm\n" {
		t.Errorf("parseACL warnings = %q", w)
	}
}

func TestValidatePath(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"/", ""},
		{"/a/b", ""},
		{"/a/.b", ""},
		{"", "Path length must be > 0"},
		{"a", "Path must start with / character"},
		{"/a/", "Path must not end with / character"},
		{"/a//b", `Invalid path string "/a//b" caused by empty node name specified @3`},
		{"/a/./b", `Invalid path string "/a/./b" caused by relative paths not allowed @3`},
		{"/a/..", `Invalid path string "/a/.." caused by relative paths not allowed @4`},
		{"/a\x01", "Invalid path string \"/a\x01\" caused by invalid character @2"},
		{"/a\x00b", "Invalid path string \"/a\x00b\" caused by null character not allowed @2"},
		// Outside the BMP: a surrogate pair, refused at its first code unit.
		{"/é😀", "Invalid path string \"/é😀\" caused by invalid character @2"},
	} {
		err := validatePath(c.path)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("validatePath(%q) = %q, want %q", c.path, got, c.want)
		}
		// The client's own validation must agree on what is valid.
		if zerr := zk.ValidatePath(c.path); (zerr == nil) != (err == nil) {
			t.Errorf("zk.ValidatePath(%q) = %v, ours %v", c.path, zerr, err)
		}
	}
}

func TestKeeperError(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{zk.ErrNoNode, "Node does not exist: /p"},
		{zk.ErrNoAuth, "Insufficient permission : /p"},
		{zk.ErrBadVersion, "version No is not valid : /p"},
		{zk.ErrNoWatcher, "KeeperErrorCode = No such watcher for /p"},
		{zk.ErrConnectionLoss, "KeeperErrorCode = ConnectionLoss for /p"},
		{zk.ErrNotEmpty, "Node not empty: /p"},
		{errors.New("boom"), "boom"},
	} {
		if got := keeperError(c.err, "/p").Error(); got != c.want {
			t.Errorf("keeperError(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestClientConfig(t *testing.T) {
	cfg := "server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\n" +
		"server.2=127.0.0.1:2889:3889:participant;2182\nversion=100000000"
	if got := clientConfig(cfg); got != "100000000 127.0.0.1:2181,0.0.0.0:2182" {
		t.Errorf("clientConfig = %q", got)
	}
	if got := clientConfig(""); got != " " {
		t.Errorf("clientConfig(empty) = %q", got)
	}
}

func TestDataJSON(t *testing.T) {
	for _, b := range [][]byte{nil, {}, []byte("text"), {0xff, 0x00, 0x80}} {
		d := newDataJSON(b)
		got, err := d.decode()
		if err != nil || !bytes.Equal(got, b) || (got == nil) != (b == nil) {
			t.Errorf("round trip of %q = %q, %v", b, got, err)
		}
	}
	if d := newDataJSON([]byte{0xff}); d.Data != nil || !strings.HasPrefix(d.Base64, "/w") {
		t.Errorf("binary data = %+v, want base64", d)
	}
}
