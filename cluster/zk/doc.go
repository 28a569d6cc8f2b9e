// Package zk is the ZooKeeper client protocol: the jute codec (both ends) and
// a client. It imports nothing else of coordtui's.
//
// The codec is explicit per record (no reflection). Every record type has an
// Encode method that appends it to an Encoder and a Decode method that reads
// it from a bounds-checked Decoder: every length is checked against the bytes
// left in the frame and against the packet limit before anything is
// allocated, so a hostile frame costs at most a small multiple of its own
// size. Encoders never emit null strings or vectors; a nil []byte encodes as
// a null buffer (-1), as ZooKeeper itself does for null data. Decoders accept
// null strings (kazoo sends them) as "", null buffers as nil and null vectors
// as empty.
//
// The Client speaks to Apache ZooKeeper 3.8+ and to coordtui's own ensemble:
// host list with failover, pings at a third of the session timeout, reconnect
// with re-authentication and SetWatches/SetWatches2, one-shot and persistent
// watches whose events are never dropped, client-side chroot, and every
// operation up to whoAmI as a context-aware method. It never opens a new
// session behind the caller's back: once the session has expired the Client
// is finished and the caller connects again.
//
// ZooKeeper's behaviour is described in /work/shared/ZK-PROTOCOL.md; section
// numbers in comments refer to that file.
package zk
