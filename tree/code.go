package tree

import "strconv"

// Code is a ZooKeeper error code (KeeperException.Code). Every non-OK Code is
// an error, so the sentinels below work with errors.Is; OK must never be
// returned as an error (functions return nil instead).
type Code int32

// The codes ZooKeeper defines, by their wire values.
const (
	OK                              Code = 0
	ErrSystemError                  Code = -1
	ErrRuntimeInconsistency         Code = -2
	ErrDataInconsistency            Code = -3
	ErrConnectionLoss               Code = -4
	ErrMarshallingError             Code = -5
	ErrUnimplemented                Code = -6
	ErrOperationTimeout             Code = -7
	ErrBadArguments                 Code = -8
	ErrUnknownSession               Code = -12
	ErrNewConfigNoQuorum            Code = -13
	ErrReconfigInProgress           Code = -14
	ErrAPIError                     Code = -100
	ErrNoNode                       Code = -101
	ErrNoAuth                       Code = -102
	ErrBadVersion                   Code = -103
	ErrNoChildrenForEphemerals      Code = -108
	ErrNodeExists                   Code = -110
	ErrNotEmpty                     Code = -111
	ErrSessionExpired               Code = -112
	ErrInvalidCallback              Code = -113
	ErrInvalidACL                   Code = -114
	ErrAuthFailed                   Code = -115
	ErrSessionMoved                 Code = -118
	ErrNotReadOnly                  Code = -119
	ErrEphemeralOnLocalSession      Code = -120
	ErrNoWatcher                    Code = -121
	ErrRequestTimeout               Code = -122
	ErrReconfigDisabled             Code = -123
	ErrSessionClosedRequireSASLAuth Code = -124
	ErrQuotaExceeded                Code = -125
	ErrThrottledOp                  Code = -127
)

type codeText struct{ name, msg string }

var codeTexts = map[Code]codeText{
	OK:                              {"OK", "ok"},
	ErrSystemError:                  {"SYSTEMERROR", "system error"},
	ErrRuntimeInconsistency:         {"RUNTIMEINCONSISTENCY", "runtime inconsistency"},
	ErrDataInconsistency:            {"DATAINCONSISTENCY", "data inconsistency"},
	ErrConnectionLoss:               {"CONNECTIONLOSS", "connection loss"},
	ErrMarshallingError:             {"MARSHALLINGERROR", "marshalling error"},
	ErrUnimplemented:                {"UNIMPLEMENTED", "unimplemented"},
	ErrOperationTimeout:             {"OPERATIONTIMEOUT", "operation timeout"},
	ErrBadArguments:                 {"BADARGUMENTS", "bad arguments"},
	ErrUnknownSession:               {"UNKNOWNSESSION", "unknown session"},
	ErrNewConfigNoQuorum:            {"NEWCONFIGNOQUORUM", "new config has no quorum"},
	ErrReconfigInProgress:           {"RECONFIGINPROGRESS", "reconfig in progress"},
	ErrAPIError:                     {"APIERROR", "api error"},
	ErrNoNode:                       {"NONODE", "node does not exist"},
	ErrNoAuth:                       {"NOAUTH", "not authorized"},
	ErrBadVersion:                   {"BADVERSION", "bad version"},
	ErrNoChildrenForEphemerals:      {"NOCHILDRENFOREPHEMERALS", "ephemeral nodes may not have children"},
	ErrNodeExists:                   {"NODEEXISTS", "node already exists"},
	ErrNotEmpty:                     {"NOTEMPTY", "node has children"},
	ErrSessionExpired:               {"SESSIONEXPIRED", "session expired"},
	ErrInvalidCallback:              {"INVALIDCALLBACK", "invalid callback"},
	ErrInvalidACL:                   {"INVALIDACL", "invalid acl"},
	ErrAuthFailed:                   {"AUTHFAILED", "authentication failed"},
	ErrSessionMoved:                 {"SESSIONMOVED", "session moved"},
	ErrNotReadOnly:                  {"NOTREADONLY", "not a read-only call"},
	ErrEphemeralOnLocalSession:      {"EPHEMERALONLOCALSESSION", "ephemeral node on local session"},
	ErrNoWatcher:                    {"NOWATCHER", "no such watcher"},
	ErrRequestTimeout:               {"REQUESTTIMEOUT", "request timeout"},
	ErrReconfigDisabled:             {"RECONFIGDISABLED", "reconfig is disabled"},
	ErrSessionClosedRequireSASLAuth: {"SESSIONCLOSEDREQUIRESASLAUTH", "session closed because client failed to authenticate"},
	ErrQuotaExceeded:                {"QUOTAEXCEEDED", "quota exceeded"},
	ErrThrottledOp:                  {"THROTTLEDOP", "op throttled due to high load"},
}

// String gives ZooKeeper's name for the code, e.g. "NONODE", or "Code(-999)"
// for a value ZooKeeper does not define.
func (c Code) String() string {
	if t, ok := codeTexts[c]; ok {
		return t.name
	}
	return "Code(" + strconv.Itoa(int(c)) + ")"
}

// Error describes the code in words, prefixed "zk: ".
func (c Code) Error() string {
	if t, ok := codeTexts[c]; ok {
		return "zk: " + t.msg
	}
	return "zk: unknown error " + strconv.Itoa(int(c))
}

// asError turns OK into a nil error.
func asError(c Code) error {
	if c == OK {
		return nil
	}
	return c
}
