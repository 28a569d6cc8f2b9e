// Package tree is the deterministic znode state machine. It has no clock, no
// goroutines and no dependencies outside the standard library.
//
// A Tree holds what every member of an ensemble must agree on: the znodes
// (data, ACLs, stats), the session table with the ephemerals each session
// owns, and the last applied zxid. It changes only through Apply, which is fed
// replicated transactions (Txn) carrying their own zxid and timestamp, so every
// replica that applies the same sequence computes the same tree, the same
// Results and the same Digest. Reads (Get, Children, ...) never change
// anything, not even caches, so callers may run them concurrently with each
// other under a read lock; Apply needs the write lock. Nothing in this package
// is safe for concurrent use on its own.
//
// Semantics follow Apache ZooKeeper (checks, their order and the error codes,
// stat bookkeeping, sequence numbers, containers and TTL nodes, multi), taking
// 3.9's behaviour where 3.8 and 3.9 differ. See /work/shared/ZK-PROTOCOL.md.
//
// Watches are per member and not replicated; Watches keeps the registry and
// the trigger rules, also pure and deterministic.
package tree
