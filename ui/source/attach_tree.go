package source

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"coordtui/cluster/zk"
	"coordtui/tree"
)

// maxRemoteStats bounds how many children get a stat of their own when a
// node is expanded over the network; the rest are listed by name.
const maxRemoteStats = 5000

// maxRemoteFind bounds how many nodes Find visits over the network.
const maxRemoteFind = 20000

func statOf(s *zk.Stat) tree.Stat {
	return tree.Stat{Czxid: tree.Zxid(s.Czxid), Mzxid: tree.Zxid(s.Mzxid), Ctime: s.Ctime, Mtime: s.Mtime,
		Version: s.Version, Cversion: s.Cversion, Aversion: s.Aversion, EphemeralOwner: s.EphemeralOwner,
		DataLength: s.DataLength, NumChildren: s.NumChildren, Pzxid: tree.Zxid(s.Pzxid)}
}

// Children implements Source. Stats are read with up to 16 requests in
// flight, which the client pipelines on its one connection.
func (a *Attached) Children(ctx context.Context, _ uint64, path string) ([]Child, error) {
	names, _, err := a.client.Children2(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	slices.Sort(names)
	out := make([]Child, len(names))
	for i, name := range names {
		out[i] = Child{Name: name, Path: join(path, name), Sequential: isSequentialName(name), NumChildren: -1}
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := range work {
				st, err := a.client.Exists(ctx, out[i].Path)
				if err != nil || st == nil {
					continue
				}
				out[i].NumChildren, out[i].DataLength, out[i].Owner = st.NumChildren, st.DataLength, st.EphemeralOwner
				out[i].Mzxid, out[i].Pzxid = tree.Zxid(st.Mzxid), tree.Zxid(st.Pzxid)
			}
		})
	}
	for i := range min(len(out), maxRemoteStats) {
		select {
		case work <- i:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	return out, ctx.Err()
}

// Detail implements Source. Whether a node is a container or has a TTL
// cannot be read over the protocol (ZooKeeper shows ephemeralOwner 0 for
// both), so Mode names only what the Stat tells.
func (a *Attached) Detail(ctx context.Context, _ uint64, path string) (Detail, error) {
	data, st, err := a.client.Get(ctx, path)
	if err != nil {
		return Detail{}, fmt.Errorf("%s: %w", path, err)
	}
	d := Detail{Path: path, Data: data, Stat: statOf(st), Member: a.client.Server()}
	if acl, _, err := a.client.GetACL(ctx, path); err == nil {
		for _, x := range acl {
			d.ACL = append(d.ACL, fmt.Sprintf("%s:%s=%s", x.ID.Scheme, x.ID.ID, tree.PermString(x.Perms)))
		}
	}
	switch {
	case st.EphemeralOwner != 0 && isSequentialName(lastName(path)):
		d.Mode = "EPHEMERAL_SEQUENTIAL"
	case st.EphemeralOwner != 0:
		d.Mode = "EPHEMERAL"
	case isSequentialName(lastName(path)):
		d.Mode = "PERSISTENT_SEQUENTIAL"
	}
	return d, nil
}

// Find implements Source: breadth first over the network, visiting at
// most maxRemoteFind nodes.
func (a *Attached) Find(ctx context.Context, _ uint64, substr string, limit int) ([]string, error) {
	var out []string
	queue := []string{"/"}
	for visited := 0; len(queue) > 0 && visited < maxRemoteFind && len(out) < limit; visited++ {
		p := queue[0]
		queue = queue[1:]
		if strings.Contains(p, substr) {
			out = append(out, p)
		}
		kids, err := a.client.Children(ctx, p)
		if err != nil {
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			continue
		}
		slices.Sort(kids)
		for _, k := range kids {
			queue = append(queue, join(p, k))
		}
	}
	return out, nil
}

func lastName(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }
