package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestLineEditor(t *testing.T) {
	ctrl := func(c rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: c, Mod: tea.ModCtrl} }
	for _, tc := range []struct {
		name string
		keys []tea.KeyPressMsg
		want string
	}{
		{"typing", []tea.KeyPressMsg{key("a"), key("b"), key("space"), key("c")}, "ab c"},
		{"backspace and left", []tea.KeyPressMsg{key("a"), key("b"), {Code: tea.KeyLeft}, {Code: tea.KeyBackspace}, key("x")}, "xb"},
		{"ctrl+w deletes a word", []tea.KeyPressMsg{key("l"), key("s"), key("space"), key("/"), key("a"), ctrl('w')}, "ls "},
		{"ctrl+u deletes to the start", []tea.KeyPressMsg{key("a"), key("b"), {Code: tea.KeyLeft}, ctrl('u')}, "b"},
		{"home and end", []tea.KeyPressMsg{key("b"), {Code: tea.KeyHome}, key("a"), {Code: tea.KeyEnd}, key("c")}, "abc"},
		{"control characters are not typed", []tea.KeyPressMsg{{Code: 'a', Text: "a\x1b[2J"}}, "a[2J"},
	} {
		e := newLineEditor(10)
		for _, k := range tc.keys {
			e.key(k)
		}
		if got := e.String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	e := newLineEditor(2)
	for _, s := range []string{"one", "two", "two", "three"} {
		e.push(s)
	}
	up := tea.KeyPressMsg{Code: tea.KeyUp}
	var seen []string
	for range 3 {
		e.key(up)
		seen = append(seen, e.String())
	}
	if seen[0] != "three" || seen[1] != "two" || seen[2] != "two" {
		t.Fatalf("history %v: the last two lines, no repeats, oldest dropped", seen)
	}
	e.key(tea.KeyPressMsg{Code: tea.KeyDown})
	e.key(tea.KeyPressMsg{Code: tea.KeyDown})
	if e.String() != "" {
		t.Fatalf("down past the newest gives %q", e.String())
	}
}
