package tree

import "math/bits"

// The tree digest is the wrapping sum of one 64-bit hash per node, so it does
// not depend on the order nodes were created in and is kept up to date in
// O(1) per changed node: subtract the old hash, add the new one. Each node's
// hash is split in two parts, (path, stat, ACL) and (path, data), so a child
// create that touches its parent's stat never rehashes the parent's data.
//
// The hash is a small fixed multiply-rotate construction, the same on every
// platform (hash/maphash is seeded per process, so replicas could not compare
// digests).

const (
	k1 = 0x9e3779b97f4a7c15
	k2 = 0xc2b2ae3d27d4eb4f
	k3 = 0x165667b19e3779f9

	seedPath = 0x5851f42d4c957f2d
	seedData = 0x27d4eb2f165667c5
	seedMeta = 0x94d049bb133111eb
	seedACL  = 0xbf58476d1ce4e5b9
)

func fmix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

func step(h, w uint64) uint64 {
	return bits.RotateLeft64(h^(w*k2), 31) * k1
}

func hashBytes[T string | []byte](seed uint64, b T) uint64 {
	h := seed ^ uint64(len(b))*k3
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
		h = step(h, w)
	}
	if i < len(b) {
		var w uint64
		for j := 0; i < len(b); i, j = i+1, j+8 {
			w |= uint64(b[i]) << j
		}
		h = step(h, w)
	}
	return fmix(h)
}

func pathHash(path string) uint64 { return hashBytes(seedPath, path) }

// metaHash covers everything about a node but its data and children (the
// children are nodes of their own).
func metaHash(ph uint64, n *node, aclHash uint64) uint64 {
	h := ph ^ seedMeta
	h = step(h, uint64(n.czxid))
	h = step(h, uint64(n.mzxid))
	h = step(h, uint64(n.pzxid))
	h = step(h, uint64(n.ctime))
	h = step(h, uint64(n.mtime))
	h = step(h, uint64(n.owner))
	h = step(h, uint64(uint32(n.version))|uint64(uint32(n.cversion))<<32)
	h = step(h, uint64(uint32(n.aversion)))
	h = step(h, aclHash)
	return fmix(h)
}

// dataHash tells nil data (a node created with null data) from empty data,
// because clients see the difference (-1 or 0 on the wire).
func dataHash(ph uint64, data []byte) uint64 {
	seed := ph ^ seedData
	if data == nil {
		seed = ^seed
	}
	return hashBytes(seed, data)
}

func (t *Tree) metaOf(n *node, ph uint64) uint64 {
	return metaHash(ph, n, t.acls.ents[n.acl].hash)
}

func (t *Tree) nodeHash(n *node, ph uint64) uint64 {
	return t.metaOf(n, ph) + dataHash(ph, n.data)
}

// recomputeDigest hashes every node from scratch; RestoreSnapshot checks the
// result against the digest the snapshot carries, and tests check that the
// incremental digest never drifts from it.
func (t *Tree) recomputeDigest() uint64 {
	var sum uint64
	t.walkNodes(func(path string, n *node) bool {
		sum += t.nodeHash(n, pathHash(path))
		return true
	})
	return sum
}
