package pane

import (
	"time"

	"coordtui/ui/source"
)

// ID names a pane.
type ID int

// The panes, in the order of the number keys that focus them.
const (
	MembersPane ID = iota + 1
	TreePane
	LogPane
	WatchesPane
	SessionsPane
	NetworkPane
	RecipesPane
)

// IDs lists every pane in focus order.
var IDs = []ID{MembersPane, TreePane, LogPane, WatchesPane, SessionsPane, NetworkPane, RecipesPane}

// Title is the pane's name as tabs and frames show it.
func (id ID) Title() string {
	switch id {
	case MembersPane:
		return "Members"
	case TreePane:
		return "Tree"
	case LogPane:
		return "zxid log"
	case WatchesPane:
		return "Watches"
	case SessionsPane:
		return "Sessions"
	case NetworkPane:
		return "Network"
	case RecipesPane:
		return "Recipes"
	}
	return "?"
}

// ShortSession names a session in a few cells (see source.ShortSession).
func ShortSession(id int64) string { return source.ShortSession(id) }

// Common is what every pane shares.
type Common struct {
	Styles *Styles
	// Now is the clock panes read ages from; tests pin it.
	Now func() time.Time
}

// NewCommon returns a Common with the given styles and the wall clock.
func NewCommon(s *Styles) *Common { return &Common{Styles: s, Now: time.Now} }

// size is the part of a pane every pane has: its size and focus.
type size struct {
	w, h    int
	focused bool
}

// SetSize sets the outer size, frame included.
func (s *size) SetSize(w, h int) { s.w, s.h = max(w, 0), max(h, 0) }

// SetFocused marks the pane as the one keys go to.
func (s *size) SetFocused(f bool) { s.focused = f }

// Size returns the outer size.
func (s *size) Size() (int, int) { return s.w, s.h }

// inner is the size inside the frame.
func (s *size) inner() (int, int) { return max(s.w-2, 0), max(s.h-2, 0) }
