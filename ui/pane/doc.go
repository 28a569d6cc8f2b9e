// Package pane holds the console's components: members and quorum, the
// znode tree, the zxid log, watch fan-out, sessions and workers, the
// network, and the recipe runner. Each is a plain value the console's Update drives through
// methods (SetSize, SetSnapshot, Move, ...) and renders with View, which
// returns exactly the size it was given. Panes do no I/O and hold no
// cluster locks: they see copied snapshots and events only, so each is
// tested with a golden View fed by hand-built data.
//
// All panes share one Common: the Styles, the size of the screen and the
// clock (data, so that golden tests are stable).
package pane
