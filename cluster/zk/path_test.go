package zk

import (
	"errors"
	"reflect"
	"testing"
)

func TestValidatePath(t *testing.T) {
	valid := []string{"/", "/a", "/a/b", "/a..b", "/...", "/a/.b", "/a/b.", "/zookeeper/config", "/ü", "/\u00a0", "/\uf900", "/\uffef"}
	invalid := []string{"", "a", "a/b", "/a/", "//", "/a//b", "/.", "/..", "/a/.", "/a/..", "/a/./b", "/a/../b",
		"/a\x00b", "/\x01", "/\x1f", "/\x7f", "/\u0080", "/\u009f", "/\ue000", "/\uf8ff", "/\ufff0", "/\uffff",
		"/\U0001F600", "/bad\xffutf8"}
	for _, p := range valid {
		if err := ValidatePath(p); err != nil {
			t.Errorf("ValidatePath(%q) = %v, want nil", p, err)
		}
	}
	for _, p := range invalid {
		if err := ValidatePath(p); !errors.Is(err, ErrBadArguments) {
			t.Errorf("ValidatePath(%q) = %v, want ErrBadArguments", p, err)
		}
	}
}

func TestParseConnString(t *testing.T) {
	cases := []struct {
		in     string
		hosts  []string
		chroot string
		bad    bool
	}{
		{in: "127.0.0.1:2181", hosts: []string{"127.0.0.1:2181"}},
		{in: "a:1,b:2, c:3", hosts: []string{"a:1", "b:2", "c:3"}},
		{in: "a,b:2/app", hosts: []string{"a:2181", "b:2"}, chroot: "/app"},
		{in: "a:1/", hosts: []string{"a:1"}},
		{in: "[::1]:2181,[::1]/x/y", hosts: []string{"[::1]:2181", "[::1]:2181"}, chroot: "/x/y"},
		{in: "", bad: true},
		{in: "/app", bad: true},
		{in: "a:1/app/", bad: true},
	}
	for _, tc := range cases {
		hosts, chroot, err := ParseConnString(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseConnString(%q) = %v %q, want an error", tc.in, hosts, chroot)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(hosts, tc.hosts) || chroot != tc.chroot {
			t.Errorf("ParseConnString(%q) = %v %q %v, want %v %q", tc.in, hosts, chroot, err, tc.hosts, tc.chroot)
		}
	}
}

func TestChrootMapping(t *testing.T) {
	c := chroot("/app")
	for _, tc := range []struct{ client, server string }{
		{"/", "/app"}, {"/a", "/app/a"}, {"/a/b", "/app/a/b"},
	} {
		if got := c.toServer(tc.client); got != tc.server {
			t.Errorf("toServer(%q) = %q, want %q", tc.client, got, tc.server)
		}
		if got := c.toClient(tc.server); got != tc.client {
			t.Errorf("toClient(%q) = %q, want %q", tc.server, got, tc.client)
		}
	}
	// Paths outside the chroot are left alone rather than mangled.
	for _, p := range []string{"/apple", "/zookeeper", "/"} {
		if got := c.toClient(p); got != p {
			t.Errorf("toClient(%q) = %q", p, got)
		}
	}
	if got := chroot("").toServer("/a"); got != "/a" {
		t.Errorf("no chroot: %q", got)
	}
}
