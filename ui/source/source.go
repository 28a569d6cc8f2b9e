package source

import (
	"context"
	"time"

	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/recipes/worker"
)

// Source is where the console's picture comes from. Implementations are
// safe for concurrent use.
type Source interface {
	// Mode is "embedded", "attached" or "scripted".
	Mode() string
	// ConnString is what a zkCli.sh or Curator client connects with.
	ConnString() string
	// Events delivers observations as they happen; it is closed by Close.
	// The source never waits for the reader: events it could not deliver
	// are counted in Dropped.
	Events() <-chan event.Event
	Dropped() uint64
	// Snapshot copies the ensemble's state now. It may do I/O (four-letter
	// words when attached); ctx bounds it.
	Snapshot(ctx context.Context) Snapshot
	// Children lists path's children with what the tree pane shows of
	// each, as member (0: the source's choice) sees them, in name order.
	Children(ctx context.Context, member uint64, path string) ([]Child, error)
	// Detail reads one znode in full.
	Detail(ctx context.Context, member uint64, path string) (Detail, error)
	// Find lists up to limit paths that contain substr, in tree order.
	Find(ctx context.Context, member uint64, substr string, limit int) ([]string, error)
	// Workers is the pool of simulated clients, or nil where the console
	// may not start them (attached read-only).
	Workers() *worker.Pool
	// Control changes the ensemble, or is nil where the console cannot.
	Control() Control
	// ReadOnly reports that the console must not write.
	ReadOnly() bool
	// Close stops everything the source started.
	Close() error
}

// Control is what the console may do to an ensemble it runs.
type Control interface {
	Crash(id uint64) error
	Restart(id uint64) error
	Add(ctx context.Context, observer bool) (uint64, error)
	Remove(ctx context.Context, id uint64) error
	TransferLeadership(ctx context.Context, to uint64) error
	// Net is the network between the members: partitions, slow motion
	// and step mode.
	Net() Network
}

// Network is the console's hand on the links between members: *Net for
// an ensemble in this process, the admin API's fault control for a remote
// coordtui (which cannot stretch time, so slow motion and step mode fail
// there with the reason). Changes return an error only where they can
// fail, that is remotely.
type Network interface {
	// Base is what the user set on from->to, without slow motion or step.
	Base(from, to string) faultnet.Fault
	SetCut(from, to string, cut bool) error
	SetDelay(from, to string, d time.Duration) error
	Isolate(id string) error
	Split(a, b []string) error
	Heal() error
	SetSpeed(f float64) error
	SetStep(on bool) error
	ReleaseNext() (event.RPC, error)
	ReleaseAll() int
}
