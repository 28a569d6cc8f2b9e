package cluster

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"coordtui/cluster/zk"
)

// How a transcript prints what legitimately differs between two servers:
// zxids relative to the script's first one ("+3"; 0 and -1 as they are),
// times as facts ("ctime==mtime"), session ids by name ("owner=s1").

var compatCodeNames = map[zk.Code]string{
	zk.OK: "ok", zk.ErrSystemError: "SYSTEMERROR", zk.ErrRuntimeInconsistency: "RUNTIMEINCONSISTENCY",
	zk.ErrDataInconsistency: "DATAINCONSISTENCY", zk.ErrConnectionLoss: "CONNECTIONLOSS",
	zk.ErrMarshallingError: "MARSHALLINGERROR", zk.ErrUnimplemented: "UNIMPLEMENTED",
	zk.ErrOperationTimeout: "OPERATIONTIMEOUT", zk.ErrBadArguments: "BADARGUMENTS",
	zk.ErrUnknownSession: "UNKNOWNSESSION", zk.ErrNewConfigNoQuorum: "NEWCONFIGNOQUORUM",
	zk.ErrReconfigInProgress: "RECONFIGINPROGRESS", zk.ErrAPIError: "APIERROR",
	zk.ErrNoNode: "NONODE", zk.ErrNoAuth: "NOAUTH", zk.ErrBadVersion: "BADVERSION",
	zk.ErrNoChildrenForEphemerals: "NOCHILDRENFOREPHEMERALS", zk.ErrNodeExists: "NODEEXISTS",
	zk.ErrNotEmpty: "NOTEMPTY", zk.ErrSessionExpired: "SESSIONEXPIRED",
	zk.ErrInvalidCallback: "INVALIDCALLBACK", zk.ErrInvalidACL: "INVALIDACL",
	zk.ErrAuthFailed: "AUTHFAILED", zk.ErrSessionMoved: "SESSIONMOVED",
	zk.ErrNotReadOnly: "NOTREADONLY", zk.ErrEphemeralOnLocalSession: "EPHEMERALONLOCALSESSION",
	zk.ErrNoWatcher: "NOWATCHER", zk.ErrRequestTimeout: "REQUESTTIMEOUT",
	zk.ErrReconfigDisabled: "RECONFIGDISABLED", zk.ErrSessionClosedRequireSASLAuth: "SESSIONCLOSEDREQUIRESASLAUTH",
	zk.ErrQuotaExceeded: "QUOTAEXCEEDED", zk.ErrThrottledOp: "THROTTLEDOP",
}

func compatCode(c zk.Code) string {
	if s, ok := compatCodeNames[c]; ok {
		return s
	}
	return fmt.Sprintf("code(%d)", int32(c))
}

// zx prints a zxid relative to the script's base: the zxid just before the
// first session was created, so that session's createSession is +1.
func (r *compatRun) zx(z int64) string {
	if z <= 0 || !r.haveBase {
		return strconv.FormatInt(z, 10)
	}
	if z < r.base {
		return fmt.Sprintf("base-%d", r.base-z)
	}
	return fmt.Sprintf("+%d", z-r.base)
}

// owner names a session id by the script's name for it.
func (r *compatRun) owner(id int64) string {
	if id == 0 {
		return "0"
	}
	for _, name := range r.order {
		if r.sessions[name].id == id {
			return name
		}
	}
	return "other"
}

func (r *compatRun) stat(s *zk.Stat) string {
	times := "ctime==mtime"
	switch {
	case s.Ctime == 0 && s.Mtime == 0:
		times = "ctime=mtime=0"
	case s.Mtime > s.Ctime:
		times = "mtime>ctime"
	case s.Mtime < s.Ctime:
		times = "mtime<ctime"
	}
	return fmt.Sprintf("czxid=%s mzxid=%s pzxid=%s %s version=%d cversion=%d aversion=%d owner=%s len=%d children=%d",
		r.zx(s.Czxid), r.zx(s.Mzxid), r.zx(s.Pzxid), times, s.Version, s.Cversion, s.Aversion,
		r.owner(s.EphemeralOwner), s.DataLength, s.NumChildren)
}

func (r *compatRun) event(e compatEvent) string {
	s := fmt.Sprintf("event %s %s zxid=%s", e.ev.Type, e.ev.Path, r.zx(e.zxid))
	if e.ev.State != zk.KeeperSyncConnected {
		s += " state=" + e.ev.State.String()
	}
	return s
}

func compatData(b []byte) string {
	if b == nil {
		return "null"
	}
	return strconv.Quote(string(b))
}

func compatACLs(acl []zk.ACL) string {
	if len(acl) == 0 {
		return "(none)"
	}
	parts := make([]string, len(acl))
	for i, a := range acl {
		parts[i] = fmt.Sprintf("%s:%s:%d", a.ID.Scheme, a.ID.ID, a.Perms)
	}
	return strings.Join(parts, " ")
}

// compatList prints names sorted: ZooKeeper returns children in hash order.
func compatList(v []string) string {
	s := slices.Clone(v)
	slices.Sort(s)
	for i := range s {
		s[i] = strconv.Quote(s[i])
		s[i] = s[i][1 : len(s[i])-1]
	}
	return "[" + strings.Join(s, " ") + "]"
}

// body prints a successful reply's record, one fact per line.
func (r *compatRun) body(rec zk.Record) []string {
	switch b := rec.(type) {
	case *zk.PathResponse:
		return []string{"path " + strconv.Quote(b.Path)}
	case *zk.Create2Response:
		return []string{"path " + strconv.Quote(b.Path), "stat " + r.stat(&b.Stat)}
	case *zk.StatResponse:
		return []string{"stat " + r.stat(&b.Stat)}
	case *zk.GetDataResponse:
		return []string{"data " + compatData(b.Data), "stat " + r.stat(&b.Stat)}
	case *zk.GetACLResponse:
		return []string{"acl " + compatACLs(b.ACL), "stat " + r.stat(&b.Stat)}
	case *zk.ChildrenResponse:
		return []string{"children " + compatList(b.Children)}
	case *zk.Children2Response:
		return []string{"children " + compatList(b.Children), "stat " + r.stat(&b.Stat)}
	case *zk.GetAllChildrenNumberResponse:
		return []string{fmt.Sprintf("number %d", b.TotalNumber)}
	case *zk.ErrorResponse:
		return []string{"body err=" + compatCode(b.Err)}
	case *zk.SASLRecord:
		return []string{"token " + compatData(b.Token)}
	case *zk.WhoAmIResponse:
		ids := make([]string, len(b.ClientInfo))
		for i, ci := range b.ClientInfo {
			ids[i] = ci.AuthScheme + ":" + ci.User
		}
		return []string{"clientInfo " + compatList(ids)}
	case *zk.MultiResponse:
		var out []string
		for i := range b.Results {
			out = append(out, fmt.Sprintf("[%d] %s", i, r.multiResult(&b.Results[i])))
		}
		if len(out) == 0 {
			out = []string{"(no results)"}
		}
		return out
	}
	return []string{fmt.Sprintf("body %T", rec)}
}

func (r *compatRun) multiResult(m *zk.MultiResult) string {
	switch m.Type {
	case zk.OpError:
		return "error " + compatCode(m.Err)
	case zk.OpCreate:
		return "create " + strconv.Quote(m.Path)
	case zk.OpCreate2, zk.OpCreateContainer, zk.OpCreateTTL:
		return fmt.Sprintf("%s %q %s", m.Type, m.Path, r.stat(m.Stat))
	case zk.OpSetData:
		return "setData " + r.stat(m.Stat)
	case zk.OpGetData:
		return fmt.Sprintf("getData %s %s", compatData(m.Data), r.stat(m.Stat))
	case zk.OpGetChildren:
		return "getChildren " + compatList(m.Children)
	}
	return m.Type.String()
}
