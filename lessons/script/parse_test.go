package script

import (
	"slices"
	"strings"
	"testing"
)

const sample = `# a comment
title Sample

narrate about=n2,/cfg
  First paragraph
  goes on.

  Second one:
      indented code
crash leader as=old
----
crashed old (the leader)

zk c1 create /a "two words"
----
Created /a

# trailing comment
`

func TestParseReadsStepsInputAndTranscripts(t *testing.T) {
	s, err := Parse("sample", sample)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range s.Steps {
		got = append(got, st.Cmd+"|"+st.Raw+"|"+strings.Join(st.Input, "/")+"|"+strings.Join(st.Want, "/"))
	}
	want := []string{
		"title|Sample||",
		"narrate|about=n2,/cfg|First paragraph/goes on./" + "/Second one:/indented code|",
		"crash|leader as=old||crashed old (the leader)",
		`zk|c1 create /a "two words"||Created /a`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := s.Steps[1].Body(); got[4] != "    indented code" {
		t.Fatalf("Body keeps relative indentation: %q", got)
	}
	if line := s.Steps[2].Line; line != 10 {
		t.Fatalf("crash is on line %d", line)
	}
	if v := s.Meta("title"); v != "Sample" {
		t.Fatalf("title %q", v)
	}
}

func TestFormatRoundTripsAndRewrites(t *testing.T) {
	s, err := Parse("sample", sample)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Format(nil); got != sample {
		t.Fatalf("round trip changed the file:\n%s", got)
	}
	// A narration that starts printing gets a transcript and a blank line,
	// so the next command does not become part of it.
	got := s.Format([][]string{nil, {"said"}, {"crashed n1"}, {"Created /a"}})
	s2, err := Parse("again", got)
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.Steps) != 4 || !slices.Equal(s2.Steps[1].Want, []string{"said"}) || s2.Steps[2].Cmd != "crash" ||
		!slices.Equal(s2.Steps[2].Want, []string{"crashed n1"}) {
		t.Fatalf("rewritten file does not parse back:\n%s", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{"  indented first\n", "----\n", `zk c1 create /a "open` + "\n"} {
		if _, err := Parse("bad", src); err == nil {
			t.Errorf("%q parsed", src)
		}
	}
}

func TestArgs(t *testing.T) {
	args, err := splitArgs(`n1,n2 within=2s "a b"=c x="y z" /p=q`)
	if err != nil {
		t.Fatal(err)
	}
	a := Args(args)
	if got := a.Pos(); !slices.Equal(got, []string{"n1,n2", "a b=c", "/p=q"}) {
		t.Fatalf("positional %q", got)
	}
	if d, _ := a.Duration("within", 0); d.String() != "2s" {
		t.Fatalf("within %v", d)
	}
	if v := a.String("x", ""); v != "y z" {
		t.Fatalf("x=%q", v)
	}
	if _, err := a.Int("within", 0); err == nil {
		t.Fatal("2s read as an int")
	}
	if got := rest(`c1 create /a "x y"`, 1); got != `create /a "x y"` {
		t.Fatalf("rest %q", got)
	}
}

func TestConcernsFromTheText(t *testing.T) {
	s, _ := Parse("c", "narrate about=w9\n  n1 leads; w2 holds /lock/l-1 and n3 waits.\n")
	c := s.Steps[0].Concerns()
	if !slices.Equal(c.Names, []string{"n1", "n3"}) || !slices.Equal(c.Workers, []string{"w9", "w2"}) ||
		!slices.Equal(c.Znodes, []string{"/lock/l-1"}) {
		t.Fatalf("%+v", c)
	}
}

func TestWrapAndParagraphs(t *testing.T) {
	got := Paragraphs([]string{"one two", "three", "", "    code  kept", "- item one", "continues", "- item two"}, 9)
	want := []string{"one two", "three", "", "    code  kept", "- item", "one", "continues", "- item", "two"}
	if !slices.Equal(got, want) {
		t.Fatalf("%q", got)
	}
}
