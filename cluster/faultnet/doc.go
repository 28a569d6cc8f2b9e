// Package faultnet is the breakable network between coordtui's members and
// between clients and members.
//
// Every member's raft traffic goes through a Transport, a raft.Transport that
// wraps raft's own TCP NetworkTransport (real sockets, also on loopback) and
// consults a Links table shared by the whole ensemble before each RPC leaves.
// Links holds one Fault per directed link from->to: cut, delay, lossy (with a
// seeded random source), hold. Every RPC attempted, and every change to the
// faults, is published on an event.Bus without ever blocking raft.
//
// Faults act on the sending side. A fault on from->to governs the RPCs that
// from sends to to, and the answers to those RPCs; it does not touch RPCs
// that to sends to from, or their answers. So CutOneWay(a, b) leaves b
// hearing nothing from a (no heartbeats, no appends, no votes), while b's
// own RPCs still reach a and a's answers still reach b.
//
// Client connections are broken with Conns: a listener wrapper for the
// ZooKeeper client port whose connections can be cut (reset) or frozen.
//
// Raft's logger is replaced by Logger, which turns log lines into events so
// nothing is ever written to the terminal the console draws on.
//
// The package imports only cluster/event, hashicorp/raft and raft's logging
// library go-hclog.
package faultnet
