package bench

import (
	"context"
	"errors"
	"strings"

	"coordtui/cluster/zk"
)

// mkdir creates path and any missing ancestors, empty and open to all.
func (b *bench) mkdir(ctx context.Context, path string) error {
	for i := 1; i <= len(path); i++ {
		if i < len(path) && path[i] != '/' {
			continue
		}
		_, err := b.admin.Create(ctx, path[:i], nil, zk.WorldACL(zk.PermAll), zk.ModePersistent)
		if err != nil && !errors.Is(err, zk.ErrNodeExists) {
			return err
		}
	}
	return nil
}

func join(parent, child string) string {
	if strings.HasSuffix(parent, "/") {
		return parent + child
	}
	return parent + "/" + child
}

// deleteTree deletes path and everything below it, deepest first, in
// multis of up to 500 deletes. A missing path is not an error.
func (b *bench) deleteTree(ctx context.Context, path string) error {
	all := []string{path}
	for i := 0; i < len(all); i++ {
		kids, err := b.admin.Children(ctx, all[i])
		if errors.Is(err, zk.ErrNoNode) {
			if i == 0 {
				return nil
			}
			continue
		}
		if err != nil {
			return err
		}
		for _, k := range kids {
			all = append(all, join(all[i], k))
		}
	}
	var ops []zk.Op
	for i := len(all) - 1; i >= 0; i-- {
		ops = append(ops, zk.DeleteOp(all[i], -1))
		if len(ops) == 500 || i == 0 {
			if _, err := b.admin.Multi(ctx, ops...); err != nil && !errors.Is(err, zk.ErrNoNode) {
				return err
			}
			ops = ops[:0]
		}
	}
	return nil
}
