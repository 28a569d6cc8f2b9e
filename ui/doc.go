// Package ui is coordtui's live console: a Bubble Tea program that shows an
// ensemble working (members and quorum, the znode tree, the zxid log,
// watch fan-out, sessions and workers, the network between members) and
// lets a newcomer break it with a few keys: crash and restart members,
// partition the network, start, crash, freeze and expire workers, slow
// time down or step through raft's messages one at a time, and run a
// coordination recipe on workers one request at a time (:recipe).
//
// The console follows the Elm loop: state changes only in Update, I/O
// happens only in commands, and the ensemble's events arrive as messages.
// It reads the ensemble through ui/source (embedded or attached) and never
// imports hashicorp/raft or holds a cluster lock. Keys are data (KeyMap);
// a key that does not apply is shown dimmed with the reason.
package ui
