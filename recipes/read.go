package recipes

import (
	"context"

	"coordtui/cluster/zk"
)

// ReadProgram is the pseudo-code of ReadLatest and UnsafeReadWithoutSync.
var ReadProgram = Program{
	"sync <path> (the member I am connected to catches up with the leader)",
	"get <path>",
}

// ReadLatest reads path after a sync, so it sees every write that completed
// anywhere before the call — what one client must do to read another
// client's write (ZooKeeper reads are served by the member a client is
// connected to, which may lag). On connection loss both requests are
// retried; a lost session fails with ErrSessionLost.
func ReadLatest(ctx context.Context, c Client, path string, opts ...Option) ([]byte, *zk.Stat, error) {
	p := newProc(c, "read", opts)
	err := p.op(ctx, Step{Line: 1, Kind: KindSync, Path: path}, func(*Step) error {
		_, err := p.c.Sync(ctx, path)
		return checkLost(err)
	})
	if err != nil {
		return nil, nil, err
	}
	return get(ctx, p, path)
}

// UnsafeReadWithoutSync reads path from whichever member the client is
// connected to, for teaching. UNSAFE for reading someone else's write: a
// follower that has not yet applied it answers with the old value, though
// the writer was already told "done" — ZooKeeper reads are sequentially
// consistent, not linearizable. A client always sees its own writes, so
// this is only wrong across clients; ReadLatest is the fix.
func UnsafeReadWithoutSync(ctx context.Context, c Client, path string, opts ...Option) ([]byte, *zk.Stat, error) {
	p := newProc(c, "read-no-sync", opts)
	return get(ctx, p, path)
}

func get(ctx context.Context, p *proc, path string) ([]byte, *zk.Stat, error) {
	var data []byte
	var st *zk.Stat
	err := p.op(ctx, Step{Line: 2, Kind: KindGet, Path: path}, func(s *Step) error {
		var err error
		data, st, err = p.c.Get(ctx, path)
		if err == nil {
			s.Note = string(data)
		}
		return checkLost(err)
	})
	return data, st, err
}
