package zkcli

import (
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"coordtui/cluster/zk"
)

// javaDate formats milliseconds since the epoch as java.util.Date.toString
// does, in the local time zone: "Thu Jan 01 00:00:00 UTC 1970".
func javaDate(ms int64) string {
	return time.UnixMilli(ms).Format("Mon Jan 02 15:04:05 MST 2006")
}

// writeStat prints a Stat as zkCli's StatPrinter does.
func writeStat(w io.Writer, s *zk.Stat) {
	fmt.Fprintf(w, "cZxid = 0x%x\nctime = %s\nmZxid = 0x%x\nmtime = %s\npZxid = 0x%x\n"+
		"cversion = %d\ndataVersion = %d\naclVersion = %d\nephemeralOwner = 0x%x\n"+
		"dataLength = %d\nnumChildren = %d\n",
		uint64(s.Czxid), javaDate(s.Ctime), uint64(s.Mzxid), javaDate(s.Mtime), uint64(s.Pzxid),
		s.Cversion, s.Version, s.Aversion, uint64(s.EphemeralOwner), s.DataLength, s.NumChildren)
}

// StatJSON is a Stat in machine output; field names follow the jute record.
type StatJSON struct {
	Czxid          int64 `json:"czxid"`
	Mzxid          int64 `json:"mzxid"`
	Ctime          int64 `json:"ctime"`
	Mtime          int64 `json:"mtime"`
	Version        int32 `json:"version"`
	Cversion       int32 `json:"cversion"`
	Aversion       int32 `json:"aversion"`
	EphemeralOwner int64 `json:"ephemeralOwner"`
	DataLength     int32 `json:"dataLength"`
	NumChildren    int32 `json:"numChildren"`
	Pzxid          int64 `json:"pzxid"`
}

func statJSON(s *zk.Stat) *StatJSON {
	if s == nil {
		return nil
	}
	return &StatJSON{s.Czxid, s.Mzxid, s.Ctime, s.Mtime, s.Version, s.Cversion, s.Aversion,
		s.EphemeralOwner, s.DataLength, s.NumChildren, s.Pzxid}
}

func (j *StatJSON) stat() zk.Stat {
	return zk.Stat{Czxid: j.Czxid, Mzxid: j.Mzxid, Ctime: j.Ctime, Mtime: j.Mtime, Version: j.Version,
		Cversion: j.Cversion, Aversion: j.Aversion, EphemeralOwner: j.EphemeralOwner,
		DataLength: j.DataLength, NumChildren: j.NumChildren, Pzxid: j.Pzxid}
}

// permString is ZKUtil.getPermString: the letters c, d, r, w, a in that order.
func permString(perms int32) string {
	var b strings.Builder
	for _, p := range []struct {
		bit int32
		c   byte
	}{{zk.PermCreate, 'c'}, {zk.PermDelete, 'd'}, {zk.PermRead, 'r'}, {zk.PermWrite, 'w'}, {zk.PermAdmin, 'a'}} {
		if perms&p.bit != 0 {
			b.WriteByte(p.c)
		}
	}
	return b.String()
}

// parsePerms reads permission letters; an unknown letter is reported on warn
// and skipped, as zkCli's AclParser does.
func parsePerms(s string, warn io.Writer) int32 {
	var perms int32
	for _, c := range s {
		switch c {
		case 'r':
			perms |= zk.PermRead
		case 'w':
			perms |= zk.PermWrite
		case 'c':
			perms |= zk.PermCreate
		case 'd':
			perms |= zk.PermDelete
		case 'a':
			perms |= zk.PermAdmin
		default:
			fmt.Fprintf(warn, "Unknown perm type: %c\n", c)
		}
	}
	return perms
}

// parseACL reads zkCli's ACL syntax, "scheme:id:perms[,scheme:id:perms...]";
// the id is everything between the first and the last colon. Entries that
// do not have that form are reported on warn and skipped.
func parseACL(s string, warn io.Writer) []zk.ACL {
	var acl []zk.ACL
	for _, a := range strings.Split(s, ",") {
		first, last := strings.IndexByte(a, ':'), strings.LastIndexByte(a, ':')
		if first < 0 || first == last {
			fmt.Fprintf(warn, "%s does not have the form scheme:id:perm\n", a)
			continue
		}
		acl = append(acl, zk.ACL{ID: zk.ID{Scheme: a[:first], ID: a[first+1 : last]}, Perms: parsePerms(a[last+1:], warn)})
	}
	return acl
}

// idString is the jute toString of an Id record, which zkCli's getAcl
// prints: "'world,'anyone" and a newline.
func idString(id zk.ID) string {
	return juteString(id.Scheme) + "," + juteString(id.ID) + "\n"
}

func juteString(s string) string {
	r := strings.NewReplacer("%", "%25", "\x00", "%00", "\n", "%0A", "\r", "%0D", ",", "%2C", "}", "%7D")
	return "'" + r.Replace(s)
}

// ACLJSON is one ACL entry in machine output and in exports.
type ACLJSON struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
	Perms  string `json:"perms"`
}

func aclJSON(acl []zk.ACL) []ACLJSON {
	out := make([]ACLJSON, 0, len(acl))
	for _, a := range acl {
		out = append(out, ACLJSON{Scheme: a.ID.Scheme, ID: a.ID.ID, Perms: permString(a.Perms)})
	}
	return out
}

func aclFromJSON(in []ACLJSON) []zk.ACL {
	out := make([]zk.ACL, 0, len(in))
	for _, a := range in {
		out = append(out, zk.ACL{ID: zk.ID{Scheme: a.Scheme, ID: a.ID}, Perms: parsePerms(a.Perms, io.Discard)})
	}
	return out
}

// javaString decodes data as Java's new String(data, UTF_8) does, replacing
// each malformed sequence with U+FFFD; null data prints as "null".
func javaString(data []byte) string {
	if data == nil {
		return "null"
	}
	if utf8.Valid(data) {
		return string(data)
	}
	return strings.ToValidUTF8(string(data), "\uFFFD")
}

// javaList formats names as java.util.List.toString does: "[a, b]".
func javaList(names []string) string {
	return "[" + strings.Join(names, ", ") + "]"
}

func hex(v int64) string { return "0x" + strconv.FormatUint(uint64(v), 16) }

// dataJSON is znode data in machine output and exports: UTF-8 text as
// "data", anything else base64-encoded as "base64"; null data is
// "data": null.
type dataJSON struct {
	Data   *string `json:"data"`
	Base64 string  `json:"base64,omitempty"`
}

func newDataJSON(b []byte) dataJSON {
	switch {
	case b == nil:
		return dataJSON{}
	case utf8.Valid(b):
		s := string(b)
		return dataJSON{Data: &s}
	}
	return dataJSON{Base64: base64.StdEncoding.EncodeToString(b)}
}

// bytes returns the data again (nil for null data).
func (d dataJSON) bytes() []byte {
	if d.Base64 != "" {
		b, err := base64.StdEncoding.DecodeString(d.Base64)
		if err == nil {
			return b
		}
	}
	if d.Data == nil {
		return nil
	}
	return []byte(*d.Data)
}
