package shell

import (
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// lineEdit is a one-line editor with Emacs keys. It stands in for bubbles'
// textinput, whose clipboard dependency is not in this module's go.sum; it
// keeps to textinput's key bindings so the swap back is mechanical.
type lineEdit struct {
	prompt string
	value  []rune
	pos    int // cursor, in runes
}

func (e *lineEdit) Value() string { return string(e.value) }

// Position is the cursor's index in runes.
func (e *lineEdit) Position() int { return e.pos }

// SetValue replaces the text and puts the cursor at its end.
func (e *lineEdit) SetValue(s string) {
	e.value = []rune(s)
	e.pos = len(e.value)
}

func (e *lineEdit) SetCursor(pos int) { e.pos = min(max(pos, 0), len(e.value)) }

func (e *lineEdit) Reset() { e.SetValue("") }

func (e *lineEdit) insert(s string) {
	var rs []rune
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' {
			r = ' ' // a pasted line break must not submit or split the command
		}
		if unicode.IsPrint(r) {
			rs = append(rs, r)
		}
	}
	tail := append(rs, e.value[e.pos:]...)
	e.value = append(e.value[:e.pos], tail...)
	e.pos += len(rs)
}

// deleteRange removes the runes in [from, to).
func (e *lineEdit) deleteRange(from, to int) {
	from, to = max(from, 0), min(to, len(e.value))
	if from >= to {
		return
	}
	e.value = append(e.value[:from], e.value[to:]...)
	e.pos = from
}

// wordStart is where the word before the cursor begins.
func (e *lineEdit) wordStart() int {
	i := e.pos
	for i > 0 && unicode.IsSpace(e.value[i-1]) {
		i--
	}
	for i > 0 && !unicode.IsSpace(e.value[i-1]) {
		i--
	}
	return i
}

// wordEnd is where the word after the cursor ends.
func (e *lineEdit) wordEnd() int {
	i := e.pos
	for i < len(e.value) && unicode.IsSpace(e.value[i]) {
		i++
	}
	for i < len(e.value) && !unicode.IsSpace(e.value[i]) {
		i++
	}
	return i
}

// update applies an editing key or a paste; it reports whether it used msg.
func (e *lineEdit) update(msg tea.Msg) bool {
	if p, ok := msg.(tea.PasteMsg); ok {
		e.insert(p.Content)
		return true
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return false
	}
	switch k.String() {
	case "left", "ctrl+b":
		e.SetCursor(e.pos - 1)
	case "right", "ctrl+f":
		e.SetCursor(e.pos + 1)
	case "home", "ctrl+a":
		e.pos = 0
	case "end", "ctrl+e":
		e.pos = len(e.value)
	case "alt+left", "ctrl+left", "alt+b":
		e.pos = e.wordStart()
	case "alt+right", "ctrl+right", "alt+f":
		e.pos = e.wordEnd()
	case "backspace", "ctrl+h":
		e.deleteRange(e.pos-1, e.pos)
	case "delete":
		e.deleteRange(e.pos, e.pos+1)
	case "ctrl+u":
		e.deleteRange(0, e.pos)
	case "ctrl+k":
		e.value = e.value[:e.pos]
	case "ctrl+w", "alt+backspace":
		e.deleteRange(e.wordStart(), e.pos)
	case "alt+d":
		e.deleteRange(e.pos, e.wordEnd())
	default:
		if k.Text == "" || k.Mod&(tea.ModCtrl|tea.ModAlt) != 0 {
			return false
		}
		e.insert(k.Text)
	}
	return true
}

// view renders the prompt and text, and where the terminal cursor goes.
func (e *lineEdit) view() tea.View {
	line := e.prompt + string(e.value)
	v := tea.NewView(line)
	v.Cursor = tea.NewCursor(ansi.StringWidth(e.prompt+string(e.value[:e.pos])), 0)
	return v
}
