package zk

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// path validates a client path and maps it into the chroot.
func (c *Client) path(p string) (string, error) {
	if err := ValidatePath(p); err != nil {
		return "", err
	}
	return c.chroot.toServer(p), nil
}

// createPath validates a create path; a sequential create may end in "/"
// because the server appends the suffix (the Java client validates p+"1").
func (c *Client) createPath(p string, mode CreateMode) (string, error) {
	check := p
	if mode.IsSequential() {
		check += "1"
	}
	if err := ValidatePath(check); err != nil {
		return "", err
	}
	return c.chroot.toServer(p), nil
}

// Create creates a node and returns its actual path (with the sequence
// suffix for sequential modes). ModeContainer uses the createContainer
// opcode, as the Java client does; TTL modes need CreateTTL.
func (c *Client) Create(ctx context.Context, path string, data []byte, acl []ACL, mode CreateMode) (string, error) {
	if mode.IsContainer() {
		p, _, err := c.CreateContainer(ctx, path, data, acl)
		return p, err
	}
	if mode.IsTTL() {
		return "", fmt.Errorf("%w: mode %v needs CreateTTL", ErrBadArguments, mode)
	}
	sp, err := c.createPath(path, mode)
	if err != nil {
		return "", err
	}
	var resp PathResponse
	if err := c.roundTrip(ctx, OpCreate, &CreateRequest{Path: sp, Data: data, ACL: acl, Flags: mode}, &resp, nil); err != nil {
		return "", err
	}
	return c.chroot.toClient(resp.Path), nil
}

// Create2 is Create that also returns the new node's Stat (opcode create2;
// createContainer for ModeContainer).
func (c *Client) Create2(ctx context.Context, path string, data []byte, acl []ACL, mode CreateMode) (string, *Stat, error) {
	op := OpCreate2
	switch {
	case mode.IsContainer():
		op = OpCreateContainer
	case mode.IsTTL():
		return "", nil, fmt.Errorf("%w: mode %v needs CreateTTL", ErrBadArguments, mode)
	}
	return c.create2(ctx, op, path, mode, func(sp string) Record {
		return &CreateRequest{Path: sp, Data: data, ACL: acl, Flags: mode}
	})
}

// CreateContainer creates a container node, which the server deletes once
// its last child is gone.
func (c *Client) CreateContainer(ctx context.Context, path string, data []byte, acl []ACL) (string, *Stat, error) {
	return c.create2(ctx, OpCreateContainer, path, ModeContainer, func(sp string) Record {
		return &CreateRequest{Path: sp, Data: data, ACL: acl, Flags: ModeContainer}
	})
}

// CreateTTL creates a node (mode ModePersistentWithTTL or
// ModePersistentSequentialWithTTL) that the server deletes once it has had
// no children and no change for ttl. The server must run with
// zookeeper.extendedTypesEnabled, else ErrUnimplemented.
func (c *Client) CreateTTL(ctx context.Context, path string, data []byte, acl []ACL, mode CreateMode, ttl time.Duration) (string, *Stat, error) {
	return c.create2(ctx, OpCreateTTL, path, mode, func(sp string) Record {
		return &CreateTTLRequest{Path: sp, Data: data, ACL: acl, Flags: mode, TTL: ttl.Milliseconds()}
	})
}

// create2 sends a create whose reply is a Create2Response; req builds the
// request for the server path.
func (c *Client) create2(ctx context.Context, op OpCode, path string, mode CreateMode, req func(serverPath string) Record) (string, *Stat, error) {
	sp, err := c.createPath(path, mode)
	if err != nil {
		return "", nil, err
	}
	var resp Create2Response
	if err := c.roundTrip(ctx, op, req(sp), &resp, nil); err != nil {
		return "", nil, err
	}
	return c.chroot.toClient(resp.Path), &resp.Stat, nil
}

// Delete deletes a node if its version matches (-1 matches any).
func (c *Client) Delete(ctx context.Context, path string, version int32) error {
	sp, err := c.path(path)
	if err != nil {
		return err
	}
	return c.roundTrip(ctx, OpDelete, &DeleteRequest{Path: sp, Version: version}, nil, nil)
}

// Exists returns the node's Stat, or nil and no error when it does not exist.
func (c *Client) Exists(ctx context.Context, path string) (*Stat, error) {
	st, _, err := c.exists(ctx, path, false)
	return st, err
}

func (c *Client) exists(ctx context.Context, path string, watch bool) (*Stat, <-chan WatchEvent, error) {
	sp, err := c.path(path)
	if err != nil {
		return nil, nil, err
	}
	reg := newOneShot(sp, watchData, watch)
	if reg != nil {
		reg.existOnMiss = true
	}
	var resp StatResponse
	err = c.roundTrip(ctx, OpExists, &ExistsRequest{Path: sp, Watch: watch}, &resp, reg)
	switch {
	case errors.Is(err, ErrNoNode):
		return nil, reg.channel(), nil
	case err != nil:
		return nil, nil, err
	}
	return &resp.Stat, reg.channel(), nil
}

// Get returns a node's data (nil for null data) and Stat.
func (c *Client) Get(ctx context.Context, path string) ([]byte, *Stat, error) {
	data, st, _, err := c.get(ctx, path, false)
	return data, st, err
}

func (c *Client) get(ctx context.Context, path string, watch bool) ([]byte, *Stat, <-chan WatchEvent, error) {
	sp, err := c.path(path)
	if err != nil {
		return nil, nil, nil, err
	}
	reg := newOneShot(sp, watchData, watch)
	var resp GetDataResponse
	if err := c.roundTrip(ctx, OpGetData, &GetDataRequest{Path: sp, Watch: watch}, &resp, reg); err != nil {
		return nil, nil, nil, err
	}
	return resp.Data, &resp.Stat, reg.channel(), nil
}

// Set replaces a node's data if its version matches (-1 matches any).
func (c *Client) Set(ctx context.Context, path string, data []byte, version int32) (*Stat, error) {
	sp, err := c.path(path)
	if err != nil {
		return nil, err
	}
	var resp StatResponse
	if err := c.roundTrip(ctx, OpSetData, &SetDataRequest{Path: sp, Data: data, Version: version}, &resp, nil); err != nil {
		return nil, err
	}
	return &resp.Stat, nil
}

// GetACL returns a node's ACL and Stat.
func (c *Client) GetACL(ctx context.Context, path string) ([]ACL, *Stat, error) {
	sp, err := c.path(path)
	if err != nil {
		return nil, nil, err
	}
	var resp GetACLResponse
	if err := c.roundTrip(ctx, OpGetACL, &GetACLRequest{Path: sp}, &resp, nil); err != nil {
		return nil, nil, err
	}
	return resp.ACL, &resp.Stat, nil
}

// SetACL replaces a node's ACL if its aversion matches (-1 matches any).
func (c *Client) SetACL(ctx context.Context, path string, acl []ACL, aversion int32) (*Stat, error) {
	sp, err := c.path(path)
	if err != nil {
		return nil, err
	}
	var resp StatResponse
	if err := c.roundTrip(ctx, OpSetACL, &SetACLRequest{Path: sp, ACL: acl, Version: aversion}, &resp, nil); err != nil {
		return nil, err
	}
	return &resp.Stat, nil
}

// Children returns the names of a node's children, in the server's order
// (ZooKeeper's is unspecified).
func (c *Client) Children(ctx context.Context, path string) ([]string, error) {
	sp, err := c.path(path)
	if err != nil {
		return nil, err
	}
	var resp ChildrenResponse
	if err := c.roundTrip(ctx, OpGetChildren, &GetChildrenRequest{Path: sp}, &resp, nil); err != nil {
		return nil, err
	}
	return resp.Children, nil
}

// Children2 returns the children's names and the node's Stat.
func (c *Client) Children2(ctx context.Context, path string) ([]string, *Stat, error) {
	names, st, _, err := c.children2(ctx, path, false)
	return names, st, err
}

func (c *Client) children2(ctx context.Context, path string, watch bool) ([]string, *Stat, <-chan WatchEvent, error) {
	sp, err := c.path(path)
	if err != nil {
		return nil, nil, nil, err
	}
	reg := newOneShot(sp, watchChild, watch)
	var resp Children2Response
	if err := c.roundTrip(ctx, OpGetChildren2, &GetChildren2Request{Path: sp, Watch: watch}, &resp, reg); err != nil {
		return nil, nil, nil, err
	}
	return resp.Children, &resp.Stat, reg.channel(), nil
}

// Sync makes the server the client is connected to catch up with the
// leader, so later reads see every write committed before the sync.
func (c *Client) Sync(ctx context.Context, path string) (string, error) {
	sp, err := c.path(path)
	if err != nil {
		return "", err
	}
	var resp PathResponse
	if err := c.roundTrip(ctx, OpSync, &SyncRequest{Path: sp}, &resp, nil); err != nil {
		return "", err
	}
	return c.chroot.toClient(resp.Path), nil
}
