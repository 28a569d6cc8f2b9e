// Package recipes holds Curator-class coordination recipes — locks with
// fencing tokens, read/write lock, semaphore, multi-lock, leader election,
// barriers, queues, a shared counter, group membership, a service registry
// and caches — written against the small Client interface declared here, so
// they run against any ZooKeeper-protocol ensemble: coordtui's own or Apache
// ZooKeeper. *zk.Client satisfies Client; Session adds push notification of
// connection-state changes.
//
// Every recipe reports each operation it sends to a Tracer as a Step (the
// operation, the znode, the watch it arms, why it waits, the pseudo-code
// line it is on) and asks a Gate before sending it, so a user or a lesson
// can advance one client one step at a time (StepGate). The gate and the
// tracer live here, below the console, so the lesson engine drives them the
// way the console does.
//
// Connection state, as Curator treats it:
//
//   - Suspended (connection lost, session maybe alive): a recipe stops
//     claiming what it holds — Mutex.Holding and LeaderLatch.IsLeader report
//     false — until the client reconnects; operations that failed with
//     connection loss are retried under the RetryPolicy where that is safe.
//   - Lost (session expired, or the client closed or crashed): ephemerals are
//     gone, so every lock, lease and leadership is gone; waiting calls fail
//     with ErrSessionLost and the recipe must be rebuilt on a new session.
//
// Each recipe's doc comment says what it does in each case.
//
// Types whose names start with Unsafe are deliberately broken versions for
// teaching; their doc comments say how they break. They are never to be used
// for real coordination.
//
// The package never starts an ensemble and never imports the cluster
// package: it talks to ZooKeeper only through Client.
package recipes
