package ui

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"coordtui/ui/pane"
)

// helpBox is the `?` overlay: every key, the focused pane's first, grouped
// by where it works, with the reason beside each key that does not apply
// now. Wide terminals get two columns; the box scrolls with ↑↓.
func (a *App) helpBox(w, h int) []string {
	st := a.c.Styles
	bw := min(w-2, 120)
	cw := bw - 2
	if bw >= 100 {
		cw = (bw - 5) / 2
	}
	section := func(title string, bs []Binding) []string {
		out := []string{st.ColumnHead.Render(title)}
		for _, b := range bs {
			if ok, why := a.enabled(b.Action); !ok {
				text := fmt.Sprintf("%-6s %s", b.Key, b.Help)
				if len([]rune(text))+3+len([]rune(why)) <= cw {
					out = append(out, st.KeyDisabled.Render(text)+st.Reason.Render(" — "+why))
					continue
				}
				// The reason goes under the key, wrapped, rather than cut.
				out = append(out, st.KeyDisabled.Render(text))
				for _, l := range strings.Split(ansi.Wrap("— "+why, cw-7, ""), "\n") {
					out = append(out, "       "+st.Reason.Render(l))
				}
			} else {
				out = append(out, st.Key.Render(fmt.Sprintf("%-6s", b.Key))+" "+b.Help)
			}
		}
		return append(out, "")
	}
	left := section(a.focus.Title()+" (focused)", a.keys.For(a.focus))
	left = append(left, section("everywhere", a.keys.For(0))...)
	left = append(left, st.ColumnHead.Render(": command line, beside zkCli's commands (help lists those)"))
	for _, v := range slices.Sorted(maps.Keys(consoleVerbs)) {
		left = append(left, consoleVerbs[v])
	}
	left = append(left, "")
	var right []string
	for _, id := range pane.IDs {
		if id != a.focus {
			right = append(right, section(id.Title(), a.keys.For(id))...)
		}
	}
	var body []string
	if bw >= 100 {
		for i := range max(len(left), len(right)) {
			l, r := "", ""
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			body = append(body, pane.Fit(l, cw)+" │ "+pane.Fit(r, cw))
		}
	} else {
		body = append(left, right...)
	}
	bh := min(len(body)+2, h-2)
	rows := bh - 2
	a.helpOffset = min(a.helpOffset, max(len(body)-rows, 0))
	title := "keys · dimmed ones say why they do not apply now · any other key closes"
	if len(body) > rows {
		title = fmt.Sprintf("keys %d-%d of %d · ↑↓ pgup pgdn scroll · dimmed ones say why · other keys close",
			a.helpOffset+1, a.helpOffset+rows, len(body))
	}
	body = body[a.helpOffset:min(a.helpOffset+rows, len(body))]
	return strings.Split(pane.Frame(st, title, body, bw, bh, true), "\n")
}
