package pane

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles are every style the console uses; panes take nothing from
// anywhere else.
type Styles struct {
	Name string

	Border, BorderFocus lipgloss.Style
	Title, TitleFocus   lipgloss.Style
	Header              lipgloss.Style
	Tab, TabActive      lipgloss.Style

	Text, Dim, Bold, Selected lipgloss.Style
	ColumnHead                lipgloss.Style

	Leader, Follower, Candidate, Observer, Down lipgloss.Style

	OK, Warn, Err lipgloss.Style
	Fresh, Fading lipgloss.Style // recently changed znodes
	Highlight     lipgloss.Style // the znode the selected transaction touched
	Badge         lipgloss.Style
	Spark         lipgloss.Style

	Key, KeyDisabled, Reason lipgloss.Style
	Overlay                  lipgloss.Style
}

type palette struct {
	fg, dim, accent, border, focus      color.Color
	leader, follower, candidate, down   color.Color
	ok, warn, err, fresh, fading, badge color.Color
	selFg, selBg, headerFg, headerBg    color.Color
	keyFg, overlayBg                    color.Color
	bold                                bool
}

func fromPalette(name string, p palette) *Styles {
	st := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	return &Styles{
		Name:        name,
		Border:      st(p.border),
		BorderFocus: st(p.focus).Bold(true),
		Title:       st(p.fg).Bold(p.bold),
		TitleFocus:  st(p.focus).Bold(true),
		Header:      lipgloss.NewStyle().Foreground(p.headerFg).Background(p.headerBg).Bold(true),
		Tab:         st(p.dim),
		TabActive:   st(p.focus).Bold(true).Underline(true),
		Text:        st(p.fg),
		Dim:         st(p.dim),
		Bold:        st(p.fg).Bold(true),
		Selected:    lipgloss.NewStyle().Foreground(p.selFg).Background(p.selBg).Bold(p.bold),
		ColumnHead:  st(p.accent).Bold(true),
		Leader:      st(p.leader).Bold(true),
		Follower:    st(p.follower),
		Candidate:   st(p.candidate).Bold(true),
		Observer:    st(p.dim),
		Down:        st(p.down).Bold(true),
		OK:          st(p.ok),
		Warn:        st(p.warn).Bold(true),
		Err:         st(p.err).Bold(true),
		Fresh:       st(p.fresh).Bold(true),
		Fading:      st(p.fading),
		Highlight:   lipgloss.NewStyle().Foreground(p.selFg).Background(p.fresh).Bold(true),
		Badge:       st(p.badge),
		Spark:       st(p.accent),
		Key:         st(p.keyFg).Bold(true),
		KeyDisabled: st(p.dim).Strikethrough(false),
		Reason:      st(p.dim).Italic(true),
		Overlay:     lipgloss.NewStyle().Foreground(p.fg).Background(p.overlayBg),
	}
}

// DefaultStyles is the everyday theme for a dark terminal.
func DefaultStyles() *Styles {
	return fromPalette("default", palette{
		fg: lipgloss.Color("252"), dim: lipgloss.Color("243"), accent: lipgloss.Color("117"),
		border: lipgloss.Color("240"), focus: lipgloss.Color("212"),
		leader: lipgloss.Color("220"), follower: lipgloss.Color("114"), candidate: lipgloss.Color("208"), down: lipgloss.Color("203"),
		ok: lipgloss.Color("114"), warn: lipgloss.Color("214"), err: lipgloss.Color("203"),
		fresh: lipgloss.Color("220"), fading: lipgloss.Color("180"), badge: lipgloss.Color("147"),
		selFg: lipgloss.Color("235"), selBg: lipgloss.Color("117"), headerFg: lipgloss.Color("235"), headerBg: lipgloss.Color("117"),
		keyFg: lipgloss.Color("212"), overlayBg: lipgloss.Color("236"),
	})
}

// HighContrastStyles is for projectors: pure colours, everything that
// matters in bold.
func HighContrastStyles() *Styles {
	return fromPalette("high-contrast", palette{
		fg: lipgloss.BrightWhite, dim: lipgloss.White, accent: lipgloss.BrightCyan,
		border: lipgloss.BrightWhite, focus: lipgloss.BrightYellow,
		leader: lipgloss.BrightYellow, follower: lipgloss.BrightGreen, candidate: lipgloss.BrightMagenta, down: lipgloss.BrightRed,
		ok: lipgloss.BrightGreen, warn: lipgloss.BrightYellow, err: lipgloss.BrightRed,
		fresh: lipgloss.BrightYellow, fading: lipgloss.Yellow, badge: lipgloss.BrightCyan,
		selFg: lipgloss.Black, selBg: lipgloss.BrightYellow, headerFg: lipgloss.Black, headerBg: lipgloss.BrightWhite,
		keyFg: lipgloss.BrightYellow, overlayBg: lipgloss.Black, bold: true,
	})
}

// PlainStyles uses no colour at all (NO_COLOR): emphasis is bold,
// underline and reverse video only.
func PlainStyles() *Styles {
	n := lipgloss.NewStyle()
	return &Styles{
		Name: "plain", Border: n, BorderFocus: n.Bold(true), Title: n, TitleFocus: n.Bold(true).Underline(true),
		Header: n.Reverse(true), Tab: n, TabActive: n.Bold(true).Underline(true),
		Text: n, Dim: n, Bold: n.Bold(true), Selected: n.Reverse(true), ColumnHead: n.Underline(true),
		Leader: n.Bold(true), Follower: n, Candidate: n.Underline(true), Observer: n, Down: n.Bold(true),
		OK: n, Warn: n.Bold(true), Err: n.Bold(true), Fresh: n.Bold(true), Fading: n.Underline(true),
		Highlight: n.Reverse(true), Badge: n, Spark: n, Key: n.Bold(true), KeyDisabled: n, Reason: n.Italic(true),
		Overlay: n,
	}
}

// StylesNamed returns the theme called name ("default", "high-contrast"
// or "plain"); noColor forces plain.
func StylesNamed(name string, noColor bool) *Styles {
	switch {
	case noColor || name == "plain":
		return PlainStyles()
	case name == "high-contrast":
		return HighContrastStyles()
	}
	return DefaultStyles()
}

// Role returns the style of a member role.
func (s *Styles) Role(role string) lipgloss.Style {
	switch role {
	case "leader", "standalone":
		return s.Leader
	case "follower":
		return s.Follower
	case "candidate":
		return s.Candidate
	case "observer":
		return s.Observer
	case "down", "unknown":
		return s.Down
	}
	return s.Text
}
