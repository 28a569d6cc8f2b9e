package tree

import "fmt"

// Stat is a znode's metadata exactly as ZooKeeper sends it (68 bytes on the
// wire). Cversion is the client-visible value (child creations plus
// deletions); EphemeralOwner is 0 for containers and TTL nodes.
type Stat struct {
	Czxid          Zxid
	Mzxid          Zxid
	Ctime          int64
	Mtime          int64
	Version        int32
	Cversion       int32
	Aversion       int32
	EphemeralOwner int64
	DataLength     int32
	NumChildren    int32
	Pzxid          Zxid
}

// String gives one stable line with every field.
func (s Stat) String() string {
	return fmt.Sprintf("czxid=%v mzxid=%v pzxid=%v ctime=%d mtime=%d version=%d cversion=%d aversion=%d ephemeralOwner=0x%x dataLength=%d numChildren=%d",
		s.Czxid, s.Mzxid, s.Pzxid, s.Ctime, s.Mtime, s.Version, s.Cversion, s.Aversion,
		uint64(s.EphemeralOwner), s.DataLength, s.NumChildren)
}
