package zk

import (
	"context"
	"crypto/tls"
	"log/slog"
	"math/rand/v2"
	"net"
	"time"
)

// Option configures Connect.
type Option func(*config)

// DialFunc opens a connection to addr, as net.Dialer.DialContext does.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

type credential struct {
	scheme string
	auth   []byte
}

type config struct {
	sessionTimeout time.Duration
	tls            *tls.Config
	dial           DialFunc
	creds          []credential
	onState        func(StateEvent)
	logger         *slog.Logger
	readOnly       bool
	maxPacket      int
	shuffleSeed    *uint64
	// pause waits d between passes over the hosts, or returns false when
	// ctx ends first; tests record it instead of waiting.
	pause func(ctx context.Context, d time.Duration) bool
}

func defaultConfig() config {
	var d net.Dialer
	return config{
		sessionTimeout: 10 * time.Second,
		dial:           d.DialContext,
		logger:         slog.New(slog.DiscardHandler),
		maxPacket:      DefaultMaxPacket,
		pause:          sleepCtx,
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// WithSessionTimeout sets the session timeout the client asks for (default
// 10 s). The server clamps it to [2, 20] ticks; SessionTimeout reports the
// negotiated value.
func WithSessionTimeout(d time.Duration) Option {
	return func(c *config) { c.sessionTimeout = d }
}

// WithTLS wraps every connection in TLS with cfg. When cfg.ServerName is
// empty the host of the address being dialled is used.
func WithTLS(cfg *tls.Config) Option {
	return func(c *config) { c.tls = cfg }
}

// WithDialer replaces the TCP dialer, e.g. to route through a proxy or a
// fault-injecting transport.
func WithDialer(dial DialFunc) Option {
	return func(c *config) { c.dial = dial }
}

// WithAuth adds a credential (e.g. "digest", "user:password") that is sent
// right after every handshake, before any other request, as if AddAuth had
// been called.
func WithAuth(scheme string, auth []byte) Option {
	return func(c *config) {
		c.creds = append(c.creds, credential{scheme: scheme, auth: append([]byte(nil), auth...)})
	}
}

// WithStateCallback delivers every state change to fn, in order, on the
// client's one delivery goroutine (shared with persistent-watch callbacks).
// Changes are queued without bound and never dropped; fn may call the
// Client but must return eventually, or Close waits for it forever.
func WithStateCallback(fn func(StateEvent)) Option {
	return func(c *config) { c.onState = fn }
}

// WithLogger sets the logger for connection-level events. By default the
// client logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithReadOnly lets the client connect to a server that lost its quorum and
// serves reads only (state ConnectedReadOnly).
func WithReadOnly(allowed bool) Option {
	return func(c *config) { c.readOnly = allowed }
}

// WithMaxPacket sets the largest frame the client sends or accepts (default
// DefaultMaxPacket, ZooKeeper's jute.maxbuffer). A larger reply drops the
// connection; a larger request fails with ErrBadArguments without being sent.
func WithMaxPacket(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxPacket = n
		}
	}
}

// WithShuffledHosts shuffles the host list once with the given seed. By
// default hosts are tried in the order given, which keeps tests
// deterministic.
func WithShuffledHosts(seed uint64) Option {
	return func(c *config) { c.shuffleSeed = &seed }
}

func (c *config) orderHosts(hosts []string) []string {
	if c.shuffleSeed == nil {
		return hosts
	}
	r := rand.New(rand.NewPCG(*c.shuffleSeed, 0x5eed))
	r.Shuffle(len(hosts), func(i, j int) { hosts[i], hosts[j] = hosts[j], hosts[i] })
	return hosts
}
