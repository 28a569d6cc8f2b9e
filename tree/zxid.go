package tree

import (
	"fmt"
	"strconv"
)

// Zxid is a ZooKeeper transaction id: the epoch (raft term) in the high 32
// bits and a counter that restarts in every epoch in the low 32 bits.
type Zxid int64

// MakeZxid joins an epoch and a counter.
func MakeZxid(epoch, counter uint32) Zxid {
	return Zxid(uint64(epoch)<<32 | uint64(counter))
}

// Epoch is the high 32 bits.
func (z Zxid) Epoch() uint32 { return uint32(uint64(z) >> 32) }

// Counter is the low 32 bits.
func (z Zxid) Counter() uint32 { return uint32(uint64(z)) }

// String gives the console's form, epoch and counter apart: "0x2_0000001e".
func (z Zxid) String() string {
	return fmt.Sprintf("0x%x_%08x", z.Epoch(), z.Counter())
}

// Hex gives ZooKeeper's own form (Long.toHexString): "0x20000001e".
func (z Zxid) Hex() string {
	return "0x" + strconv.FormatUint(uint64(z), 16)
}

// NextZxid is the zxid that follows last when the current epoch is epoch: the
// next counter in the same epoch, or (epoch, 1) when epoch is newer than
// last's. An epoch older than last's is treated as last's own, so zxids never
// go backwards; a full counter carries into the next epoch for the same
// reason (ZooKeeper forces an election there instead).
func NextZxid(last Zxid, epoch uint32) Zxid {
	if epoch > last.Epoch() {
		return MakeZxid(epoch, 1)
	}
	return last + 1
}
