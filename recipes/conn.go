package recipes

import (
	"errors"
	"fmt"

	"coordtui/cluster/zk"
)

// Errors the recipes return. They wrap the client's error where there is
// one, so errors.Is(err, zk.ErrSessionExpired) still works.
var (
	// ErrSessionLost: the session expired, or the client was closed or
	// crashed. Everything ephemeral the recipe held is gone.
	ErrSessionLost = errors.New("recipes: session lost")
	// ErrNotHeld: Release of something this instance does not hold.
	ErrNotHeld = errors.New("recipes: not held")
	// ErrNodeGone: the recipe's own znode vanished while the session lived
	// (someone deleted it); the recipe gave up what it held.
	ErrNodeGone = errors.New("recipes: my znode was deleted by someone else")
	// ErrStaleToken: a ProtectedResource refused a fencing token older than
	// one it has already accepted.
	ErrStaleToken = errors.New("recipes: stale fencing token")
	// ErrClosed: the recipe was closed.
	ErrClosed = errors.New("recipes: closed")
)

// ConnState is a recipe's view of its session, in Curator's words.
type ConnState int

const (
	// Connected: requests flow and the session is alive.
	Connected ConnState = iota
	// Suspended: the connection is lost but the session may be alive; stop
	// assuming you hold anything until reconnected.
	Suspended
	// Lost: the session expired or the client ended; ephemerals are gone.
	Lost
)

func (s ConnState) String() string {
	switch s {
	case Connected:
		return "connected"
	case Suspended:
		return "suspended"
	case Lost:
		return "lost"
	}
	return fmt.Sprintf("ConnState(%d)", int(s))
}

// StateOf maps the client's state to a ConnState: connecting counts as
// suspended (no session to rely on yet), closed counts as lost.
func StateOf(s zk.State) ConnState {
	switch s {
	case zk.StateConnected, zk.StateConnectedReadOnly:
		return Connected
	case zk.StateExpired, zk.StateClosed:
		return Lost
	}
	return Suspended
}

// isLost reports whether err means the session is over for this client:
// expired, closed or crashed. Such errors are never retried.
func isLost(err error) bool {
	return errors.Is(err, zk.ErrSessionExpired) || errors.Is(err, zk.ErrClosing) ||
		errors.Is(err, zk.ErrCrashed) || errors.Is(err, ErrSessionLost)
}

// lostErr wraps a session-ending error in ErrSessionLost (once).
func lostErr(err error) error {
	if err == nil || errors.Is(err, ErrSessionLost) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrSessionLost, err)
}

// watchErr turns a one-shot watch's terminal event into an error: nil for a
// server event, ErrSessionLost for EventNotWatching.
func watchErr(ev zk.WatchEvent, ok bool) error {
	if !ok {
		return lostErr(zk.ErrClosing)
	}
	if ev.Type == zk.EventNotWatching {
		err := ev.Err
		if err == nil {
			err = zk.ErrClosing
		}
		return lostErr(err)
	}
	return nil
}
