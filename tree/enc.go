package tree

import (
	"encoding/binary"
	"errors"
)

// Small helpers for the binary formats (txns and snapshots): varints,
// length-prefixed strings and byte slices with nil kept apart from empty.

var errCorrupt = errors.New("tree: corrupt encoding")

func appendVarint(dst []byte, v int64) []byte   { return binary.AppendVarint(dst, v) }
func appendUvarint(dst []byte, v uint64) []byte { return binary.AppendUvarint(dst, v) }

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// appendBytes writes len+1, so that 0 can mean nil.
func appendBytes(dst []byte, b []byte) []byte {
	if b == nil {
		return append(dst, 0)
	}
	dst = binary.AppendUvarint(dst, uint64(len(b))+1)
	return append(dst, b...)
}

func appendACLs(dst []byte, acl []ACL) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(acl)))
	for _, a := range acl {
		dst = binary.AppendVarint(dst, int64(a.Perms))
		dst = appendString(dst, a.ID.Scheme)
		dst = appendString(dst, a.ID.ID)
	}
	return dst
}

// reader decodes from a byte slice; the first failure sticks, so callers
// check err once at the end of a record. It never allocates more than the
// remaining input could justify.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() { r.err = errCorrupt; r.b = nil }

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) int32() int32 {
	v := r.varint()
	if int64(int32(v)) != v {
		r.fail()
		return 0
	}
	return int32(v)
}

// count reads an element count, each element needing at least min bytes.
func (r *reader) count(min int) int {
	n := r.uvarint()
	if n > uint64(len(r.b)/min) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *reader) raw(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	b := r.b[:n:n]
	r.b = r.b[n:]
	return b
}

func (r *reader) string() string { return string(r.raw(r.uvarint())) }

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if n == 0 || r.err != nil {
		return nil
	}
	return append([]byte{}, r.raw(n-1)...)
}

func (r *reader) acls() []ACL {
	n := r.count(3)
	if r.err != nil {
		return nil
	}
	acl := make([]ACL, n)
	for i := range acl {
		acl[i].Perms = r.int32()
		acl[i].ID.Scheme = r.string()
		acl[i].ID.ID = r.string()
	}
	return acl
}
