package pane

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// sideBySide is the inner width from which the detail goes right of the
// list rather than under it.
const sideBySide = 56

// layout splits the inner area between list and detail.
func (t *Tree) layout() (listW, listH, detW, detH int, side bool) {
	iw, ih := t.inner()
	if iw >= sideBySide {
		lw := iw * 11 / 20
		return lw, ih, iw - lw - 1, ih, true
	}
	if ih < 8 {
		return iw, ih, 0, 0, false
	}
	dh := min(9, ih/2)
	return iw, ih - dh - 1, iw, dh, false
}

func (t *Tree) listHeight() int {
	_, h, _, _, _ := t.layout()
	if t.filtering {
		h--
	}
	return max(h, 1)
}

// View renders the pane at its size.
func (t *Tree) View() string {
	st := t.c.Styles
	lw, _, dw, dh, side := t.layout()
	list := t.listLines(lw)
	var det []string
	if dw > 0 && dh > 0 {
		det = t.detailLines(dw, dh)
	}
	var body []string
	switch {
	case side:
		for i := range max(len(list), len(det)) {
			l, d := "", ""
			if i < len(list) {
				l = list[i]
			}
			if i < len(det) {
				d = det[i]
			}
			body = append(body, Fit(l, lw)+st.Border.Render("│")+d)
		}
	case dh > 0:
		body = append(list, st.Border.Render(strings.Repeat("─", dw)))
		body = append(body, det...)
	default:
		body = list
	}
	title := "2 Tree"
	if t.source != "" {
		title += " · " + t.source
	}
	return Frame(st, title, body, t.w, t.h, t.focused)
}

func (t *Tree) listLines(w int) []string {
	st := t.c.Styles
	h := t.listHeight()
	now := t.c.Now()
	var out []string
	if t.filtering {
		out = append(out, st.Warn.Render(fmt.Sprintf("filter %q: %d matches (esc clears)", t.filter, len(t.matches))))
		t.offset = Window(t.cursor, t.offset, len(t.matches), h)
		for i := t.offset; i < min(t.offset+h, len(t.matches)); i++ {
			line := "  " + t.matches[i]
			if i == t.cursor {
				line = st.Selected.Render(Fit("› "+t.matches[i], w))
			}
			out = append(out, line)
		}
		return out
	}
	t.offset = Window(t.cursor, t.offset, len(t.rows), h)
	for i := t.offset; i < min(t.offset+h, len(t.rows)); i++ {
		out = append(out, t.rowLine(i, w, now))
	}
	return out
}

// rowLine renders one tree row: change mark, indent, open/closed marker,
// name, child count and badges.
func (t *Tree) rowLine(i, w int, now time.Time) string {
	st := t.c.Styles
	r := t.rows[i]
	mark, ms := " ", st.Text
	if at, ok := t.changed[r.Path]; ok {
		switch age := now.Sub(at); {
		case age < freshFor:
			mark, ms = "●", st.Fresh
		case age < fadeFor:
			mark, ms = "∙", st.Fading
		}
	} else if !t.expanded[r.Path] && t.changedBelow(r.Path, now) {
		mark, ms = "∙", st.Fading
	}
	open := " "
	switch {
	case t.loading[r.Path] && t.expanded[r.Path]:
		open = "…"
	case t.expanded[r.Path]:
		open = "▾"
	case r.NumChildren > 0:
		open = "▸"
	}
	name := r.Name
	if i == 0 {
		name = "/"
	}
	var b strings.Builder
	b.WriteString(strings.Repeat("  ", t.depth[i]))
	b.WriteString(open + " " + name)
	if r.NumChildren > 0 {
		fmt.Fprintf(&b, " (%d)", r.NumChildren)
	}
	text := b.String()
	badges := ""
	for _, bd := range r.Badges() {
		badges += " [" + bd + "]"
	}
	if e := t.errs[r.Path]; e != "" && t.expanded[r.Path] {
		badges += " " + e
	}
	cursor := " "
	if i == t.cursor {
		cursor = "›"
	}
	plain := cursor + mark + text + badges
	switch {
	case i == t.cursor && t.focused:
		return st.Selected.Render(Fit(plain, w))
	case r.Path == t.highlight:
		return st.Highlight.Render(Fit(plain, w))
	}
	return cursor + ms.Render(mark+text) + st.Badge.Render(badges)
}

// changedBelow reports whether something under path changed recently, so
// a closed node shows that its subtree moved.
func (t *Tree) changedBelow(path string, now time.Time) bool {
	prefix := path + "/"
	if path == "/" {
		prefix = "/"
	}
	for p, at := range t.changed {
		if strings.HasPrefix(p, prefix) && now.Sub(at) < fadeFor {
			return true
		}
	}
	return false
}

// detailLines renders the selected znode: kind, data preview and Stat.
func (t *Tree) detailLines(w, h int) []string {
	st := t.c.Styles
	sel := t.SelectedPath()
	switch {
	case sel == "":
		return nil
	case t.detailErr != "":
		return []string{st.Bold.Render(sel), st.Err.Render(t.detailErr)}
	case t.detail.Path != sel:
		return []string{st.Bold.Render(sel), st.Dim.Render("loading…")}
	}
	d := t.detail
	s := d.Stat
	var kinds []string
	if d.Mode != "" {
		kinds = append(kinds, d.Mode)
	}
	if s.EphemeralOwner != 0 {
		kinds = append(kinds, fmt.Sprintf("owner s%x", s.EphemeralOwner))
	}
	if d.TTL > 0 {
		kinds = append(kinds, "ttl "+(time.Duration(d.TTL)*time.Millisecond).String())
	}
	kind := strings.Join(kinds, " ")
	if d.Member != "" {
		kind = strings.TrimPrefix(kind+" · read on "+d.Member, " · ")
	}
	head := append([]string{st.Bold.Render(ansi.Truncate(d.Path, w, "…"))}, wrap(st.Badge, strings.TrimSpace(kind), w)...)
	// The Stat in order of interest, one field a line when narrow; what
	// does not fit after the data is left out.
	pairs := [][2]string{
		{"version", fmt.Sprint(s.Version)}, {"mzxid", s.Mzxid.String()}, {"czxid", s.Czxid.String()},
		{"pzxid", s.Pzxid.String()}, {"numChildren", fmt.Sprint(s.NumChildren)}, {"dataLength", fmt.Sprint(s.DataLength)},
		{"cversion", fmt.Sprint(s.Cversion)}, {"aversion", fmt.Sprint(s.Aversion)},
		{"mtime", msTime(s.Mtime)}, {"ctime", msTime(s.Ctime)},
	}
	var stat []string
	for i := 0; i < len(pairs); i++ {
		line := pairs[i][0] + " " + pairs[i][1]
		if i+1 < len(pairs) && w >= 44 && len(pairs[i][1]) < 13 && len(pairs[i+1][1]) < 13 {
			line = fmt.Sprintf("%-22s %s %s", line, pairs[i+1][0], pairs[i+1][1])
			i++
		}
		stat = append(stat, line)
	}
	if len(d.ACL) > 0 {
		stat = append(stat, "acl "+strings.Join(d.ACL, " "))
	}
	var statLines []string
	for _, l := range stat {
		statLines = append(statLines, wrap(st.Dim, l, w)...)
	}
	data := Preview(d.Data, t.dataView, w, max(h-len(head)-min(len(statLines), 3), 2))
	out := append(head, data...)
	room := max(h-len(out), 0)
	return append(out, statLines[:min(room, len(statLines))]...)
}

func msTime(ms int64) string {
	if ms == 0 {
		return "0"
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05.000Z")
}
