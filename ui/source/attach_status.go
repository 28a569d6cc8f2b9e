package source

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"coordtui/cluster/zk"
	"coordtui/tree"
)

// statusEvery is how often the four-letter words are asked again: each
// is a TCP connection to every server, too many to open every frame.
const statusEvery = 2 * time.Second

// statusCache asks each server srvr, mntr and cons, remembers which words
// it refuses, and keeps the last answers for statusEvery.
type statusCache struct {
	hosts []string
	tls   bool

	mu       sync.Mutex
	at       time.Time
	members  []Member
	sessions []Session
	notes    []string
	refused  map[string]bool // "host word" refused by the whitelist
}

func newStatusCache(hosts []string, tls bool) *statusCache {
	return &statusCache{hosts: hosts, tls: tls, refused: map[string]bool{}}
}

func (c *statusCache) get(ctx context.Context) ([]Member, []Session, []string) {
	c.mu.Lock()
	if time.Since(c.at) < statusEvery && c.members != nil {
		defer c.mu.Unlock()
		return slices.Clone(c.members), slices.Clone(c.sessions), slices.Clone(c.notes)
	}
	c.mu.Unlock()

	members := make([]Member, len(c.hosts))
	sessions := make([][]Session, len(c.hosts))
	var wg sync.WaitGroup
	for i, h := range c.hosts {
		wg.Go(func() { members[i], sessions[i] = c.ask(ctx, i, h) })
	}
	wg.Wait()
	var all []Session
	for _, s := range sessions {
		all = append(all, s...)
	}
	slices.SortFunc(all, func(a, b Session) int { return compareInt64(a.ID, b.ID) })
	notes := c.refusedNotes()
	if c.tls {
		notes = append(notes, "four-letter words go over plain TCP; a TLS-only port may not answer them")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at, c.members, c.sessions, c.notes = time.Now(), members, all, notes
	return slices.Clone(members), slices.Clone(all), slices.Clone(notes)
}

// ask collects what host i is willing to tell.
func (c *statusCache) ask(ctx context.Context, i int, host string) (Member, []Session) {
	m := Member{ID: uint64(i + 1), Name: host, ClientAddr: host, Role: "unknown"}
	text, err := c.word(ctx, host, "srvr")
	if err != nil {
		m.Role, m.Note = "down", err.Error()
		return m, nil
	}
	m.Up = true
	if st, err := zk.ParseSrvr(text); err == nil {
		m.Role, m.Serving = st.Mode, true
		m.LastZxid = tree.Zxid(st.Zxid)
		m.Term = uint64(m.LastZxid.Epoch())
		m.Znodes, m.Connections = int(st.NodeCount), st.Connections
	} else if strings.Contains(text, "not currently serving") {
		m.Note = "not serving requests (no quorum?)"
	} else {
		m.Note = strings.TrimSpace(text)
	}
	if text, err := c.word(ctx, host, "mntr"); err == nil {
		if kv, err := zk.ParseMntr(text); err == nil {
			m.Watches, _ = strconv.Atoi(kv["zk_watch_count"])
			// The herd meter's counters, where the server reports them:
			// reads are the requests its read latency counts.
			m.Reads, _ = strconv.ParseUint(kv["zk_cnt_readlatency"], 10, 64)
			m.Requests, _ = strconv.ParseUint(kv["coordtui_requests"], 10, 64)
			m.Notifications, _ = strconv.ParseUint(kv["coordtui_watch_notifications"], 10, 64)
			if v, ok := kv["zk_server_state"]; ok && m.Role == "unknown" {
				m.Role = v
			}
		}
	}
	var sessions []Session
	if text, err := c.word(ctx, host, "cons"); err == nil {
		sessions = parseCons(text, host)
	}
	return m, sessions
}

// word asks one four-letter word unless host is known to refuse it.
func (c *statusCache) word(ctx context.Context, host, w string) (string, error) {
	c.mu.Lock()
	refused := c.refused[host+" "+w]
	c.mu.Unlock()
	if refused {
		return "", fmt.Errorf("%s not whitelisted", w)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	text, err := zk.FourLetter(ctx, host, w)
	if err != nil {
		return "", err
	}
	if strings.Contains(text, "not in the whitelist") || strings.Contains(text, "not executed because") {
		c.mu.Lock()
		c.refused[host+" "+w] = true
		c.mu.Unlock()
		return "", fmt.Errorf("%s not whitelisted", w)
	}
	return text, nil
}

// refusedNotes says which words which servers refuse, one line per word.
func (c *statusCache) refusedNotes() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	byWord := map[string][]string{}
	for k := range c.refused {
		host, w, _ := strings.Cut(k, " ")
		byWord[w] = append(byWord[w], host)
	}
	var notes []string
	for _, w := range []string{"srvr", "mntr", "cons"} {
		if hs := byWord[w]; len(hs) > 0 {
			slices.Sort(hs)
			notes = append(notes, fmt.Sprintf("%s not whitelisted on %s (4lw.commands.whitelist)", w, strings.Join(hs, ",")))
		}
	}
	return notes
}

// parseCons reads the sessions out of a cons answer, one connection per
// line: " /127.0.0.1:5123[1](queued=0,...,sid=0x100...,...,to=30000,...)".
// lresp is left alone: ZooKeeper prints it on its own monotonic clock, not
// as a wall time.
func parseCons(text, host string) []Session {
	var out []Session
	for _, line := range strings.Split(text, "\n") {
		open, close := strings.IndexByte(line, '('), strings.LastIndexByte(line, ')')
		if open < 0 || close < open {
			continue
		}
		var s Session
		for _, kv := range strings.Split(line[open+1:close], ",") {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "sid":
				id, err := strconv.ParseUint(strings.TrimPrefix(v, "0x"), 16, 64)
				if err == nil {
					s.ID = int64(id)
				}
			case "to":
				ms, _ := strconv.ParseInt(v, 10, 64)
				s.Timeout = time.Duration(ms) * time.Millisecond
			}
		}
		if s.ID != 0 {
			s.Member = host
			out = append(out, s)
		}
	}
	return out
}

func compareInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
