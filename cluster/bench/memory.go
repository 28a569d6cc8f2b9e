package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"coordtui/cluster/zk"
)

// memParents spreads the loaded znodes over this many parents (BENCHMARKS.md
// W9: 16-character names under 100 parents).
const memParents = 100

// MemSample is one memory figure before and after loading the znodes.
type MemSample struct {
	Source   string  `json:"source"` // "127.0.0.1:2181 mntr" or "pid 1234"
	Key      string  `json:"key"`    // zk_approximate_data_size, VmRSS, ...
	Before   float64 `json:"before"`
	After    float64 `json:"after"`
	Delta    float64 `json:"delta"`
	PerZnode float64 `json:"per_znode"`
}

// memKeys are the mntr values worth comparing: the tree's own size, and
// any memory figure a server chooses to report.
func memKey(k string) bool {
	switch k {
	case "zk_znode_count", "zk_approximate_data_size":
		return true
	}
	k = strings.ToLower(k)
	return strings.Contains(k, "heap") || strings.Contains(k, "rss") || strings.Contains(k, "memory")
}

// memory loads cfg.Znodes znodes of cfg.ZnodeSize bytes and reports what
// each member spent on them: mntr's figures from every server, and RSS from
// /proc for the local pids given.
func (b *bench) memory(ctx context.Context) (Result, error) {
	res := Result{Workload: "memory"}
	dir := join(b.cfg.Root, "memory")
	for p := 0; p < memParents; p++ {
		if err := b.mkdir(ctx, join(dir, fmt.Sprintf("p%02d", p))); err != nil {
			return res, err
		}
	}
	defer b.deleteTree(context.WithoutCancel(ctx), dir)
	// Each member is measured once it has applied everything so far.
	if err := b.syncAll(ctx, dir); err != nil {
		return res, err
	}
	before, notes := b.sampleMemory(ctx)
	res.Notes = append(res.Notes, notes...)

	data := make([]byte, b.cfg.ZnodeSize)
	for i := range data {
		data[i] = 'm'
	}
	var next atomic.Int64
	h := NewHistogram()
	var mu sync.Mutex
	errs := map[string]int64{}
	start := time.Now()
	var wg sync.WaitGroup
	for _, c := range b.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := NewHistogram()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(b.cfg.Znodes) {
					break
				}
				path := join(join(dir, fmt.Sprintf("p%02d", i%memParents)), fmt.Sprintf("znode-%010d", i))
				rctx, cancel := context.WithTimeout(ctx, opTimeout)
				t0 := time.Now()
				_, err := c.Create(rctx, path, data, zk.WorldACL(zk.PermAll), zk.ModePersistent)
				cancel()
				if err != nil {
					mu.Lock()
					errs[err.Error()]++
					mu.Unlock()
					continue
				}
				mine.Record(time.Since(t0))
			}
			mu.Lock()
			h.Merge(mine)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Series = append(res.Series, series("create (load)", h, time.Since(start)))
	if len(errs) > 0 {
		res.Errors = errs
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if err := b.syncAll(ctx, dir); err != nil {
		return res, err
	}
	after, _ := b.sampleMemory(ctx)
	loaded := float64(h.Count())
	for k, a := range after {
		s := MemSample{Source: k.source, Key: k.key, After: a, Before: before[k]}
		s.Delta = s.After - s.Before
		if loaded > 0 {
			s.PerZnode = s.Delta / loaded
		}
		res.Memory = append(res.Memory, s)
	}
	sortSamples(res.Memory)
	return res, nil
}

type memID struct{ source, key string }

// sampleMemory reads mntr from every server and /proc of every pid.
func (b *bench) sampleMemory(ctx context.Context) (map[memID]float64, []string) {
	out := map[memID]float64{}
	var notes []string
	for _, addr := range b.hosts {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		text, err := zk.FourLetter(c, addr, "mntr")
		cancel()
		var kv map[string]string
		if err == nil {
			kv, err = zk.ParseMntr(text)
		}
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: no mntr (%v); allow it with the 4lw whitelist", addr, err))
			continue
		}
		for k, v := range kv {
			if f, err := strconv.ParseFloat(v, 64); err == nil && memKey(k) {
				out[memID{addr + " mntr", k}] = f
			}
		}
	}
	for _, pid := range b.cfg.PIDs {
		kv, err := procStatus(pid)
		if err != nil {
			notes = append(notes, fmt.Sprintf("pid %d: %v", pid, err))
			continue
		}
		for k, v := range kv {
			out[memID{fmt.Sprintf("pid %d", pid), k}] = v
		}
	}
	return out, notes
}

// procStatus reads VmRSS and VmHWM, in bytes, from /proc/<pid>/status.
func procStatus(pid int) (map[string]float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 2 && fields[1] == "kB" {
			if n, err := strconv.ParseFloat(fields[0], 64); err == nil {
				out[k] = n * 1024
			}
		}
	}
	return out, sc.Err()
}
