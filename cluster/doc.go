// Package cluster makes the tree a replicated service: the raft FSM around
// tree, members (Node), the in-process Ensemble, sessions and their expiry,
// request forwarding to the leader, and the observation surface (events,
// exact counters, copied state snapshots) that the console reads.
//
// A write follows one path on every member: it is encoded as a tree.Txn,
// proposed on the leader (a follower forwards it over the peer port), packed
// with other pending writes into one raft entry, committed, and applied by
// every member's FSM in log order. The member that took the request answers
// only after its own FSM applied it, so a session reads its own writes on
// whatever member it is connected to. Reads are served from the local tree
// (sequentially consistent, as in ZooKeeper); Sync waits until the local
// member has applied everything the leader had committed when it was asked.
//
// Observation never slows consensus: events go out through non-blocking
// subscriber channels, counters are atomics, state snapshots are copies.
package cluster
