package source

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"coordtui/cluster/admin"
	"coordtui/cluster/event"
	"coordtui/cluster/zk"
	"coordtui/recipes/worker"
)

// RemoteConfig configures the console against a coordtui ensemble whose
// admin API it can reach.
type RemoteConfig struct {
	Attach AttachConfig // the ZooKeeper side: connection string, --write, auth, TLS
	Admin  []string     // admin API addresses, "http://HOST:PORT"
	Token  string       // fault control's bearer token; "" only observes
	// Recent is how many past changes (applied transactions, sessions,
	// elections) each API is asked for first, as many as it still keeps,
	// so the zxid log starts with history; default 16384.
	Recent int
}

// Remote is the Source for a coordtui ensemble reached over the network
// together with its admin API: the tree over the ZooKeeper protocol (as
// Attached reads it), the members from /coordtui/status, and the zxid log,
// raft RPCs, sessions and watches from each admin API's event stream,
// which resumes after a reconnect. With a token, and an API whose fault
// control is on, its Control cuts links and crashes members through the
// API.
type Remote struct {
	cfg  RemoteConfig
	at   *Attached
	ends []*endpoint

	events  chan event.Event
	dropped atomic.Uint64 // events the console's channel had no room for
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	once    sync.Once

	ctl   *remoteControl // nil: noCtl says why
	noCtl string
	view  remoteView // the last merged status, for the controls
}

// endpoint is one admin API.
type endpoint struct {
	c       *admin.Client
	streams []*stream

	mu   sync.Mutex
	self uint64             // the member it speaks for, once known
	last admin.MemberStatus // that member as last seen
}

// stream is one event stream of an endpoint and what it is doing. Each
// endpoint has two: the changes (everything but raft RPCs, with the
// backlog the member keeps, so the zxid log starts with history) and the
// raft RPCs (live only: hundreds a second of stale heartbeats would crowd
// the changes out of a backlog).
type stream struct {
	ep   *endpoint
	what string // "changes" or "raft RPCs"
	opts admin.FollowOptions

	mu        sync.Mutex
	connected bool
	err       string
	gaps      uint64 // gaps announced
	lost      uint64 // events they missed
	lastGap   string
}

// changeKinds are the kinds the changes stream carries: what the panes
// use except raft RPCs (raft's own log lines are not shown attached).
var changeKinds = []event.Kind{event.KindRaftState, event.KindLeaderChange, event.KindApplied, event.KindSession,
	event.KindWatchFired, event.KindFault, event.KindMember}

// StartRemote connects to the ensemble and to every admin API, and starts
// following their event streams. An admin API that does not answer is no
// error: the console shows it unreachable and its stream keeps retrying.
func StartRemote(ctx context.Context, cfg RemoteConfig) (*Remote, error) {
	if len(cfg.Admin) == 0 {
		return nil, errors.New("attach: no admin API address")
	}
	if cfg.Recent == 0 {
		cfg.Recent = 16384
	}
	r := &Remote{cfg: cfg, events: make(chan event.Event, 8192)}
	for _, a := range cfg.Admin {
		c, err := admin.NewClient(a, cfg.Token, nil)
		if err != nil {
			return nil, fmt.Errorf("attach --admin: %w", err)
		}
		ep := &endpoint{c: c}
		ep.streams = []*stream{
			{ep: ep, what: "changes", opts: admin.FollowOptions{Kinds: changeKinds, Recent: cfg.Recent}},
			{ep: ep, what: "raft RPCs", opts: admin.FollowOptions{Kinds: []event.Kind{event.KindRaftRPC}}},
		}
		r.ends = append(r.ends, ep)
	}
	ac := cfg.Attach
	ac.NoWatch = true
	at, err := StartAttach(ctx, ac)
	if err != nil {
		return nil, err
	}
	r.at = at
	r.ctl, r.noCtl = r.probe(ctx)
	sctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	for _, ep := range r.ends {
		for _, st := range ep.streams {
			r.wg.Go(func() {
				_ = ep.c.Follow(sctx, st.opts, func(it admin.StreamItem) { r.onStream(st, it) })
			})
		}
	}
	return r, nil
}

// probe asks each API for its member and whether fault control is on, and
// decides whether the console gets a Control.
func (r *Remote) probe(ctx context.Context) (*remoteControl, string) {
	ctl := &remoteControl{r: r, own: map[string]*endpoint{}}
	var any *endpoint
	for _, ep := range r.ends {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		if st, err := ep.c.Status(pctx); err == nil {
			ep.learn(st)
		}
		fs, err := ep.c.Faults(pctx)
		cancel()
		if err != nil || !fs.Enabled {
			continue
		}
		switch {
		case fs.Self != "":
			ctl.own[fs.Self] = ep // a coordtui server member: its own links only
		case ctl.ep == nil:
			ctl.ep = ep // coordtui up: the whole ensemble
		}
		if any == nil {
			any = ep
		}
	}
	switch {
	case r.cfg.Token == "":
		return nil, "attached: fault control needs --token and a member started with --faults"
	case any == nil:
		return nil, "attached: fault control is off on every admin API (start coordtui up or server with --admin and --faults)"
	case !tokenTaken(ctx, any.c):
		return nil, "attached: the admin API refused the token (check --token or COORDTUI_ADMIN_TOKEN)"
	}
	return ctl, ""
}

// tokenTaken asks to heal a link between members no ensemble has: the API
// checks the token before it looks for the members, so "no such member"
// means the token was taken and "unauthorized" that it was not, and nothing
// changes either way. Any other answer gives the token the benefit of the
// doubt; an action then says what went wrong.
func tokenTaken(ctx context.Context, c *admin.Client) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, err := c.Fault(ctx, "links/heal", url.Values{"from": {"n254"}, "to": {"n255"}})
	return !errors.Is(err, admin.ErrBadToken)
}

// learn remembers which member an API speaks for.
func (ep *endpoint) learn(st admin.StatusResponse) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	ep.self = st.Self
	for _, m := range st.Members {
		if m.ID == st.Self {
			ep.last = m
		}
	}
}

// onStream runs on a stream's Follow goroutine: it only translates and
// queues, never waits.
func (r *Remote) onStream(st *stream, it admin.StreamItem) {
	from := fmt.Sprintf("%s (%s)", st.ep.c, st.what)
	switch {
	case it.Event.Kind != 0:
		r.emit(it.Event)
	case it.Gap != nil:
		st.mu.Lock()
		st.gaps++
		st.lost += it.Gap.Dropped
		st.lastGap = it.Gap.String()
		st.mu.Unlock()
		r.note("WARN", fmt.Sprintf("%s: the event stream %s", from, it.Gap))
	case it.Restarted:
		r.note("WARN", from+": the member's event stream started again; what happened in between is not shown")
	case it.Connected:
		st.mu.Lock()
		st.connected, st.err = true, ""
		st.mu.Unlock()
		if it.Resumed > 0 {
			r.note("INFO", fmt.Sprintf("%s: event stream resumed after #%d", from, it.Resumed))
		}
	case it.Err != nil:
		st.mu.Lock()
		wasUp, first := st.connected, !st.connected && st.err == ""
		st.connected, st.err = false, shortErr(it.Err)
		st.mu.Unlock()
		switch { // once per outage, not once per retry
		case wasUp:
			r.note("WARN", fmt.Sprintf("%s: event stream lost (%s); retrying", from, shortErr(it.Err)))
		case first:
			r.note("WARN", fmt.Sprintf("%s: no event stream (%s); retrying", from, shortErr(it.Err)))
		}
	}
}

// note puts a line in the console's status line ("attach" log events are
// shown as news).
func (r *Remote) note(level, msg string) {
	r.emit(event.Event{Kind: event.KindLog, Time: time.Now(), Log: event.Log{Level: level, Name: "attach", Msg: msg}})
}

func (r *Remote) emit(ev event.Event) {
	select {
	case r.events <- ev:
	default:
		r.dropped.Add(1)
	}
}

// streamNotes says, per stream, what it missed or why it is down.
func (r *Remote) streamNotes() []string {
	var notes []string
	for _, ep := range r.ends {
		for _, st := range ep.streams {
			st.mu.Lock()
			if !st.connected && st.err != "" {
				notes = append(notes, fmt.Sprintf("%s from %s: %s", st.what, ep.c, st.err))
			}
			if st.lost > 0 {
				notes = append(notes, fmt.Sprintf("%s from %s: %d events dropped in %d gaps (last %s)", st.what, ep.c, st.lost, st.gaps, st.lastGap))
			}
			st.mu.Unlock()
		}
	}
	if d := r.dropped.Load(); d > 0 {
		notes = append(notes, fmt.Sprintf("the console fell behind: %d events not shown", d))
	}
	return notes
}

// Mode implements Source.
func (r *Remote) Mode() string { return "attached" }

// ConnString implements Source.
func (r *Remote) ConnString() string { return r.at.ConnString() }

// Events implements Source.
func (r *Remote) Events() <-chan event.Event { return r.events }

// Dropped implements Source.
func (r *Remote) Dropped() uint64 { return r.dropped.Load() }

// Workers implements Source: only with --write, since workers write.
func (r *Remote) Workers() *worker.Pool { return r.at.Workers() }

// ReadOnly implements Source.
func (r *Remote) ReadOnly() bool { return r.at.ReadOnly() }

// Options are the client options the console's sessions use (auth, TLS).
func (r *Remote) Options() []zk.Option { return r.at.Options() }

// Children implements Source, over the ZooKeeper protocol.
func (r *Remote) Children(ctx context.Context, member uint64, path string) ([]Child, error) {
	return r.at.Children(ctx, member, path)
}

// Detail implements Source, over the ZooKeeper protocol.
func (r *Remote) Detail(ctx context.Context, member uint64, path string) (Detail, error) {
	return r.at.Detail(ctx, member, path)
}

// Find implements Source, over the ZooKeeper protocol.
func (r *Remote) Find(ctx context.Context, member uint64, substr string, limit int) ([]string, error) {
	return r.at.Find(ctx, member, substr, limit)
}

// Control implements Source: nil unless fault control is on and the
// console has the token (NoControlReason says which is missing).
func (r *Remote) Control() Control {
	if r.ctl == nil {
		return nil
	}
	return r.ctl
}

// NoControlReason says why Control is nil, in words for dimmed keys.
func (r *Remote) NoControlReason() string { return r.noCtl }

// Close implements Source: the streams first, then the session.
func (r *Remote) Close() error {
	r.once.Do(func() {
		r.cancel()
		r.wg.Wait()
		r.at.Close()
		close(r.events)
	})
	return nil
}
