package ui

import (
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// lineEditor is a one-line text editor with history: the command line and
// the tree filter.
type lineEditor struct {
	text    []rune
	pos     int
	history []string
	hpos    int // len(history) when not browsing
	limit   int
}

func newLineEditor(limit int) *lineEditor { return &lineEditor{limit: limit} }

func (e *lineEditor) String() string { return string(e.text) }

func (e *lineEditor) set(s string) {
	e.text = []rune(s)
	e.pos = len(e.text)
	e.hpos = len(e.history)
}

// push records a submitted line in the history (no repeats in a row).
func (e *lineEditor) push(s string) {
	if s != "" && (len(e.history) == 0 || e.history[len(e.history)-1] != s) {
		e.history = append(e.history, s)
		if len(e.history) > e.limit {
			e.history = e.history[1:]
		}
	}
	e.hpos = len(e.history)
}

// key edits the line; it reports whether the key was an editing key.
func (e *lineEditor) key(k tea.KeyPressMsg) bool {
	switch k.String() {
	case "left", "ctrl+b":
		e.pos = max(e.pos-1, 0)
	case "right", "ctrl+f":
		e.pos = min(e.pos+1, len(e.text))
	case "home", "ctrl+a":
		e.pos = 0
	case "end", "ctrl+e":
		e.pos = len(e.text)
	case "backspace", "ctrl+h":
		if e.pos > 0 {
			e.text = append(e.text[:e.pos-1], e.text[e.pos:]...)
			e.pos--
		}
	case "delete", "ctrl+d":
		if e.pos < len(e.text) {
			e.text = append(e.text[:e.pos], e.text[e.pos+1:]...)
		}
	case "ctrl+u":
		e.text, e.pos = e.text[e.pos:], 0
	case "ctrl+k":
		e.text = e.text[:e.pos]
	case "ctrl+w":
		start := e.pos
		for start > 0 && e.text[start-1] == ' ' {
			start--
		}
		for start > 0 && e.text[start-1] != ' ' {
			start--
		}
		e.text = append(e.text[:start], e.text[e.pos:]...)
		e.pos = start
	case "up", "ctrl+p":
		if e.hpos > 0 {
			e.hpos--
			e.text = []rune(e.history[e.hpos])
			e.pos = len(e.text)
		}
	case "down", "ctrl+n":
		if e.hpos < len(e.history) {
			e.hpos++
			s := ""
			if e.hpos < len(e.history) {
				s = e.history[e.hpos]
			}
			e.text = []rune(s)
			e.pos = len(e.text)
		}
	case "space":
		e.insert(" ")
	default:
		if k.Text == "" || !utf8.ValidString(k.Text) {
			return false
		}
		e.insert(k.Text)
	}
	return true
}

// insert types s at the cursor, dropping control characters.
func (e *lineEditor) insert(s string) {
	s = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 {
			return -1
		}
		return r
	}, s)
	rs := []rune(s)
	e.text = append(e.text[:e.pos], append(rs, e.text[e.pos:]...)...)
	e.pos += len(rs)
}

// view renders the line with a block cursor, at most w cells (the start
// scrolls out of view when the line is long).
func (e *lineEditor) view(w int) (before, at, after string) {
	before, after = string(e.text[:e.pos]), ""
	at = " "
	if e.pos < len(e.text) {
		at, after = string(e.text[e.pos]), string(e.text[e.pos+1:])
	}
	if r := []rune(before); len(r) > w-1 && w > 1 {
		before = string(r[len(r)-(w-1):])
	}
	return before, at, after
}
