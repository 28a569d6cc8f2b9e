package cluster

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"coordtui/cluster/zk"
)

// The request commands of the script language. Each names the opcode it
// sends; the first word after the session is the path.
//
//	create|create2|createContainer|createTTL s PATH [data=S] [flags=N] [acl=L] [ttl=MS]
//	delete s PATH [version=N]            setData s PATH [data=S] [version=N]
//	exists|getData|getChildren|getChildren2 s PATH [watch]
//	getACL s PATH                        setACL s PATH acl=L [version=N]
//	sync s PATH                          getEphemerals s PREFIX
//	getAllChildrenNumber s PATH          whoAmI s
//	addWatch s PATH mode=PERSISTENT|PERSISTENT_RECURSIVE|N
//	checkWatches|removeWatches s PATH type=Children|Data|Any|Persistent|PersistentRecursive|N
//	setWatches|setWatches2 s [rel=Z|last] [data=P,..] [exist=..] [child=..] [persistent=..] [recursive=..]
//	auth s scheme=S data=S               reconfig s [joining=S] [leaving=S] [members=S] [config=N]
//	multi s / multiRead s, with one op per indented line (create.., delete,
//	  setData, check, getData, getChildren; any op may go in either, to see
//	  the server refuse it)
//
// data absent sends a null buffer; data="" an empty one; datasize=N sends
// N bytes. An ACL list L is
// comma-separated scheme:id:perms; "digestpw:user:password:perms" hashes the
// password into a digest id; acl=none sends an empty list.

var compatOps = map[string]zk.OpCode{
	"create": zk.OpCreate, "create2": zk.OpCreate2, "createContainer": zk.OpCreateContainer,
	"createTTL": zk.OpCreateTTL, "delete": zk.OpDelete, "exists": zk.OpExists,
	"getData": zk.OpGetData, "setData": zk.OpSetData, "getACL": zk.OpGetACL, "setACL": zk.OpSetACL,
	"getChildren": zk.OpGetChildren, "sync": zk.OpSync, "getChildren2": zk.OpGetChildren2,
	"check": zk.OpCheck, "multi": zk.OpMulti, "reconfig": zk.OpReconfig,
	"checkWatches": zk.OpCheckWatches, "removeWatches": zk.OpRemoveWatches,
	"multiRead": zk.OpMultiRead, "auth": zk.OpAuth, "setWatches": zk.OpSetWatches,
	"sasl": zk.OpSASL, "getEphemerals": zk.OpGetEphemerals,
	"getAllChildrenNumber": zk.OpGetAllChildrenNumber, "setWatches2": zk.OpSetWatches2,
	"addWatch": zk.OpAddWatch, "whoAmI": zk.OpWhoAmI,
}

func (r *compatRun) buildRequest(a *compatArgs, sub []string) (zk.OpCode, zk.Record, error) {
	op, ok := compatOps[a.verb]
	if !ok {
		return 0, nil, fmt.Errorf("unknown command %q", a.verb)
	}
	rec, err := r.record(op, a, sub)
	return op, rec, err
}

// path takes the next positional word ("" when there is none, which a
// server sees as an empty path).
func (a *compatArgs) path() string {
	if len(a.pos) == 0 {
		return ""
	}
	p := a.pos[0]
	a.pos = a.pos[1:]
	return p
}

// data is the data option: absent sends null, datasize=N sends N bytes
// (for the packet limit).
func (a *compatArgs) data() []byte {
	if n, err := a.int("datasize", -1); err == nil && n >= 0 {
		return bytes.Repeat([]byte{'x'}, int(n))
	}
	if !a.has("data") {
		return nil
	}
	return []byte(a.opt("data", ""))
}

func (r *compatRun) record(op zk.OpCode, a *compatArgs, sub []string) (zk.Record, error) {
	version, err := a.int("version", -1)
	if err != nil {
		return nil, err
	}
	switch op {
	case zk.OpCreate, zk.OpCreate2, zk.OpCreateContainer, zk.OpCreateTTL:
		return compatCreate(op, a)
	case zk.OpDelete:
		return &zk.DeleteRequest{Path: a.path(), Version: int32(version)}, nil
	case zk.OpCheck:
		return &zk.CheckVersionRequest{Path: a.path(), Version: int32(version)}, nil
	case zk.OpExists, zk.OpGetData, zk.OpGetChildren, zk.OpGetChildren2:
		p := a.path()
		return &zk.PathWatchRequest{Path: p, Watch: a.flag("watch")}, nil
	case zk.OpSetData:
		return &zk.SetDataRequest{Path: a.path(), Data: a.data(), Version: int32(version)}, nil
	case zk.OpGetACL, zk.OpSync, zk.OpGetEphemerals, zk.OpGetAllChildrenNumber:
		return &zk.PathRequest{Path: a.path()}, nil
	case zk.OpSetACL:
		acl, err := compatParseACL(a.opt("acl", "world:anyone:31"))
		return &zk.SetACLRequest{Path: a.path(), ACL: acl, Version: int32(version)}, err
	case zk.OpMulti, zk.OpMultiRead:
		return r.multi(op == zk.OpMultiRead, sub)
	case zk.OpAddWatch:
		p := a.path()
		mode, err := compatEnum(a.opt("mode", "PERSISTENT"), map[string]int32{"PERSISTENT": 0, "PERSISTENT_RECURSIVE": 1})
		return &zk.AddWatchRequest{Path: p, Mode: zk.AddWatchMode(mode)}, err
	case zk.OpCheckWatches, zk.OpRemoveWatches:
		p := a.path()
		typ, err := compatEnum(a.opt("type", "Any"), map[string]int32{"Children": 1, "Data": 2, "Any": 3, "Persistent": 4, "PersistentRecursive": 5})
		return &zk.WatchesRequest{Path: p, Type: zk.WatcherType(typ)}, err
	case zk.OpSetWatches, zk.OpSetWatches2:
		return r.setWatches(op, a)
	case zk.OpAuth:
		return &zk.AuthPacket{Scheme: a.opt("scheme", "digest"), Auth: []byte(a.opt("data", ""))}, nil
	case zk.OpSASL:
		return &zk.SASLRecord{Token: a.data()}, nil
	case zk.OpReconfig:
		cfg, err := a.int("config", -1)
		return &zk.ReconfigRequest{JoiningServers: a.opt("joining", ""), LeavingServers: a.opt("leaving", ""),
			NewMembers: a.opt("members", ""), CurConfigID: cfg}, err
	case zk.OpWhoAmI:
		return nil, nil
	}
	return nil, fmt.Errorf("no request record for %v", op)
}

func compatCreate(op zk.OpCode, a *compatArgs) (zk.Record, error) {
	def := map[zk.OpCode]int64{zk.OpCreateContainer: 4, zk.OpCreateTTL: 5}[op]
	flags, err := a.int("flags", def)
	if err != nil {
		return nil, err
	}
	acl, err := compatParseACL(a.opt("acl", "world:anyone:31"))
	if err != nil {
		return nil, err
	}
	path, data := a.path(), a.data()
	if op == zk.OpCreateTTL {
		ttl, err := a.int("ttl", 3600_000)
		return &zk.CreateTTLRequest{Path: path, Data: data, ACL: acl, Flags: zk.CreateMode(flags), TTL: ttl}, err
	}
	return &zk.CreateRequest{Path: path, Data: data, ACL: acl, Flags: zk.CreateMode(flags)}, nil
}

// multi builds a multi or multiRead from its indented op lines. Any op is
// encoded wherever it is written, so a script can put a write in a
// multiRead and see the server refuse it.
func (r *compatRun) multi(read bool, lines []string) (zk.Record, error) {
	m := &zk.MultiRequest{Read: read}
	for _, l := range lines {
		a, err := parseCompatArgs(l)
		if err != nil {
			return nil, err
		}
		op, ok := compatOps[a.verb]
		if !ok {
			return nil, fmt.Errorf("unknown op %q in multi", a.verb)
		}
		rec, err := r.record(op, a, nil)
		if err == nil {
			err = a.unused()
		}
		if err != nil {
			return nil, fmt.Errorf("multi op %q: %w", l, err)
		}
		m.Ops = append(m.Ops, zk.MultiOp{Type: op, Req: rec})
	}
	return m, nil
}

func (r *compatRun) setWatches(op zk.OpCode, a *compatArgs) (zk.Record, error) {
	rel, err := r.parseZx(r.cur, a.opt("rel", "last"))
	if err != nil {
		return nil, err
	}
	list := func(k string) []string {
		v := a.opt(k, "")
		if v == "" {
			return nil
		}
		return strings.Split(v, ",")
	}
	if op == zk.OpSetWatches {
		return &zk.SetWatches{RelativeZxid: rel, DataWatches: list("data"), ExistWatches: list("exist"), ChildWatches: list("child")}, nil
	}
	return &zk.SetWatches2{RelativeZxid: rel, DataWatches: list("data"), ExistWatches: list("exist"), ChildWatches: list("child"),
		PersistentWatches: list("persistent"), PersistentRecursiveWatches: list("recursive")}, nil
}

// compatParseACL parses scheme:id:perms[,...]; the id may hold colons.
func compatParseACL(s string) ([]zk.ACL, error) {
	if s == "none" {
		return []zk.ACL{}, nil
	}
	var out []zk.ACL
	for _, part := range strings.Split(s, ",") {
		scheme, rest, ok1 := strings.Cut(part, ":")
		i := strings.LastIndex(rest, ":")
		if !ok1 || i < 0 {
			return nil, fmt.Errorf("acl %q is not scheme:id:perms", part)
		}
		id, permStr := rest[:i], rest[i+1:]
		perms, err := strconv.ParseInt(permStr, 0, 32)
		if err != nil {
			return nil, fmt.Errorf("acl %q: %w", part, err)
		}
		if scheme == "digestpw" {
			user, pw, _ := strings.Cut(id, ":")
			scheme, id = "digest", zk.DigestID(user, pw)
		}
		out = append(out, zk.ACL{Perms: int32(perms), ID: zk.ID{Scheme: scheme, ID: id}})
	}
	return out, nil
}

func compatEnum(v string, names map[string]int32) (int32, error) {
	if n, ok := names[v]; ok {
		return n, nil
	}
	n, err := strconv.ParseInt(v, 0, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is neither a name nor a number", v)
	}
	return int32(n), nil
}

func compatHex(s string) ([]byte, error) {
	return hex.DecodeString(strings.ReplaceAll(s, "_", ""))
}
