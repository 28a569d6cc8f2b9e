package source

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"coordtui/cluster/event"
	"coordtui/cluster/zk"
	"coordtui/recipes/worker"
)

// AttachConfig configures the console against a live ensemble.
type AttachConfig struct {
	ConnString     string // "host:port,...[/chroot]"
	Write          bool   // allow writes from the console; read-only otherwise
	Auth           []string
	TLS            *tls.Config
	SessionTimeout time.Duration // default 10 s
	// NoWatch leaves the tree unwatched: the caller learns of changes
	// another way (Remote: the admin API's event stream).
	NoWatch bool
}

// Attached is the Source for an ensemble reached over the network: the
// tree through a ZooKeeper session of its own, member status through
// whichever four-letter words the servers allow, and changes through one
// persistent recursive watch on the root. It cannot change the ensemble.
type Attached struct {
	cfg    AttachConfig
	hosts  []string
	client *zk.Client
	opts   []zk.Option
	pool   *worker.Pool // nil unless Write

	events  chan event.Event
	dropped atomic.Uint64
	enrich  chan zk.WatchEvent
	stop    chan struct{}
	done    chan struct{}
	closeMu sync.Once

	status *statusCache
}

// StartAttach connects to the ensemble and starts watching it.
func StartAttach(ctx context.Context, cfg AttachConfig) (*Attached, error) {
	hosts, _, err := zk.ParseConnString(cfg.ConnString)
	if err != nil {
		return nil, err
	}
	if cfg.SessionTimeout == 0 {
		cfg.SessionTimeout = 10 * time.Second
	}
	var opts []zk.Option
	for _, a := range cfg.Auth {
		opts = append(opts, zk.WithAuth("digest", []byte(a)))
	}
	if cfg.TLS != nil {
		opts = append(opts, zk.WithTLS(cfg.TLS))
	}
	c, err := zk.Connect(ctx, cfg.ConnString, append(opts, zk.WithSessionTimeout(cfg.SessionTimeout))...)
	if err != nil {
		return nil, err
	}
	a := &Attached{cfg: cfg, hosts: hosts, client: c, opts: opts,
		events: make(chan event.Event, 8192), enrich: make(chan zk.WatchEvent, 8192),
		stop: make(chan struct{}), done: make(chan struct{}), status: newStatusCache(hosts, cfg.TLS != nil)}
	if cfg.Write {
		a.pool = worker.NewPool(worker.Config{ConnString: cfg.ConnString, Options: opts})
	}
	if cfg.NoWatch {
		go a.run()
		return a, nil
	}
	if err := c.AddWatch(ctx, "/", zk.AddWatchPersistentRecursive, a.onWatch); err != nil {
		c.Close()
		return nil, fmt.Errorf("attach: watching the tree: %w", err)
	}
	go a.run()
	return a, nil
}

// onWatch runs on the client's delivery goroutine: it only queues.
func (a *Attached) onWatch(ev zk.WatchEvent) {
	select {
	case a.enrich <- ev:
	default:
		a.dropped.Add(1)
	}
}

// run turns watch events into console events, looking up each changed
// node's zxid so the change log can show it.
func (a *Attached) run() {
	defer close(a.done)
	defer close(a.events)
	for {
		select {
		case <-a.stop:
			return
		case ev := <-a.enrich:
			for _, out := range a.translate(ev) {
				a.emit(out)
			}
		}
	}
}

func (a *Attached) emit(ev event.Event) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	select {
	case a.events <- ev:
	default:
		a.dropped.Add(1)
	}
}

// translate maps one watch event to what the console shows: the change
// (as an applied transaction, with its zxid when the node still exists)
// and the watch firing.
func (a *Attached) translate(ev zk.WatchEvent) []event.Event {
	switch ev.Type {
	case zk.EventNone:
		msg := "connection to the ensemble lost: changes until it is back are not seen"
		if ev.State == zk.KeeperSyncConnected {
			msg = "connection to the ensemble regained"
		}
		return []event.Event{{Kind: event.KindLog, Log: event.Log{Level: "WARN", Name: "attach", Msg: msg}}}
	case zk.EventNotWatching:
		return []event.Event{{Kind: event.KindLog, Log: event.Log{Level: "ERROR", Name: "attach", Msg: "the console's session ended: " + fmt.Sprint(ev.Err)}}}
	}
	op := map[zk.EventType]string{zk.EventNodeCreated: "create", zk.EventNodeDeleted: "delete",
		zk.EventNodeDataChanged: "setData", zk.EventNodeChildrenChanged: "children"}[ev.Type]
	applied := event.Applied{Op: op, Path: ev.Path}
	if ev.Type == zk.EventNodeCreated || ev.Type == zk.EventNodeDataChanged {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if st, err := a.client.Exists(ctx, ev.Path); err == nil && st != nil {
			applied.Zxid = uint64(st.Mzxid)
		}
		cancel()
	}
	return []event.Event{
		{Kind: event.KindApplied, Applied: applied},
		{Kind: event.KindWatchFired, Watch: event.Watch{Type: ev.Type.String(), Path: ev.Path, Sessions: []int64{a.client.SessionID()}}},
	}
}

// Mode implements Source.
func (a *Attached) Mode() string { return "attached" }

// ConnString implements Source.
func (a *Attached) ConnString() string { return a.cfg.ConnString }

// Events implements Source.
func (a *Attached) Events() <-chan event.Event { return a.events }

// Dropped implements Source.
func (a *Attached) Dropped() uint64 { return a.dropped.Load() }

// Workers implements Source: only with --write, since workers write.
func (a *Attached) Workers() *worker.Pool { return a.pool }

// Control implements Source: an attached console cannot crash members.
func (a *Attached) Control() Control { return nil }

// ReadOnly implements Source.
func (a *Attached) ReadOnly() bool { return !a.cfg.Write }

// Options are the client options the console's sessions use (auth, TLS).
func (a *Attached) Options() []zk.Option { return a.opts }

// Snapshot implements Source.
func (a *Attached) Snapshot(ctx context.Context) Snapshot {
	s := Snapshot{Taken: time.Now(), Mode: "attached", ConnString: a.cfg.ConnString, ReadOnly: !a.cfg.Write, Speed: 1}
	s.Members, s.Sessions, s.Notes = a.status.get(ctx)
	if a.pool != nil {
		s.Workers = a.pool.List()
	}
	if st := a.client.State(); st != zk.StateConnected && st != zk.StateConnectedReadOnly {
		s.Notes = append(s.Notes, "the console's session is "+strings.ToLower(st.String()))
	}
	return s
}

// Close implements Source.
func (a *Attached) Close() error {
	a.closeMu.Do(func() {
		if a.pool != nil {
			a.pool.Close()
		}
		close(a.stop)
		<-a.done
		a.client.Close()
	})
	return nil
}
