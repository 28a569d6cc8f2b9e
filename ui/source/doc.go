// Package source is the console's data-source seam: everything the panes
// show comes through the Source interface as copied values (Snapshot,
// Child, Detail) and as events (cluster/event), so a pane never knows
// whether it looks at an ensemble running in this process (Embedded) or at
// a live ensemble reached over the network (Attached: Apache ZooKeeper, or
// coordtui through the ZooKeeper protocol alone), or at the ensembles a
// lesson or demo builds one after another (Scripted).
//
// Changing the ensemble — crashing members, cutting links, slow motion and
// step mode — is the separate Control interface, which the embedded and
// scripted sources offer.
//
// Methods that may do I/O take a context and are meant to be called from
// Bubble Tea commands, never from Update. Nothing here imports
// hashicorp/raft or holds a cluster lock beyond one call.
package source
