// Package bench is `coordtui bench`: a load generator for any
// ZooKeeper-protocol ensemble (coordtui or Apache ZooKeeper), driven by
// coordtui's own client so both are measured through the same code path
// (BENCHMARKS.md). It measures closed-loop throughput and latency of create,
// setData, getData and a read/write mix, the time to notify many sessions
// watching one znode, and the memory a member spends per znode.
//
// It imports only cluster/zk. It asserts nothing about speed: numbers are
// reported, never judged.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"coordtui/cluster/zk"
)

// Config describes one benchmark run. Zero fields take the defaults shown.
type Config struct {
	Servers   string        // connection string of the ensemble under test
	Clients   int           // sessions, spread round-robin over the servers (32)
	Duration  time.Duration // measured time per workload (10 s)
	Warmup    time.Duration // time run first and discarded (5 s)
	Size      int           // data bytes per write (100)
	Workloads []string      // create, set, get, mix, watch, memory (all but memory)
	Znodes    int           // memory: znodes loaded (100,000)
	ZnodeSize int           // memory: data bytes per znode (256)
	PIDs      []int         // memory: local server processes whose /proc to read
	Root      string        // the benchmark's own subtree ("/coordtui-bench"), deleted before and after
	Log       io.Writer     // progress lines; nil for none
}

func (c *Config) defaults() {
	if c.Clients <= 0 {
		c.Clients = 32
	}
	if c.Duration <= 0 {
		c.Duration = 10 * time.Second
	}
	if c.Warmup < 0 {
		c.Warmup = 0
	}
	if c.Size < 0 {
		c.Size = 0
	}
	if len(c.Workloads) == 0 {
		c.Workloads = []string{"create", "set", "get", "mix", "watch"}
	}
	if c.Znodes <= 0 {
		c.Znodes = 100000
	}
	if c.ZnodeSize <= 0 {
		c.ZnodeSize = 256
	}
	if c.Root == "" {
		c.Root = "/coordtui-bench"
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
}

// Report is the outcome of one run against one ensemble.
type Report struct {
	Servers  string    `json:"servers"`
	Version  string    `json:"version"` // srvr's version line from the first server
	Clients  int       `json:"clients"`
	Duration float64   `json:"duration_s"`
	Warmup   float64   `json:"warmup_s"`
	Size     int       `json:"size"`
	Started  time.Time `json:"started"`
	Host     Host      `json:"host"`
	Results  []Result  `json:"results"`
}

// Host records the machine the run shared with the servers (BENCHMARKS.md
// b.1: results are only comparable on an idle box).
type Host struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Kernel     string `json:"kernel,omitempty"`
	LoadAvg    string `json:"loadavg,omitempty"` // 1, 5 and 15 minutes, at the start
	Go         string `json:"go"`
}

// Result is one workload's figures.
type Result struct {
	Workload string           `json:"workload"`
	Series   []Series         `json:"series"`
	Errors   map[string]int64 `json:"errors,omitempty"`
	Memory   []MemSample      `json:"memory,omitempty"`
	Notes    []string         `json:"notes,omitempty"`
}

// bench is one run in progress.
type bench struct {
	cfg     Config
	hosts   []string
	chroot  string
	admin   *zk.Client   // set-up, clean-up and the watch workload's writer
	clients []*zk.Client // the measured sessions
	data    []byte
}

// Run benchmarks cfg.Servers with each workload in turn and returns the
// figures. It works only under cfg.Root, which it deletes first and last.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg.defaults()
	hosts, chroot, err := zk.ParseConnString(cfg.Servers)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Workloads {
		if !known(w) {
			return nil, fmt.Errorf("unknown workload %q (want create, set, get, mix, watch or memory)", w)
		}
	}
	rep := &Report{Servers: cfg.Servers, Clients: cfg.Clients, Duration: cfg.Duration.Seconds(),
		Warmup: cfg.Warmup.Seconds(), Size: cfg.Size, Started: time.Now().UTC(), Host: host(),
		Version: srvrVersion(ctx, hosts[0])}
	b := &bench{cfg: cfg, hosts: hosts, chroot: chroot, data: make([]byte, cfg.Size)}
	for i := range b.data {
		b.data[i] = 'a' + byte(i%26)
	}
	if b.admin, err = zk.Connect(ctx, cfg.Servers, zk.WithSessionTimeout(30*time.Second)); err != nil {
		return nil, err
	}
	defer b.admin.Close()
	if err := b.deleteTree(ctx, cfg.Root); err != nil {
		return nil, fmt.Errorf("clearing %s: %w", cfg.Root, err)
	}
	if err := b.mkdir(ctx, cfg.Root); err != nil {
		return nil, err
	}
	defer b.deleteTree(context.WithoutCancel(ctx), cfg.Root)
	if err := b.dial(ctx); err != nil {
		return nil, err
	}
	defer b.hangUp()
	for _, w := range cfg.Workloads {
		fmt.Fprintf(cfg.Log, "bench: %s against %s (%d clients, %v warm-up, %v measured)\n",
			w, cfg.Servers, cfg.Clients, cfg.Warmup, cfg.Duration)
		var r Result
		switch w {
		case "watch":
			r, err = b.watch(ctx)
		case "memory":
			r, err = b.memory(ctx)
		default:
			r, err = b.loop(ctx, w)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", w, err)
		}
		rep.Results = append(rep.Results, r)
	}
	return rep, nil
}

func known(w string) bool {
	switch w {
	case "create", "set", "get", "mix", "watch", "memory":
		return true
	}
	return false
}

// dial opens the measured sessions, client i on server i mod n, so load is
// spread evenly and each session stays on its server.
func (b *bench) dial(ctx context.Context) error {
	b.clients = make([]*zk.Client, b.cfg.Clients)
	errs := make([]error, b.cfg.Clients)
	var wg sync.WaitGroup
	for i := range b.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := b.hosts[i%len(b.hosts)] + b.chroot
			b.clients[i], errs[i] = zk.Connect(ctx, addr, zk.WithSessionTimeout(30*time.Second))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.hangUp()
			return err
		}
	}
	return nil
}

// syncAll makes every measured session's server catch up with the leader,
// so what the admin session just created is visible to all of them: each
// member serves reads from its own copy (ZooKeeper's sequential
// consistency).
func (b *bench) syncAll(ctx context.Context, path string) error {
	errs := make([]error, len(b.clients))
	var wg sync.WaitGroup
	for i, c := range b.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Sync(ctx, path)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (b *bench) hangUp() {
	for _, c := range b.clients {
		if c != nil {
			c.Close()
		}
	}
}

// srvrVersion is the first line of srvr, which names the server's kind.
func srvrVersion(ctx context.Context, addr string) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ans, err := zk.FourLetter(ctx, addr, "srvr")
	if err != nil {
		return "unknown (srvr: " + err.Error() + ")"
	}
	first, _, _ := strings.Cut(strings.TrimSpace(ans), "\n")
	return first
}

func host() Host {
	h := Host{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		h.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			h.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	return h
}
