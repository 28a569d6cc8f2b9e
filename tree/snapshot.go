package tree

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
)

// A snapshot holds the whole replicated state: every node, the sessions and
// the last zxid, closed by the tree digest and a CRC-32C of everything
// before it.
//
//	"ZKT" 0x01
//	varint lastZxid
//	ACL lists: count, each an ACL list (numbered in order of first use)
//	sessions by id: count, each varint id, varint timeout, bytes password
//	nodes in pre-order, children by name: string name, bytes data,
//	  varint czxid mzxid pzxid ctime mtime owner version cversion aversion,
//	  uvarint ACL number, uvarint child count
//	uint64 digest, uint32 crc
//
// The bytes depend only on the state, not on how it was reached: ACL lists
// are numbered in order of first use, not by their slots in the intern table.

var snapMagic = []byte{'Z', 'K', 'T', 1}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// AppendSnapshot appends the encoding of the whole tree to dst. Its size is
// about the size of the data plus the names plus ~40 bytes a node.
func (t *Tree) AppendSnapshot(dst []byte) []byte {
	start := len(dst)
	dst = append(dst, snapMagic...)
	dst = appendVarint(dst, int64(t.lastZxid))

	number := make(map[uint32]uint64)
	var order []uint32
	t.walkNodes(func(_ string, n *node) bool {
		if _, ok := number[n.acl]; !ok {
			number[n.acl] = uint64(len(order))
			order = append(order, n.acl)
		}
		return true
	})
	dst = appendUvarint(dst, uint64(len(order)))
	for _, ref := range order {
		dst = appendACLs(dst, t.acls.list(ref))
	}

	ids := make([]int64, 0, len(t.sessions))
	for id := range t.sessions {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	dst = appendUvarint(dst, uint64(len(ids)))
	for _, id := range ids {
		s := t.sessions[id]
		dst = appendVarint(dst, id)
		dst = appendVarint(dst, int64(s.timeout))
		dst = appendBytes(dst, s.password)
	}

	t.walkNodes(func(path string, n *node) bool {
		dst = appendString(dst, path[strings.LastIndexByte(path, '/')+1:])
		dst = appendBytes(dst, n.data)
		for _, v := range [...]int64{int64(n.czxid), int64(n.mzxid), int64(n.pzxid), n.ctime, n.mtime,
			n.owner, int64(n.version), int64(n.cversion), int64(n.aversion)} {
			dst = appendVarint(dst, v)
		}
		dst = appendUvarint(dst, number[n.acl])
		dst = appendUvarint(dst, uint64(n.numChildren()))
		return true
	})
	dst = binary.LittleEndian.AppendUint64(dst, t.digest)
	return binary.LittleEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
}

// RestoreSnapshot rebuilds a tree from AppendSnapshot's encoding. Anything
// else gives an error, never a panic, with allocations bounded by len(b).
// The restored tree has the original's digest (checked), answers every read
// as the original did and applies later txns identically; its data size
// limit is the default (SetMaxData again if it was changed).
func RestoreSnapshot(b []byte) (*Tree, error) {
	t, err := restore(b)
	if err != nil {
		return nil, fmt.Errorf("tree: restore snapshot: %w", err)
	}
	return t, nil
}

func restore(b []byte) (*Tree, error) {
	if len(b) < len(snapMagic)+12 || string(b[:len(snapMagic)]) != string(snapMagic) {
		return nil, errCorrupt
	}
	body, tail := b[:len(b)-4], b[len(b)-4:]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(tail) {
		return nil, fmt.Errorf("checksum mismatch: %w", errCorrupt)
	}
	digest := binary.LittleEndian.Uint64(body[len(body)-8:])
	r := &reader{b: body[len(snapMagic) : len(body)-8]}
	t := newEmpty()
	t.lastZxid = Zxid(r.varint())

	nacl := r.count(1)
	lists := make([][]ACL, 0, nacl)
	for i := 0; i < nacl && r.err == nil; i++ {
		lists = append(lists, r.acls())
	}
	refs := make([]uint32, len(lists))

	nsess := r.count(3)
	last := int64(0)
	for i := 0; i < nsess && r.err == nil; i++ {
		id, timeout, pw := r.varint(), r.int32(), r.bytes()
		if r.err != nil || (i > 0 && id <= last) || reservedSession(id) {
			return nil, errCorrupt
		}
		last = id
		t.sessions[id] = &session{timeout: timeout, password: pw, ephemerals: make(map[string]struct{})}
	}
	if r.err != nil {
		return nil, r.err
	}
	if err := t.restoreNodes(r, lists, refs); err != nil {
		return nil, err
	}
	for i, ref := range refs {
		if ref == 0 {
			return nil, fmt.Errorf("unused acl %d: %w", i, errCorrupt)
		}
	}
	if got := t.recomputeDigest(); got != digest || got != t.digest {
		return nil, fmt.Errorf("digest mismatch: %w", errCorrupt)
	}
	return t, nil
}

// restoreNodes reads the pre-order node list. refs counts, per ACL number,
// how many nodes use it.
func (t *Tree) restoreNodes(r *reader, lists [][]ACL, refs []uint32) error {
	type frame struct {
		n        *node
		path     string
		left     uint64
		lastName string
	}
	var stack []frame
	for first := true; first || len(stack) > 0; first = false {
		name := r.string()
		n := &node{data: r.bytes()}
		var v [9]int64
		for i := range v {
			v[i] = r.varint()
		}
		aclNum, kids := r.uvarint(), r.uvarint()
		if r.err != nil {
			return r.err
		}
		n.czxid, n.mzxid, n.pzxid, n.ctime, n.mtime, n.owner = Zxid(v[0]), Zxid(v[1]), Zxid(v[2]), v[3], v[4], v[5]
		for i, p := range []*int32{&n.version, &n.cversion, &n.aversion} {
			if int64(int32(v[6+i])) != v[6+i] {
				return errCorrupt
			}
			*p = int32(v[6+i])
		}
		if aclNum >= uint64(len(lists)) || kids > uint64(len(r.b)) {
			return errCorrupt
		}
		n.acl = t.acls.acquire(lists[aclNum])
		refs[aclNum]++

		var path string
		if first {
			if name != "" {
				return errCorrupt
			}
			t.root, path, t.count = n, "/", 1
			t.digest = t.nodeHash(n, pathHash(path))
		} else {
			top := &stack[len(stack)-1]
			if !validComponent(name) || (top.lastName != "" && name <= top.lastName) {
				return errCorrupt
			}
			top.lastName = name
			top.left--
			path = top.path + "/" + name
			if top.n == t.root {
				path = "/" + name
			}
			if n.kind() == kindEphemeral && t.sessions[n.owner] == nil {
				return fmt.Errorf("ephemeral %s of unknown session: %w", path, errCorrupt)
			}
			t.linkRaw(top.n, name, n, path, pathHash(path))
		}
		if kids > 0 {
			stack = append(stack, frame{n: n, path: path, left: kids})
		}
		for len(stack) > 0 && stack[len(stack)-1].left == 0 {
			stack = stack[:len(stack)-1]
		}
	}
	if len(r.b) != 0 {
		return errCorrupt
	}
	return nil
}
