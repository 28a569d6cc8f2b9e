package zk

import "fmt"

// Code is a ZooKeeper error code as carried in ReplyHeader.Err and in multi
// error results. Every non-zero Code is an error; the named values below are
// sentinels, so errors.Is(err, ErrNoNode) works on anything the client
// returns. Some codes (ErrConnectionLoss, ErrOperationTimeout, ErrClosing, …)
// are never sent by a server: the client produces them itself, as the Java
// and C clients do.
type Code int32

// The codes of KeeperException.Code (§3.3), plus the C client's ZCLOSING.
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
	ErrClosing                      Code = -116
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

var codeNames = map[Code]string{
	OK:                              "ok",
	ErrSystemError:                  "system error",
	ErrRuntimeInconsistency:         "runtime inconsistency",
	ErrDataInconsistency:            "data inconsistency",
	ErrConnectionLoss:               "connection loss",
	ErrMarshallingError:             "marshalling error",
	ErrUnimplemented:                "unimplemented",
	ErrOperationTimeout:             "operation timeout",
	ErrBadArguments:                 "bad arguments",
	ErrUnknownSession:               "unknown session",
	ErrNewConfigNoQuorum:            "new config has no quorum",
	ErrReconfigInProgress:           "reconfig in progress",
	ErrAPIError:                     "api error",
	ErrNoNode:                       "node does not exist",
	ErrNoAuth:                       "not authenticated",
	ErrBadVersion:                   "bad version",
	ErrNoChildrenForEphemerals:      "ephemeral nodes may not have children",
	ErrNodeExists:                   "node already exists",
	ErrNotEmpty:                     "node has children",
	ErrSessionExpired:               "session expired",
	ErrInvalidCallback:              "invalid callback",
	ErrInvalidACL:                   "invalid acl",
	ErrAuthFailed:                   "authentication failed",
	ErrClosing:                      "client is closing",
	ErrSessionMoved:                 "session moved",
	ErrNotReadOnly:                  "not a read-only call",
	ErrEphemeralOnLocalSession:      "ephemeral on local session",
	ErrNoWatcher:                    "no such watcher",
	ErrRequestTimeout:               "request timeout",
	ErrReconfigDisabled:             "reconfig disabled",
	ErrSessionClosedRequireSASLAuth: "session closed, sasl auth required",
	ErrQuotaExceeded:                "quota exceeded",
	ErrThrottledOp:                  "operation throttled",
}

// Error returns the code's name as ZooKeeper's documentation spells it, in
// lower case, prefixed with "zk: ".
func (c Code) Error() string {
	if s, ok := codeNames[c]; ok {
		return "zk: " + s
	}
	return fmt.Sprintf("zk: unknown error %d", int32(c))
}

// Err returns nil for OK and the Code itself otherwise, so a reply's code can
// be returned directly as an error.
func (c Code) Err() error {
	if c == OK {
		return nil
	}
	return c
}
