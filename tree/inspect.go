package tree

import (
	"slices"
	"strings"
)

// Walk calls fn for the node at path and every node below it, in pre-order
// with children in name order, until fn returns false. Nothing is called for
// a missing path. data is shared with the tree, as with Get. Walk checks no
// ACLs: it is for the console and the cli, not for clients.
func (t *Tree) Walk(path string, fn func(path string, stat Stat, data []byte) bool) {
	n := t.lookup(path)
	if n == nil {
		return
	}
	if path == "" {
		path = "/"
	}
	walkFrom(n, path, func(p string, n *node) bool { return fn(p, n.stat(), n.data) })
}

// NodeInfo tells what kind of node is at path, for the console's badges.
// Containers and TTL nodes (with their TTL in ms) are known from how they
// were created; whether a node is sequential is judged from its name alone
// (it ends in a ten-character sequence number).
func (t *Tree) NodeInfo(path string) (mode CreateMode, ttl int64, ok bool) {
	n := t.lookup(path)
	if n == nil {
		return 0, 0, false
	}
	seq := looksSequential(path[strings.LastIndexByte(path, '/')+1:])
	switch n.kind() {
	case kindContainer:
		return Container, 0, true
	case kindTTL:
		if seq {
			return PersistentSequentialWithTTL, n.owner &^ ttlOwner, true
		}
		return PersistentWithTTL, n.owner &^ ttlOwner, true
	case kindEphemeral:
		if seq {
			return EphemeralSequential, 0, true
		}
		return Ephemeral, 0, true
	}
	if seq {
		return PersistentSequential, 0, true
	}
	return Persistent, 0, true
}

// ReapCandidates lists, in order, the nodes the container reaper would
// delete at time now (ms), by ZooKeeper's ContainerManager rules: containers
// that have no children but have had some (their child counter is above 0),
// and TTL nodes that have no children and were last modified more than their
// TTL ago. The reaper proposes a deleteContainer for each.
func (t *Tree) ReapCandidates(now int64) []string {
	return t.ReapCandidatesWith(now, 0)
}

// ReapCandidatesWith is ReapCandidates with ZooKeeper's
// znode.container.maxNeverUsedIntervalMs: when it is not 0, containers that
// never had a child are candidates too once their mtime is more than that
// long ago.
func (t *Tree) ReapCandidatesWith(now, maxNeverUsedMs int64) []string {
	var out []string
	for p := range t.containers {
		n := t.lookup(p)
		if n == nil || n.kids != nil {
			continue
		}
		if n.cversion > 0 || (maxNeverUsedMs != 0 && now-n.mtime > maxNeverUsedMs) {
			out = append(out, p)
		}
	}
	for p := range t.ttls {
		n := t.lookup(p)
		if n == nil || n.kids != nil {
			continue
		}
		if ttl := n.owner &^ ttlOwner; ttl != 0 && now-n.mtime > ttl {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// parentPath of a canonical path, "/" for children of the root.
func parentPath(p string) string { return canonParent(p[:strings.LastIndexByte(p, '/')]) }
