// Package source is the console's data-source seam: everything the panes
// show comes through the Source interface as copied values (Snapshot,
// Child, Detail) and as events (cluster/event), so a pane never knows
// whether it looks at an ensemble running in this process (Embedded) or at
// a live ensemble reached over the network (Attached: Apache ZooKeeper, or
// coordtui through the ZooKeeper protocol alone; Remote: coordtui through the
// protocol and its admin API, which gives the full view — raft state, the
// zxid log, raft RPCs — from its status and event stream), or at the
// ensembles a lesson or demo builds one after another (Scripted).
//
// Changing the ensemble — crashing members, cutting links, slow motion and
// step mode — is the separate Control interface, with Network for the links.
// The embedded and scripted sources offer all of it; Remote offers what the
// admin API's fault control can do, when it is on and the console has the
// token, and says what it cannot (Limited).
//
// Methods that may do I/O take a context and are meant to be called from
// Bubble Tea commands, never from Update. Nothing here imports
// hashicorp/raft or holds a cluster lock beyond one call.
package source
