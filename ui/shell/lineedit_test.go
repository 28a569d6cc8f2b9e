package shell

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// keys turns a script into key presses: "<left>" names a key, anything
// else is typed.
func keys(script ...string) []tea.Msg {
	named := map[string]tea.KeyPressMsg{
		"<left>":      {Code: tea.KeyLeft},
		"<right>":     {Code: tea.KeyRight},
		"<home>":      {Code: tea.KeyHome},
		"<end>":       {Code: tea.KeyEnd},
		"<bs>":        {Code: tea.KeyBackspace},
		"<del>":       {Code: tea.KeyDelete},
		"<ctrl+u>":    {Code: 'u', Mod: tea.ModCtrl},
		"<ctrl+k>":    {Code: 'k', Mod: tea.ModCtrl},
		"<ctrl+w>":    {Code: 'w', Mod: tea.ModCtrl},
		"<ctrl+a>":    {Code: 'a', Mod: tea.ModCtrl},
		"<alt+b>":     {Code: 'b', Mod: tea.ModAlt},
		"<alt+d>":     {Code: 'd', Mod: tea.ModAlt},
		"<enter>":     {Code: tea.KeyEnter},
		"<tab>":       {Code: tea.KeyTab},
		"<up>":        {Code: tea.KeyUp},
		"<down>":      {Code: tea.KeyDown},
		"<ctrl+c>":    {Code: 'c', Mod: tea.ModCtrl},
		"<ctrl+d>":    {Code: 'd', Mod: tea.ModCtrl},
		"<ctrl+left>": {Code: tea.KeyLeft, Mod: tea.ModCtrl},
	}
	var out []tea.Msg
	for _, s := range script {
		if k, ok := named[s]; ok {
			out = append(out, k)
			continue
		}
		for _, r := range s {
			out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
	return out
}

func TestLineEdit(t *testing.T) {
	for _, c := range []struct {
		script []string
		value  string
		pos    int
	}{
		{[]string{"ls /"}, "ls /", 4},
		{[]string{"ls /", "<bs>", "<bs>"}, "ls", 2},
		{[]string{"get /a", "<home>", "<del>", "<del>", "<del>", "ls"}, "ls /a", 2},
		{[]string{"get /a", "<left>", "<left>", "x"}, "get x/a", 5},
		{[]string{"get /a", "<ctrl+a>", "<right>", "<ctrl+k>"}, "g", 1},
		{[]string{"get /a", "<left>", "<ctrl+u>"}, "a", 0},
		{[]string{"set /a data", "<ctrl+w>"}, "set /a ", 7},
		{[]string{"set /a data", "<alt+b>", "<alt+b>", "<alt+d>"}, "set  data", 4},
		{[]string{"set /a data", "<ctrl+left>", "<end>", "!"}, "set /a data!", 12},
		{[]string{"é", "ü", "<left>", "<bs>"}, "ü", 0},
		{[]string{"<bs>", "<del>", "<left>", "<right>"}, "", 0},
	} {
		var e lineEdit
		for _, k := range keys(c.script...) {
			e.update(k)
		}
		if e.Value() != c.value || e.Position() != c.pos {
			t.Errorf("%q: %q at %d, want %q at %d", c.script, e.Value(), e.Position(), c.value, c.pos)
		}
	}
	var e lineEdit
	e.update(tea.PasteMsg{Content: "create /a\nb\tc"})
	if e.Value() != "create /a b c" {
		t.Errorf("paste = %q: line breaks must not reach the command", e.Value())
	}
	if used := e.update(tea.KeyPressMsg{Code: 'x', Mod: tea.ModCtrl}); used {
		t.Error("an unbound control key was treated as text")
	}
	e.prompt = "[zk: é] "
	if v := e.view(); v.Cursor == nil || v.Cursor.X != len([]rune("[zk: é] create /a b c")) {
		t.Errorf("cursor at %+v", v.Cursor)
	}
}
