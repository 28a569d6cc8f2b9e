// Package worker runs simulated client processes: each worker is a real
// ZooKeeper session over TCP (coordtui's own client, cluster/zk) that
// registers an ephemeral znode under a root (/workers by default), so the
// console and the lessons can start, stop, crash, freeze and expire them and
// show what each one's client believes about its session.
//
// Only a client knows its own state (connecting, connected, suspended,
// expired, closed): the ensemble sees sessions, not processes. A Pool keeps
// each worker's client-side state as a copied snapshot (List) and reports
// every change to subscribers without ever blocking the worker (Subscribe).
//
// The package talks to any ZooKeeper-protocol ensemble, Apache ZooKeeper
// included; it imports only cluster/zk of coordtui's packages.
package worker
