package zk

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
)

// Stat is a znode's metadata (§3.4, §3.11); 68 bytes on the wire.
type Stat struct {
	Czxid          int64
	Mzxid          int64
	Ctime          int64 // ms since the epoch
	Mtime          int64 // ms since the epoch
	Version        int32
	Cversion       int32
	Aversion       int32
	EphemeralOwner int64
	DataLength     int32
	NumChildren    int32
	Pzxid          int64
}

// StatSize is the encoded size of a Stat.
const StatSize = 68

// Encode implements Record.
func (s *Stat) Encode(e *Encoder) {
	e.Long(s.Czxid)
	e.Long(s.Mzxid)
	e.Long(s.Ctime)
	e.Long(s.Mtime)
	e.Int(s.Version)
	e.Int(s.Cversion)
	e.Int(s.Aversion)
	e.Long(s.EphemeralOwner)
	e.Int(s.DataLength)
	e.Int(s.NumChildren)
	e.Long(s.Pzxid)
}

// Decode implements Record.
func (s *Stat) Decode(d *Decoder) {
	s.Czxid = d.Long()
	s.Mzxid = d.Long()
	s.Ctime = d.Long()
	s.Mtime = d.Long()
	s.Version = d.Int()
	s.Cversion = d.Int()
	s.Aversion = d.Int()
	s.EphemeralOwner = d.Long()
	s.DataLength = d.Int()
	s.NumChildren = d.Int()
	s.Pzxid = d.Long()
}

// String describes the stat in one stable line.
func (s *Stat) String() string {
	return fmt.Sprintf("czxid=%#x mzxid=%#x pzxid=%#x ctime=%d mtime=%d version=%d cversion=%d aversion=%d owner=%#x len=%d children=%d",
		s.Czxid, s.Mzxid, s.Pzxid, s.Ctime, s.Mtime, s.Version, s.Cversion, s.Aversion,
		s.EphemeralOwner, s.DataLength, s.NumChildren)
}

// Permission bits of ZooDefs.Perms.
const (
	PermRead   int32 = 1
	PermWrite  int32 = 2
	PermCreate int32 = 4
	PermDelete int32 = 8
	PermAdmin  int32 = 16
	PermAll    int32 = 31
)

// ID is an ACL identity: a scheme and an id within it.
type ID struct {
	Scheme string
	ID     string
}

// Encode implements Record.
func (i *ID) Encode(e *Encoder) { e.String(i.Scheme); e.String(i.ID) }

// Decode implements Record.
func (i *ID) Decode(d *Decoder) { i.Scheme = d.String(); i.ID = d.String() }

// ACL grants Perms to one ID. On the wire: int perms, ustring scheme,
// ustring id.
type ACL struct {
	Perms int32
	ID    ID
}

// Encode implements Record.
func (a *ACL) Encode(e *Encoder) { e.Int(a.Perms); a.ID.Encode(e) }

// Decode implements Record.
func (a *ACL) Decode(d *Decoder) { a.Perms = d.Int(); a.ID.Decode(d) }

func (a ACL) String() string { return fmt.Sprintf("%s:%s:%d", a.ID.Scheme, a.ID.ID, a.Perms) }

func encodeACLs(e *Encoder, acl []ACL) {
	e.Int(int32(len(acl)))
	for i := range acl {
		acl[i].Encode(e)
	}
}

// decodeACLs reads a vector<ACL>; an ACL occupies at least 12 bytes.
func decodeACLs(d *Decoder) []ACL {
	n := d.Count(12)
	if n == 0 {
		return nil
	}
	acl := make([]ACL, n)
	for i := range acl {
		acl[i].Decode(d)
	}
	return acl
}

// WorldACL grants perms to everyone (world:anyone).
func WorldACL(perms int32) []ACL {
	return []ACL{{Perms: perms, ID: ID{Scheme: "world", ID: "anyone"}}}
}

// AuthACL grants perms to every identity the creating connection has
// authenticated as (scheme "auth"; the server expands it).
func AuthACL(perms int32) []ACL {
	return []ACL{{Perms: perms, ID: ID{Scheme: "auth", ID: ""}}}
}

// DigestACL grants perms to user with password, as the digest id
// user:base64(sha1("user:password")).
func DigestACL(perms int32, user, password string) []ACL {
	return []ACL{{Perms: perms, ID: ID{Scheme: "digest", ID: DigestID(user, password)}}}
}

// DigestID returns the id the digest scheme stores for user and password.
func DigestID(user, password string) string {
	sum := sha1.Sum([]byte(user + ":" + password))
	return user + ":" + base64.StdEncoding.EncodeToString(sum[:])
}

// ClientInfo is one identity of a connection as whoAmI reports it.
type ClientInfo struct {
	AuthScheme string
	User       string
}

// Encode implements Record.
func (c *ClientInfo) Encode(e *Encoder) { e.String(c.AuthScheme); e.String(c.User) }

// Decode implements Record.
func (c *ClientInfo) Decode(d *Decoder) { c.AuthScheme = d.String(); c.User = d.String() }
