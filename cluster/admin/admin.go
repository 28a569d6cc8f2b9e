package admin

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
)

// Config says which member an admin API speaks for and what it may do.
type Config struct {
	// Addr is where New listens, "HOST:PORT". "" means 127.0.0.1 on a
	// free port, and an empty host means 127.0.0.1: other interfaces are
	// used only when named ("0.0.0.0:8080").
	Addr string

	// Either Ensemble and Member (an in-process ensemble: the member is
	// looked up on every request, so a crash and restart are followed),
	// or Server (a member on its own, as `coordtui server` runs one).
	Ensemble *cluster.Ensemble
	Member   uint64
	Server   *cluster.Server

	// Events is the bus /coordtui/events streams; Links and Conns are the
	// fault tables. With an Ensemble they default to its own.
	Events *event.Bus
	Links  *faultnet.Links
	Conns  *faultnet.Conns
	// Self, for a member on its own (Server), is its name in Links ("n2"):
	// its table governs only links that touch it, so link actions must
	// name it (cuts it enforces both ways; delay, loss and hold on what it
	// sends).
	Self string

	// Faults turns on /coordtui/faults/* actions. They also need Token,
	// which callers present as "Authorization: Bearer <Token>". Without
	// both, every action is refused: the API only observes.
	Faults bool
	Token  string

	// Heartbeat is how often an idle event stream gets a comment line, so
	// proxies keep it open and a gone client is noticed; default 15 s.
	Heartbeat time.Duration
	// EventBuffer is each event stream's buffer; a client that falls
	// further behind loses events and is told how many. Default 1024.
	EventBuffer int
}

// Handler is the admin API of one member as an http.Handler. Its methods
// are safe for concurrent use.
type Handler struct {
	cfg  Config
	mux  *http.ServeMux
	stop context.Context // ends every event stream when cancelled
	quit context.CancelFunc

	streams sync.WaitGroup
	sse     sseStats
}

// NewHandler checks cfg and returns the API without listening anywhere, for
// mounting on another server or for httptest.
func NewHandler(cfg Config) (*Handler, error) {
	switch {
	case cfg.Ensemble == nil && cfg.Server == nil:
		return nil, errors.New("admin: no member: set Ensemble and Member, or Server")
	case cfg.Ensemble != nil && cfg.Server != nil:
		return nil, errors.New("admin: both Ensemble and Server set")
	case cfg.Ensemble != nil && !slices.Contains(cfg.Ensemble.IDs(), cfg.Member):
		return nil, fmt.Errorf("admin: the ensemble has no member %d", cfg.Member)
	case cfg.Faults && cfg.Token == "":
		return nil, errors.New("admin: fault control needs a token")
	}
	if e := cfg.Ensemble; e != nil {
		if cfg.Links == nil {
			cfg.Links = e.Links()
		}
		if cfg.Conns == nil {
			cfg.Conns = e.Conns()
		}
		if cfg.Events == nil && cfg.Links != nil {
			cfg.Events = cfg.Links.Bus()
		}
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.EventBuffer <= 0 {
		cfg.EventBuffer = 1024
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux()}
	h.stop, h.quit = context.WithCancel(context.Background())
	h.routes()
	return h, nil
}

func (h *Handler) routes() {
	h.mux.HandleFunc("/commands", only(http.MethodGet, h.serveIndex))
	h.mux.HandleFunc("/commands/{name}", only(http.MethodGet, h.serveCommand))
	h.mux.HandleFunc("/metrics", only(http.MethodGet, h.serveMetrics))
	h.mux.HandleFunc("/coordtui/status", only(http.MethodGet, h.serveStatus))
	h.mux.HandleFunc("/coordtui/events", only(http.MethodGet, h.serveEvents))
	h.mux.HandleFunc("/coordtui/faults", only(http.MethodGet, h.serveFaultState))
	h.mux.HandleFunc("/coordtui/faults/{group}/{action}", only(http.MethodPost, h.serveFault))
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path+" (see /commands and the package documentation)")
	})
}

// only refuses every method but m (and HEAD along with GET) with a JSON
// error.
func only(m string, fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != m && !(m == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", m)
			writeError(w, http.StatusMethodNotAllowed, r.Method+" not allowed on "+r.URL.Path+"; use "+m)
			return
		}
		fn(w, r)
	}
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Close ends every event stream and waits for them to finish; a stream
// blocked writing to a client that reads nothing finishes when its write
// times out or the serving http.Server closes the connection. The handler
// answers other requests as before.
func (h *Handler) Close() {
	h.quit()
	h.streams.Wait()
}

// server is the member's client server now, or nil while it is down.
func (h *Handler) server() *cluster.Server {
	if h.cfg.Server != nil {
		return h.cfg.Server
	}
	return h.cfg.Ensemble.Server(h.cfg.Member)
}

// Server is the admin API listening on its own port.
type Server struct {
	*Handler
	l  net.Listener
	hs *http.Server
	wg sync.WaitGroup
}

// New builds the API for cfg and serves it on cfg.Addr until Close.
func New(cfg Config) (*Server, error) {
	h, err := NewHandler(cfg)
	if err != nil {
		return nil, err
	}
	addr, err := listenAddr(cfg.Addr)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	s := &Server{Handler: h, l: l, hs: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.hs.Serve(l)
	}()
	return s, nil
}

// listenAddr puts 127.0.0.1 where addr names no host.
func listenAddr(addr string) (string, error) {
	if addr == "" {
		return "127.0.0.1:0", nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("admin: address %q: %w", addr, err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// Addr is the address the API listens on.
func (s *Server) Addr() string { return s.l.Addr().String() }

// Close ends the event streams, stops listening and waits for requests in
// flight.
func (s *Server) Close() error {
	s.quit()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.hs.Shutdown(ctx)
	if err != nil {
		// A stream stuck writing to a client that reads nothing ends
		// when its connection does.
		err = s.hs.Close()
	}
	s.streams.Wait()
	s.wg.Wait()
	return err
}

func contains[T comparable](s []T, v T) bool { return slices.Contains(s, v) }
