package source

import (
	"context"
	"fmt"
	"strings"

	"coordtui/tree"
)

// super passes every ACL: the console shows the whole tree, as an
// operator with the super digest would see it.
var super = []tree.ID{{Scheme: "super", ID: "coordtui-console"}}

// childChunk bounds how many children are read under one read lock, so a
// node with 100,000 children never holds the member's writers up for long.
const childChunk = 2000

// Children implements Source.
func (e *local) Children(ctx context.Context, member uint64, path string) ([]Child, error) {
	n, err := e.node(member)
	if err != nil {
		return nil, err
	}
	var names []string
	n.View(func(t *tree.Tree) { names, _, err = t.Children(path, super) })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]Child, 0, len(names))
	for start := 0; start < len(names); start += childChunk {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		chunk := names[start:min(start+childChunk, len(names))]
		n.View(func(t *tree.Tree) {
			for _, name := range chunk {
				p := join(path, name)
				st, err := t.Exists(p)
				if err != nil {
					continue // deleted between the two reads
				}
				mode, ttl, _ := t.NodeInfo(p)
				out = append(out, Child{Name: name, Path: p, NumChildren: st.NumChildren, DataLength: st.DataLength,
					Owner: st.EphemeralOwner, Sequential: mode.IsSequential() || isSequentialName(name),
					Container: mode.IsContainer(), TTL: ttl, Mzxid: st.Mzxid, Pzxid: st.Pzxid})
			}
		})
	}
	return out, nil
}

// Detail implements Source.
func (e *local) Detail(ctx context.Context, member uint64, path string) (Detail, error) {
	n, err := e.node(member)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Path: path, Member: fmt.Sprintf("n%d", n.ID())}
	n.View(func(t *tree.Tree) {
		var data []byte
		data, d.Stat, err = t.Get(path, super)
		if err != nil {
			return
		}
		d.Data = append([]byte(nil), data...)
		acl, _, _ := t.GetACL(path, super)
		for _, a := range acl {
			d.ACL = append(d.ACL, a.String())
		}
		mode, ttl, _ := t.NodeInfo(path)
		d.Mode, d.TTL = mode.String(), ttl
	})
	if err != nil {
		return Detail{}, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// Find implements Source: a walk of the whole tree under one read lock.
func (e *local) Find(ctx context.Context, member uint64, substr string, limit int) ([]string, error) {
	n, err := e.node(member)
	if err != nil {
		return nil, err
	}
	var out []string
	n.View(func(t *tree.Tree) {
		t.Walk("/", func(path string, _ tree.Stat, _ []byte) bool {
			if strings.Contains(path, substr) {
				out = append(out, path)
			}
			return len(out) < limit
		})
	})
	return out, nil
}

func join(parent, name string) string {
	if parent == "/" {
		return "/" + name
	}
	return parent + "/" + name
}

// isSequentialName reports whether a name ends in ZooKeeper's ten-digit
// sequence suffix.
func isSequentialName(name string) bool {
	if len(name) < 10 {
		return false
	}
	for _, c := range name[len(name)-10:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
