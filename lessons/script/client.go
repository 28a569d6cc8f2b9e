package script

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"coordtui/cluster/zk"
	"coordtui/cluster/zkcli"
)

// Client is a named ZooKeeper session the script drives with zkCli's
// commands. It remembers what its own client saw — its state changes and
// the watch events delivered to it — for the transcript and the
// predicates.
type Client struct {
	Name     string
	ReadOnly bool
	shell    *zkcli.Shell

	mu     sync.Mutex
	state  zk.State
	server string   // address it is connected to, "" when not
	states []string // every state it went through, in order
	events []string // watch events as zkCli prints them, one line each
}

// ZK is the client underneath, for extension commands.
func (c *Client) ZK() *zk.Client { return c.shell.Client() }

// State is the client's state now and the address of its member ("" when
// it is not connected), as its client knows them.
func (c *Client) State() (zk.State, string) {
	if z := c.ZK(); z != nil {
		return z.State(), z.Server()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state, c.server
}

// States is every state the client went through, oldest first.
func (c *Client) States() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.states)
}

func (c *Client) onState(ev zk.StateEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state, c.server = ev.State, ev.Server
	if ev.State != zk.StateConnected && ev.State != zk.StateConnectedReadOnly {
		c.server = ""
	}
	c.states = append(c.states, ev.State.String())
}

// onNotify receives zkCli's watch output ("\nWATCHER::\n\nWatchedEvent
// ..."), one event per call, on the client's goroutines.
func (c *Client) onNotify(text string) {
	line := strings.TrimSpace(strings.ReplaceAll(text, "WATCHER::", ""))
	if line == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, line)
}

// takeEvents returns the events delivered since the last take.
func (c *Client) takeEvents() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.events
	c.events = nil
	return out
}

func (c *Client) eventCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.events)
}

// exec runs one zkCli command line and returns what zkCli printed, stdout
// and stderr interleaved as a terminal shows them.
func (c *Client) exec(ctx context.Context, line string) string {
	var buf bytes.Buffer
	c.shell.Exec(ctx, line, &buf, &buf)
	return buf.String()
}

func (c *Client) close() { c.shell.Close() }

// connect opens a named session. hosts are tried in order; the first is
// the member the client starts on.
func (e *Env) connect(ctx context.Context, name string, hosts []string, readOnly bool, timeout time.Duration) (*Client, error) {
	if _, dup := e.clients[name]; dup {
		return nil, fmt.Errorf("client %s exists already", name)
	}
	c := &Client{Name: name, ReadOnly: readOnly}
	c.shell = zkcli.New(zkcli.Config{
		Server:         strings.Join(hosts, ","),
		SessionTimeout: timeout,
		CommandTimeout: e.Within(15 * time.Second),
		Yes:            true,
		Notify:         c.onNotify,
		// Ours replaces zkCli's state printer: the transcript reports
		// connection changes in its own words.
		Options: []zk.Option{zk.WithReadOnly(readOnly), zk.WithStateCallback(c.onState)},
	})
	ctx, cancel := context.WithTimeout(ctx, e.Within(15*time.Second))
	defer cancel()
	if err := c.shell.Connect(ctx, ""); err != nil {
		c.shell.Close()
		return nil, err
	}
	e.clients[name] = c
	e.names.session(c.ZK().SessionID(), name)
	return c, nil
}

// Client returns the named client.
func (e *Env) Client(name string) (*Client, error) {
	if c, ok := e.clients[name]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("no client %q (make one with: client %s on=n1)", name, name)
}

// memberAt names the member whose client address is addr, 0 if none.
func (e *Env) memberAt(addr string) uint64 {
	ens := e.Ensemble()
	if ens == nil || addr == "" {
		return 0
	}
	for _, id := range ens.IDs() {
		if ens.ClientAddr(id) == addr {
			return id
		}
	}
	return 0
}

// hostsFrom lists client addresses starting at member first, then every
// other member in id order; only the first one when only is set.
func (e *Env) hostsFrom(first uint64, only bool) []string {
	ens := e.Ensemble()
	hosts := []string{ens.ClientAddr(first)}
	if only {
		return hosts
	}
	for _, id := range ens.IDs() {
		if id != first {
			hosts = append(hosts, ens.ClientAddr(id))
		}
	}
	return hosts
}

// Dial opens a session for an extension command's own actor (a balancer,
// a master), starting on member on and falling back to the others, and
// names the session name in transcripts. The caller closes the client;
// registering that with OnReset keeps it from outliving the ensemble.
func (e *Env) Dial(ctx context.Context, on, name string, timeout time.Duration, opts ...zk.Option) (*zk.Client, error) {
	id, err := e.Member(on)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.Within(15*time.Second))
	defer cancel()
	opts = append([]zk.Option{zk.WithSessionTimeout(timeout)}, opts...)
	c, err := zk.Connect(ctx, strings.Join(e.hostsFrom(id, false), ","), opts...)
	if err != nil {
		return nil, fmt.Errorf("%s could not connect: %w", name, err)
	}
	e.names.session(c.SessionID(), name)
	return c, nil
}
