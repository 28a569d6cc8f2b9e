package tree

import (
	"encoding/binary"
	"slices"
)

// aclTable interns ACL lists, as ZooKeeper's ReferenceCountedACLCache does:
// most nodes share a handful of ACLs, so a node holds a 4-byte reference and
// the table holds each distinct list once, with a reference count. Entries
// are never modified; a freed slot is reused by a later list. Slot numbers
// are not part of any output or digest, so replicas whose tables are numbered
// differently (one restored from a snapshot) still agree on everything.
type aclTable struct {
	ids  map[string]uint32 // canonical encoding → slot
	ents []aclEnt
	free []uint32
	key  []byte // scratch for lookups; only the writer uses it
}

type aclEnt struct {
	list []ACL
	key  string
	hash uint64
	refs int
}

func newACLTable() aclTable { return aclTable{ids: make(map[string]uint32)} }

func appendACLKey(dst []byte, acl []ACL) []byte {
	for _, a := range acl {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(a.Perms))
		dst = binary.AppendUvarint(dst, uint64(len(a.ID.Scheme)))
		dst = append(dst, a.ID.Scheme...)
		dst = binary.AppendUvarint(dst, uint64(len(a.ID.ID)))
		dst = append(dst, a.ID.ID...)
	}
	return dst
}

// acquire returns the slot for acl, adding one reference.
func (a *aclTable) acquire(acl []ACL) uint32 {
	a.key = appendACLKey(a.key[:0], acl)
	if ref, ok := a.ids[string(a.key)]; ok {
		a.ents[ref].refs++
		return ref
	}
	ent := aclEnt{list: slices.Clone(acl), key: string(a.key), refs: 1}
	ent.hash = hashBytes(seedACL, ent.key)
	var ref uint32
	if n := len(a.free); n > 0 {
		ref = a.free[n-1]
		a.free = a.free[:n-1]
		a.ents[ref] = ent
	} else {
		ref = uint32(len(a.ents))
		a.ents = append(a.ents, ent)
	}
	a.ids[ent.key] = ref
	return ref
}

// release drops one reference and frees the slot with the last one.
func (a *aclTable) release(ref uint32) {
	e := &a.ents[ref]
	if e.refs--; e.refs > 0 {
		return
	}
	delete(a.ids, e.key)
	*e = aclEnt{}
	a.free = append(a.free, ref)
}

// list is the interned list itself; callers must not modify it.
func (a *aclTable) list(ref uint32) []ACL { return a.ents[ref].list }

// live counts the distinct ACL lists in use.
func (a *aclTable) live() int { return len(a.ids) }
