package zk

import (
	"context"
	"fmt"
	"time"
)

// Op is one operation of Multi or MultiRead; build it with the functions
// below.
type Op struct {
	Type    OpCode
	Path    string
	Data    []byte
	ACL     []ACL
	Mode    CreateMode
	TTL     time.Duration
	Version int32
}

// CreateOp creates a node; its result carries the actual path.
func CreateOp(path string, data []byte, acl []ACL, mode CreateMode) Op {
	return Op{Type: OpCreate, Path: path, Data: data, ACL: acl, Mode: mode}
}

// Create2Op creates a node. On ZooKeeper 3.8 its result is still a plain
// create result (path only); from 3.9 it carries the Stat.
func Create2Op(path string, data []byte, acl []ACL, mode CreateMode) Op {
	return Op{Type: OpCreate2, Path: path, Data: data, ACL: acl, Mode: mode}
}

// CreateContainerOp creates a container node; the result carries the Stat.
func CreateContainerOp(path string, data []byte, acl []ACL) Op {
	return Op{Type: OpCreateContainer, Path: path, Data: data, ACL: acl, Mode: ModeContainer}
}

// CreateTTLOp creates a TTL node; the result carries the Stat.
func CreateTTLOp(path string, data []byte, acl []ACL, mode CreateMode, ttl time.Duration) Op {
	return Op{Type: OpCreateTTL, Path: path, Data: data, ACL: acl, Mode: mode, TTL: ttl}
}

// DeleteOp deletes a node if its version matches (-1 matches any).
func DeleteOp(path string, version int32) Op {
	return Op{Type: OpDelete, Path: path, Version: version}
}

// SetDataOp sets a node's data if its version matches (-1 matches any).
func SetDataOp(path string, data []byte, version int32) Op {
	return Op{Type: OpSetData, Path: path, Data: data, Version: version}
}

// CheckOp asserts a node's version (-1: only that it exists).
func CheckOp(path string, version int32) Op {
	return Op{Type: OpCheck, Path: path, Version: version}
}

// GetDataOp reads a node's data and Stat inside MultiRead.
func GetDataOp(path string) Op { return Op{Type: OpGetData, Path: path} }

// GetChildrenOp reads a node's children inside MultiRead.
func GetChildrenOp(path string) Op { return Op{Type: OpGetChildren, Path: path} }

// opRecord validates the op's path and returns its request record.
func (c *Client) opRecord(op Op) (Record, error) {
	var sp string
	var err error
	switch op.Type {
	case OpCreate, OpCreate2, OpCreateContainer, OpCreateTTL:
		sp, err = c.createPath(op.Path, op.Mode)
	default:
		sp, err = c.path(op.Path)
	}
	if err != nil {
		return nil, err
	}
	switch op.Type {
	case OpCreate, OpCreate2, OpCreateContainer:
		return &CreateRequest{Path: sp, Data: op.Data, ACL: op.ACL, Flags: op.Mode}, nil
	case OpCreateTTL:
		return &CreateTTLRequest{Path: sp, Data: op.Data, ACL: op.ACL, Flags: op.Mode, TTL: op.TTL.Milliseconds()}, nil
	case OpDelete:
		return &DeleteRequest{Path: sp, Version: op.Version}, nil
	case OpSetData:
		return &SetDataRequest{Path: sp, Data: op.Data, Version: op.Version}, nil
	case OpCheck:
		return &CheckVersionRequest{Path: sp, Version: op.Version}, nil
	case OpGetData:
		return &GetDataRequest{Path: sp}, nil
	case OpGetChildren:
		return &GetChildrenRequest{Path: sp}, nil
	}
	return nil, fmt.Errorf("%w: %v is not a multi op", ErrBadArguments, op.Type)
}

func (c *Client) multi(ctx context.Context, opcode OpCode, ops []Op) ([]MultiResult, error) {
	req := &MultiRequest{Read: opcode == OpMultiRead}
	for i, op := range ops {
		if req.Read != (op.Type == OpGetData || op.Type == OpGetChildren) {
			return nil, fmt.Errorf("%w: op %d (%v) not allowed in %v", ErrBadArguments, i, op.Type, opcode)
		}
		rec, err := c.opRecord(op)
		if err != nil {
			return nil, fmt.Errorf("op %d: %w", i, err)
		}
		req.Ops = append(req.Ops, MultiOp{Type: op.Type, Req: rec})
	}
	var resp MultiResponse
	if err := c.roundTrip(ctx, opcode, req, &resp, nil); err != nil {
		return nil, err
	}
	for i := range resp.Results {
		if p := resp.Results[i].Path; p != "" {
			resp.Results[i].Path = c.chroot.toClient(p)
		}
	}
	return resp.Results, nil
}

// Multi applies the write ops atomically: all or none. On success each
// result has the op's type (and the path and Stat where the op produces
// them). When an op fails nothing is applied, every result is an error
// result — OK before the failing op, its code at it, ErrRuntimeInconsistency
// after it — and the error returned is the failing op's code.
func (c *Client) Multi(ctx context.Context, ops ...Op) ([]MultiResult, error) {
	results, err := c.multi(ctx, OpMulti, ops)
	if err != nil {
		return nil, err
	}
	var first error
	for _, r := range results {
		if r.Err != OK && r.Err != ErrRuntimeInconsistency {
			return results, r.Err
		}
		if r.Err != OK && first == nil {
			first = r.Err
		}
	}
	return results, first
}

// MultiRead runs GetDataOp and GetChildrenOp reads in one request (ZooKeeper
// 3.6+). Each result stands alone: a failed read is an error result (Type
// OpError, Err set) and does not affect the others, so the error returned is
// only for the request as a whole.
func (c *Client) MultiRead(ctx context.Context, ops ...Op) ([]MultiResult, error) {
	return c.multi(ctx, OpMultiRead, ops)
}
