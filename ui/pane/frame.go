package pane

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Fit truncates s (which may hold styles) to w cells, ending in "…" when
// cut, and pads it with spaces to exactly w.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if pad := w - ansi.StringWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// Frame draws body inside a rounded frame of exactly w×h cells with title
// set into the top edge. Lines beyond the frame are dropped, missing ones
// are blank.
func Frame(s *Styles, title string, body []string, w, h int, focused bool) string {
	if w < 2 || h < 2 {
		return Block(nil, w, h)
	}
	bs, ts := s.Border, s.Title
	if focused {
		bs, ts = s.BorderFocus, s.TitleFocus
	}
	iw := w - 2
	var b strings.Builder
	b.Grow(w * h * 2)
	t := ""
	if title != "" && iw > 4 {
		t = ansi.Truncate(" "+title+" ", iw-2, "…")
	}
	rest := iw - 1 - ansi.StringWidth(t)
	b.WriteString(bs.Render("╭─"))
	b.WriteString(ts.Render(t))
	b.WriteString(bs.Render(strings.Repeat("─", max(rest, 0)) + "╮"))
	side := bs.Render("│")
	for i := range h - 2 {
		b.WriteByte('\n')
		b.WriteString(side)
		line := ""
		if i < len(body) {
			line = body[i]
		}
		b.WriteString(Fit(line, iw))
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(bs.Render("╰" + strings.Repeat("─", iw) + "╯"))
	return b.String()
}

// Block pads or cuts lines to exactly w×h.
func Block(lines []string, w, h int) string {
	out := make([]string, h)
	for i := range out {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out[i] = Fit(l, w)
	}
	return strings.Join(out, "\n")
}

// Column is one column of a Table.
type Column struct {
	Title string
	Width int
	Right bool
	// Drop orders which columns go first when the pane is narrow: the
	// highest Drop goes first; 0 is never dropped.
	Drop int
	// Flex columns share the width left over (Width is their minimum).
	Flex bool
}

// Table lays rows out under cols in width cells, dropping the least
// important columns until the rest fit. Cells may hold styles. It returns
// the header line and one line per row.
func Table(s *Styles, cols []Column, rows [][]string, width int) (string, []string) {
	keep := make([]bool, len(cols))
	total := -1
	for i, c := range cols {
		keep[i] = true
		total += c.Width + 1
	}
	for total > width {
		worst := -1
		for i, c := range cols {
			if keep[i] && c.Drop > 0 && (worst < 0 || c.Drop > cols[worst].Drop) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		keep[worst] = false
		total -= cols[worst].Width + 1
	}
	cols = append([]Column(nil), cols...)
	var flex []int
	for i, c := range cols {
		if keep[i] && c.Flex {
			flex = append(flex, i)
		}
	}
	for j, i := range flex {
		extra := max(width-total, 0) / len(flex)
		if j == len(flex)-1 {
			extra = max(width-total, 0) - extra*(len(flex)-1)
		}
		cols[i].Width += extra
	}
	cell := func(c Column, v string) string {
		if c.Right {
			v = ansi.Truncate(v, c.Width, "…")
			return strings.Repeat(" ", max(c.Width-ansi.StringWidth(v), 0)) + v
		}
		return Fit(v, c.Width)
	}
	line := func(vals []string, style *lipgloss.Style) string {
		var b strings.Builder
		first := true
		for i, c := range cols {
			if !keep[i] {
				continue
			}
			if !first {
				b.WriteByte(' ')
			}
			first = false
			v := ""
			if i < len(vals) {
				v = vals[i]
			}
			if style != nil {
				b.WriteString(style.Render(cell(c, v)))
			} else {
				b.WriteString(cell(c, v))
			}
		}
		return b.String()
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.Title
	}
	head := line(titles, &s.ColumnHead)
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = line(r, nil)
	}
	return head, out
}

// Window returns the first index of a window of h rows over n rows that
// keeps cursor visible, moving as little as possible from offset.
func Window(cursor, offset, n, h int) int {
	if h <= 0 || n <= h {
		return 0
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+h {
		offset = cursor - h + 1
	}
	return min(max(offset, 0), n-h)
}

// wrap breaks plain text into lines of at most w cells, each rendered in
// style.
func wrap(style lipgloss.Style, text string, w int) []string {
	if w <= 0 {
		return nil
	}
	lines := strings.Split(ansi.Wrap(text, w, ""), "\n")
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}
