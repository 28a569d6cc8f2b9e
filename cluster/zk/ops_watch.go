package zk

import (
	"context"
	"fmt"
)

// newOneShot prepares a one-shot watch on a server path, or nil when the
// caller did not ask for one.
func newOneShot(path string, kind watchKind, watch bool) *watchReg {
	if !watch {
		return nil
	}
	return &watchReg{path: path, kind: kind, ch: make(chan WatchEvent, 1)}
}

// channel returns the watch's channel if the server accepted the watch.
func (w *watchReg) channel() <-chan WatchEvent {
	if w == nil || !w.registered {
		return nil
	}
	return w.ch
}

// ExistsW is Exists that also leaves a one-shot watch, set whether or not
// the node exists: it fires on NodeCreated, NodeDataChanged or NodeDeleted.
// The channel receives exactly one event and is then closed; if the session
// expires or the client closes first, that event is EventNotWatching. Until
// then the watch survives reconnects (the client re-arms it).
func (c *Client) ExistsW(ctx context.Context, path string) (*Stat, <-chan WatchEvent, error) {
	return c.exists(ctx, path, true)
}

// GetW is Get that also leaves a one-shot data watch (NodeDataChanged or
// NodeDeleted); see ExistsW for how the channel behaves.
func (c *Client) GetW(ctx context.Context, path string) ([]byte, *Stat, <-chan WatchEvent, error) {
	return c.get(ctx, path, true)
}

// ChildrenW is Children2 that also leaves a one-shot child watch
// (NodeChildrenChanged or NodeDeleted); see ExistsW for how the channel
// behaves.
func (c *Client) ChildrenW(ctx context.Context, path string) ([]string, *Stat, <-chan WatchEvent, error) {
	return c.children2(ctx, path, true)
}

// AddWatch adds a persistent watch on path, which need not exist (ZooKeeper
// 3.6+). With AddWatchPersistent it reports every event on path itself,
// NodeChildrenChanged included; with AddWatchPersistentRecursive every event
// on path and all its descendants except NodeChildrenChanged. fn is called
// with each event, in order, on the client's delivery goroutine; events are
// queued without bound and never dropped. fn also gets EventNone with
// KeeperDisconnected / KeeperSyncConnected when the connection is lost and
// regained (ZooKeeper sends no catch-up for persistent watches, so a cache
// should re-read then), EventPersistentWatchRemoved after RemoveWatches, and
// EventNotWatching when the session ends; after the last two, no more calls.
func (c *Client) AddWatch(ctx context.Context, path string, mode AddWatchMode, fn func(WatchEvent)) error {
	sp, err := c.path(path)
	if err != nil {
		return err
	}
	if fn == nil {
		return fmt.Errorf("%w: AddWatch needs a callback", ErrBadArguments)
	}
	kind := watchPersistent
	switch mode {
	case AddWatchPersistent:
	case AddWatchPersistentRecursive:
		kind = watchRecursive
	default:
		return fmt.Errorf("%w: add watch mode %v", ErrBadArguments, mode)
	}
	reg := &watchReg{path: sp, kind: kind, fn: fn}
	return c.roundTrip(ctx, OpAddWatch, &AddWatchRequest{Path: sp, Mode: mode}, nil, reg)
}

// RemoveWatches asks the server to remove this session's watches of type t
// on path (ErrNoWatcher if it holds none), then ends the matching
// client-side watches with EventDataWatchRemoved, EventChildWatchRemoved or
// EventPersistentWatchRemoved. ZooKeeper 3.8 removes persistent watches
// only with WatcherAny.
func (c *Client) RemoveWatches(ctx context.Context, path string, t WatcherType) error {
	sp, err := c.path(path)
	if err != nil {
		return err
	}
	if err := c.roundTrip(ctx, OpRemoveWatches, &RemoveWatchesRequest{Path: sp, Type: t}, nil, nil); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rw := range c.watches.remove(sp, t) {
		c.deliver(rw.w, WatchEvent{Type: rw.et, State: KeeperSyncConnected, Path: path})
	}
	return nil
}

// CheckWatches asks the server whether this session holds a watch of type t
// on path: nil if it does, ErrNoWatcher if not.
func (c *Client) CheckWatches(ctx context.Context, path string, t WatcherType) error {
	sp, err := c.path(path)
	if err != nil {
		return err
	}
	return c.roundTrip(ctx, OpCheckWatches, &CheckWatchesRequest{Path: sp, Type: t}, nil, nil)
}

// AddAuth adds an identity to the session's connection, e.g. scheme
// "digest" with "user:password". On success the credential is kept and
// re-sent after every reconnect, before any other request. A refused
// credential (ErrAuthFailed) makes ZooKeeper close the connection; the
// client reconnects without it.
func (c *Client) AddAuth(ctx context.Context, scheme string, auth []byte) error {
	cred := credential{scheme: scheme, auth: append([]byte(nil), auth...)}
	store := func(r *request) {
		if r.err != nil {
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		c.creds = append(c.creds, cred)
	}
	r, err := c.sendWith(ctx, OpAuth, &AuthPacket{Scheme: scheme, Auth: cred.auth}, nil, store, false)
	if err != nil {
		return err
	}
	return r.err
}

// WhoAmI returns the identities the server associates with this
// connection, in the server's order (unspecified on ZooKeeper 3.8).
func (c *Client) WhoAmI(ctx context.Context) ([]ClientInfo, error) {
	var resp WhoAmIResponse
	if err := c.roundTrip(ctx, OpWhoAmI, nil, &resp, nil); err != nil {
		return nil, err
	}
	return resp.ClientInfo, nil
}

// GetEphemerals returns the paths of this session's ephemeral nodes that
// start with prefix, a plain string prefix ("" or "/" for all).
func (c *Client) GetEphemerals(ctx context.Context, prefix string) ([]string, error) {
	sp := c.chroot.toServer(prefix)
	if prefix == "" || prefix == "/" {
		sp = string(c.chroot) + "/"
	}
	var resp GetEphemeralsResponse
	if err := c.roundTrip(ctx, OpGetEphemerals, &GetEphemeralsRequest{Path: sp}, &resp, nil); err != nil {
		return nil, err
	}
	for i, p := range resp.Children {
		resp.Children[i] = c.chroot.toClient(p)
	}
	return resp.Children, nil
}

// GetAllChildrenNumber returns the number of descendants of path.
func (c *Client) GetAllChildrenNumber(ctx context.Context, path string) (int, error) {
	sp, err := c.path(path)
	if err != nil {
		return 0, err
	}
	var resp GetAllChildrenNumberResponse
	if err := c.roundTrip(ctx, OpGetAllChildrenNumber, &GetAllChildrenNumberRequest{Path: sp}, &resp, nil); err != nil {
		return 0, err
	}
	return int(resp.TotalNumber), nil
}

// Reconfig changes the ensemble's membership (incrementally with joining and
// leaving, or wholesale with newMembers; comma-separated server specs) if
// the current config version is fromConfig (-1 skips the check). It returns
// the new /zookeeper/config. Servers without reconfigEnabled (ZooKeeper's
// default) answer ErrReconfigDisabled.
func (c *Client) Reconfig(ctx context.Context, joining, leaving, newMembers string, fromConfig int64) ([]byte, *Stat, error) {
	req := &ReconfigRequest{JoiningServers: joining, LeavingServers: leaving, NewMembers: newMembers, CurConfigID: fromConfig}
	var resp GetDataResponse
	if err := c.roundTrip(ctx, OpReconfig, req, &resp, nil); err != nil {
		return nil, nil, err
	}
	return resp.Data, &resp.Stat, nil
}
