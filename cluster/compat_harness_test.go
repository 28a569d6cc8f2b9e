package cluster

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The conformance harness's own rules, checked on small inputs: a wrong
// "# 3.9:" rule or a tokenizer slip would make TestCompat compare the wrong
// things while still passing.

func TestCompatExpected(t *testing.T) {
	b := compatBlock{want: []string{
		"ok zxid=+3",
		"event A zxid=-1",
		"# 3.9: event A zxid=+3",
		"event B zxid=-1",
		"# 3.9: (absent)",
		"event C zxid=-1",
		"# 3.9+: event D zxid=+4",
	}}
	if got, want := b.expected(false), []string{"ok zxid=+3", "event A zxid=-1", "event B zxid=-1", "event C zxid=-1"}; !slices.Equal(got, want) {
		t.Errorf("3.8: %q, want %q", got, want)
	}
	if got, want := b.expected(true), []string{"ok zxid=+3", "event A zxid=+3", "event C zxid=-1", "event D zxid=+4"}; !slices.Equal(got, want) {
		t.Errorf("3.9: %q, want %q", got, want)
	}
}

func TestCompatRerecordKeepsAlternativesOfUnchangedLines(t *testing.T) {
	b := compatBlock{want: []string{"x", "# 3.9: x9", "y", "# 3.9: y9"}}
	dropped := b.rerecord([]string{"x", "changed"})
	if want := []string{"x", "# 3.9: x9", "changed"}; !slices.Equal(b.want, want) {
		t.Errorf("re-recorded %q, want %q", b.want, want)
	}
	if want := []string{"# 3.9: y9"}; !slices.Equal(dropped, want) {
		t.Errorf("dropped %q, want %q", dropped, want)
	}
}

func TestCompatTokens(t *testing.T) {
	for _, c := range []struct {
		line string
		pos  []string
		opts map[string]string
	}{
		{`create s1 /a data=x`, []string{"s1", "/a"}, map[string]string{"data": "x"}},
		{`create s1 "/a\x00b" data="two words"`, []string{"s1", "/a\x00b"}, map[string]string{"data": "two words"}},
		{`create s1 /a=b data=""`, []string{"s1", "/a=b"}, map[string]string{"data": ""}},
		{`getEphemerals s1 ""`, []string{"s1", ""}, map[string]string{}},
		{`exists s1 "k=v"`, []string{"s1", "k=v"}, map[string]string{}},
	} {
		a, err := parseCompatArgs(c.line)
		if err != nil {
			t.Errorf("%s: %v", c.line, err)
			continue
		}
		if !slices.Equal(a.pos, c.pos) || len(a.opts) != len(c.opts) {
			t.Errorf("%s: pos %q opts %q, want %q %q", c.line, a.pos, a.opts, c.pos, c.opts)
			continue
		}
		for k, v := range c.opts {
			if a.opts[k] != v {
				t.Errorf("%s: %s=%q, want %q", c.line, k, a.opts[k], v)
			}
		}
	}
	if _, err := parseCompatArgs(`create s1 "/a`); err == nil {
		t.Error("an unterminated quote parsed")
	}
}

func TestCompatScriptRoundTrip(t *testing.T) {
	text := "# intro\n\nconnect s1\n----\nconnected\n\n# a multi\nmulti s1\n  create /a\n  delete /a\n----\nok zxid=+2\n# 3.9: ok zxid=+3\n\n# the end\n"
	path := filepath.Join(t.TempDir(), "s.txt")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := parseCompatScript(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.blocks) != 2 || len(s.blocks[1].cmd) != 3 || s.blocks[1].line != 8 {
		t.Fatalf("parsed %+v", s.blocks)
	}
	if got := s.format(); got != text {
		t.Errorf("format changed the script:\n%s\nwant:\n%s", got, text)
	}
	for _, bad := range []string{"connect s1\nconnected\n", "  indented\n", "connect s1\n"} {
		if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := parseCompatScript(path); err == nil {
			t.Errorf("%q parsed", strings.TrimSpace(bad))
		}
	}
}
