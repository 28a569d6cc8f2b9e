package zkcli

import (
	"errors"
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		line string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"ls /", []string{"ls", "/"}},
		{"  ls    -s   /a  ", []string{"ls", "-s", "/a"}},
		{`create /a "hello world"`, []string{"create", "/a", "hello world"}},
		{`create /a 'single q'`, []string{"create", "/a", "single q"}},
		{`create /a ""`, []string{"create", "/a", ""}},
		{`create /a it's`, []string{"create", "/a", "it's"}},
		{`create /a 'say "hi"'`, []string{"create", "/a", `say "hi"`}},
		// An unterminated quote cannot start a word: zkCli's pattern skips it.
		{`create /a "open`, []string{"create", "/a", "open"}},
	} {
		if got := Split(c.line); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q) = %q, want %q", c.line, got, c.want)
		}
	}
}

func TestParseOpts(t *testing.T) {
	spec := optSpec{'s': false, 'w': false, 'v': true}
	for _, c := range []struct {
		words   []string
		args    []string
		opts    map[byte]string
		wantErr string
	}{
		{[]string{"get", "/a"}, []string{"get", "/a"}, map[byte]string{}, ""},
		{[]string{"get", "-s", "/a"}, []string{"get", "/a"}, map[byte]string{'s': ""}, ""},
		{[]string{"get", "/a", "-s"}, []string{"get", "/a"}, map[byte]string{'s': ""}, ""},
		{[]string{"get", "-sw", "/a"}, []string{"get", "/a"}, map[byte]string{'s': "", 'w': ""}, ""},
		{[]string{"set", "-v", "3", "/a", "x"}, []string{"set", "/a", "x"}, map[byte]string{'v': "3"}, ""},
		{[]string{"set", "-v3", "/a", "x"}, []string{"set", "/a", "x"}, map[byte]string{'v': "3"}, ""},
		{[]string{"set", "-v", "-1", "/a", "x"}, []string{"set", "/a", "x"}, map[byte]string{'v': "-1"}, ""},
		{[]string{"set", "/a", "-5"}, []string{"set", "/a", "-5"}, map[byte]string{}, ""},
		{[]string{"set", "--", "/a", "-s"}, []string{"set", "/a", "-s"}, map[byte]string{}, ""},
		{[]string{"get", "-x", "/a"}, nil, nil,
			"org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x"},
		{[]string{"get", "-sx", "/a"}, nil, nil,
			"org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -sx"},
		{[]string{"set", "/a", "x", "-v"}, nil, nil,
			"org.apache.commons.cli.MissingArgumentException: Missing argument for option: v"},
	} {
		got, err := parseOpts(c.words, spec)
		if c.wantErr != "" {
			var e *Error
			if !errors.As(err, &e) || e.Msg != c.wantErr {
				t.Errorf("parseOpts(%q) error = %v, want %q", c.words, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseOpts(%q): %v", c.words, err)
			continue
		}
		if !reflect.DeepEqual(got.args, c.args) || !reflect.DeepEqual(got.opts, c.opts) {
			t.Errorf("parseOpts(%q) = %q %q, want %q %q", c.words, got.args, got.opts, c.args, c.opts)
		}
	}
}
