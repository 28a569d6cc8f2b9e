package zkcli

import (
	"context"
	"errors"
	"fmt"

	"coordtui/cluster/zk"
)

// Exit statuses of a command, as zkCli.sh's process exits with them.
const (
	StatusOK       = 0
	StatusError    = 1   // CliException's default exit code
	StatusNotFound = 127 // CommandNotFoundException
)

// Error is a failed command as zkCli reports it: Msg is the line it prints on
// stderr. Code is the ZooKeeper error behind it (OK for the shell's own
// errors: bad options, malformed paths, unknown commands).
type Error struct {
	Msg    string
	Code   zk.Code
	Status int
	usage  bool // print the command list first (unknown command)
}

func (e *Error) Error() string { return e.Msg }

func parseError(msg string) error { return &Error{Msg: msg, Status: StatusError} }

func malformed(msg string) error { return &Error{Msg: msg, Status: StatusError} }

// codeMessages are KeeperException.getCodeMessage's texts.
var codeMessages = map[zk.Code]string{
	zk.OK:                              "ok",
	zk.ErrSystemError:                  "SystemError",
	zk.ErrRuntimeInconsistency:         "RuntimeInconsistency",
	zk.ErrDataInconsistency:            "DataInconsistency",
	zk.ErrConnectionLoss:               "ConnectionLoss",
	zk.ErrMarshallingError:             "MarshallingError",
	zk.ErrNewConfigNoQuorum:            "NewConfigNoQuorum",
	zk.ErrReconfigInProgress:           "ReconfigInProgress",
	zk.ErrUnimplemented:                "Unimplemented",
	zk.ErrOperationTimeout:             "OperationTimeout",
	zk.ErrBadArguments:                 "BadArguments",
	zk.ErrAPIError:                     "APIError",
	zk.ErrNoNode:                       "NoNode",
	zk.ErrNoAuth:                       "NoAuth",
	zk.ErrBadVersion:                   "BadVersion",
	zk.ErrNoChildrenForEphemerals:      "NoChildrenForEphemerals",
	zk.ErrNodeExists:                   "NodeExists",
	zk.ErrInvalidACL:                   "InvalidACL",
	zk.ErrAuthFailed:                   "AuthFailed",
	zk.ErrNotEmpty:                     "Directory not empty",
	zk.ErrSessionExpired:               "Session expired",
	zk.ErrInvalidCallback:              "Invalid callback",
	zk.ErrSessionMoved:                 "Session moved",
	zk.ErrNotReadOnly:                  "Not a read-only call",
	zk.ErrEphemeralOnLocalSession:      "Ephemeral node on local session",
	zk.ErrNoWatcher:                    "No such watcher",
	zk.ErrReconfigDisabled:             "Reconfig is disabled",
	zk.ErrSessionClosedRequireSASLAuth: "Session closed because client failed to authenticate",
	zk.ErrQuotaExceeded:                "Quota has exceeded",
	zk.ErrThrottledOp:                  "Op throttled due to high load",
}

// CodeName is the name Java's KeeperException gives code ("NoNode").
func CodeName(c zk.Code) string {
	if s, ok := codeMessages[c]; ok {
		return s
	}
	return fmt.Sprintf("Unknown error %d", int32(c))
}

// keeperMessage is KeeperException.getMessage(): "KeeperErrorCode = NoNode
// for /a", without " for ..." when the exception carries no path.
func keeperMessage(c zk.Code, path string) string {
	if path == "" {
		return "KeeperErrorCode = " + CodeName(c)
	}
	return "KeeperErrorCode = " + CodeName(c) + " for " + path
}

// codeOf extracts the ZooKeeper code from err. A context that ran out is
// what the Java client calls a lost connection; anything else unknown is a
// system error.
func codeOf(err error) zk.Code {
	var c zk.Code
	switch {
	case errors.As(err, &c):
		return c
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return zk.ErrConnectionLoss
	}
	return zk.ErrSystemError
}

// keeperError turns a client error on path into the message zkCli's
// CliWrapperException prints for it (ZooKeeper 3.8.0's wording).
func keeperError(err error, path string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	c := codeOf(err)
	msg := ""
	switch c {
	case zk.ErrNoNode:
		msg = "Node does not exist: " + path
	case zk.ErrNoChildrenForEphemerals:
		msg = "Ephemerals cannot have children: " + path
	case zk.ErrNodeExists:
		msg = "Node already exists: " + path
	case zk.ErrNotEmpty:
		msg = "Node not empty: " + path
	case zk.ErrNotReadOnly:
		msg = "Not a read-only call: " + path
	case zk.ErrInvalidACL:
		msg = "Acl is not valid : " + path
	case zk.ErrNoAuth:
		msg = "Insufficient permission : " + path
	case zk.ErrBadArguments:
		msg = "Arguments are not valid : " + path
	case zk.ErrBadVersion:
		msg = "version No is not valid : " + path
	case zk.ErrQuotaExceeded:
		msg = "Quota has exceeded : " + path
	case zk.ErrReconfigInProgress:
		msg = "Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)"
	case zk.ErrNewConfigNoQuorum:
		msg = "No quorum of new config is connected and up-to-date with the leader of last commmitted config" +
			" - try invoking reconfiguration after new servers are connected and synced"
	case zk.ErrSystemError:
		msg = err.Error()
	default:
		msg = keeperMessage(c, path)
	}
	return &Error{Msg: msg, Code: c, Status: StatusError}
}
