package zk

import (
	"encoding/binary"
	"fmt"
)

// DefaultMaxPacket is jute.maxbuffer's default, 0xfffff bytes: the largest
// frame payload ZooKeeper servers accept and Java clients read (§1.3).
const DefaultMaxPacket = 0xfffff

// Record is one jute record. Encode appends it; Decode reads it and leaves any
// failure in the Decoder (see Decoder.Err), so a record's Decode is a plain
// sequence of field reads.
type Record interface {
	Encode(e *Encoder)
	Decode(d *Decoder)
}

// Encoder appends jute values to Buf. It never fails; it never writes a null
// string or a null vector (go-zookeeper/zk dies on them, §1.2).
type Encoder struct {
	Buf []byte
}

// Byte appends one byte.
func (e *Encoder) Byte(v byte) { e.Buf = append(e.Buf, v) }

// Bool appends a boolean as one byte, 0 or 1.
func (e *Encoder) Bool(v bool) {
	if v {
		e.Buf = append(e.Buf, 1)
	} else {
		e.Buf = append(e.Buf, 0)
	}
}

// Int appends a big-endian int32.
func (e *Encoder) Int(v int32) { e.Buf = binary.BigEndian.AppendUint32(e.Buf, uint32(v)) }

// Long appends a big-endian int64.
func (e *Encoder) Long(v int64) { e.Buf = binary.BigEndian.AppendUint64(e.Buf, uint64(v)) }

// String appends a ustring; "" is written with length 0, never as null.
func (e *Encoder) String(s string) {
	e.Int(int32(len(s)))
	e.Buf = append(e.Buf, s...)
}

// Buffer appends a buffer; nil is written as null (-1), an empty non-nil
// slice with length 0, as ZooKeeper does for null and empty data.
func (e *Encoder) Buffer(b []byte) {
	if b == nil {
		e.Int(-1)
		return
	}
	e.Int(int32(len(b)))
	e.Buf = append(e.Buf, b...)
}

// Strings appends a vector<ustring>; nil is written as an empty vector.
func (e *Encoder) Strings(v []string) {
	e.Int(int32(len(v)))
	for _, s := range v {
		e.String(s)
	}
}

// Decoder reads jute values from one frame. Errors are sticky: after the
// first failure every read returns a zero value and Err reports the failure,
// which always wraps ErrMarshallingError. Lengths are checked against the
// bytes remaining and against the limit given to NewDecoder before anything
// is allocated.
type Decoder struct {
	buf []byte
	off int
	max int
	err error
}

// NewDecoder returns a decoder over b that refuses any single length above
// max (DefaultMaxPacket when max <= 0).
func NewDecoder(b []byte, max int) *Decoder {
	if max <= 0 {
		max = DefaultMaxPacket
	}
	return &Decoder{buf: b, max: max}
}

// Err returns the first failure, or nil.
func (d *Decoder) Err() error { return d.err }

// Remaining returns the number of bytes not yet read.
func (d *Decoder) Remaining() int { return len(d.buf) - d.off }

// Fail records err (wrapped in ErrMarshallingError) unless a failure is
// already recorded. Records use it for semantic checks such as an opcode not
// allowed in a multi.
func (d *Decoder) Fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrMarshallingError, fmt.Sprintf(format, args...))
	}
}

func (d *Decoder) take(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n > d.Remaining() {
		d.Fail("%s needs %d bytes, %d left", what, n, d.Remaining())
		return nil
	}
	b := d.buf[d.off : d.off+n]
	d.off += n
	return b
}

// Byte reads one byte.
func (d *Decoder) Byte() byte {
	if b := d.take(1, "byte"); b != nil {
		return b[0]
	}
	return 0
}

// Bool reads a boolean; any non-zero byte is true, as in Java.
func (d *Decoder) Bool() bool { return d.Byte() != 0 }

// Int reads a big-endian int32.
func (d *Decoder) Int() int32 {
	if b := d.take(4, "int"); b != nil {
		return int32(binary.BigEndian.Uint32(b))
	}
	return 0
}

// Long reads a big-endian int64.
func (d *Decoder) Long() int64 {
	if b := d.take(8, "long"); b != nil {
		return int64(binary.BigEndian.Uint64(b))
	}
	return 0
}

// length reads a length or count and checks it: -1 means null (returned as
// -1), anything else must be non-negative, at most Max, and need at most the
// remaining bytes when each unit occupies minSize bytes on the wire.
func (d *Decoder) length(what string, minSize int) int {
	n := int(d.Int())
	if d.err != nil || n == -1 {
		return n
	}
	switch {
	case n < 0:
		d.Fail("%s length %d is negative", what, n)
	case n > d.max:
		d.Fail("%s length %d exceeds the %d-byte limit", what, n, d.max)
	case n > d.Remaining()/minSize:
		d.Fail("%s length %d exceeds the %d bytes left", what, n, d.Remaining())
	default:
		return n
	}
	return 0
}

// String reads a ustring; null reads as "".
func (d *Decoder) String() string {
	n := d.length("string", 1)
	if n <= 0 {
		return ""
	}
	return string(d.take(n, "string"))
}

// Buffer reads a buffer; null reads as nil, an empty buffer as a non-nil
// empty slice. The result is a copy, never an alias of the frame.
func (d *Decoder) Buffer() []byte {
	n := d.length("buffer", 1)
	if n < 0 || d.err != nil {
		return nil
	}
	b := d.take(n, "buffer")
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, n), b...)
}

// Count reads a vector count whose elements each occupy at least minSize
// bytes; null reads as 0. Callers allocate from the result only, so a
// forged count cannot allocate more than the frame justifies.
func (d *Decoder) Count(minSize int) int {
	n := d.length("vector", minSize)
	if n < 0 {
		return 0
	}
	return n
}

// Strings reads a vector<ustring>; null and empty both read as nil.
// Path reads a ustring that names a znode. Unlike String, a null (-1)
// fails with ErrMarshallingError: ZooKeeper rejects a null path, while it
// takes a null elsewhere (kazoo's empty strings) as "".
func (d *Decoder) Path() string {
	if d.err == nil && d.Remaining() >= 4 && int32(binary.BigEndian.Uint32(d.buf[d.off:])) == -1 {
		d.Fail("null path")
		return ""
	}
	return d.String()
}

func (d *Decoder) Strings() []string {
	n := d.Count(4)
	if n == 0 {
		return nil
	}
	v := make([]string, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		v = append(v, d.String())
	}
	return v
}

// Marshal returns the records encoded back to back, without a frame length.
func Marshal(recs ...Record) []byte {
	var e Encoder
	for _, r := range recs {
		r.Encode(&e)
	}
	return e.Buf
}

// Unmarshal decodes the records back to back from b with the default packet
// limit. Trailing bytes are ignored, as ZooKeeper ignores them.
func Unmarshal(b []byte, recs ...Record) error {
	d := NewDecoder(b, 0)
	for _, r := range recs {
		r.Decode(d)
	}
	return d.Err()
}
