package cluster

import (
	"cmp"
	"slices"

	"coordtui/tree"
)

// PathSessions is one path and the sessions that watch it, ascending.
type PathSessions struct {
	Path     string
	Sessions []int64
}

// SessionPaths is one session and paths it watches or owns, in order.
type SessionPaths struct {
	Session int64
	Paths   []string
}

// WatchSummary is ZooKeeper's wchs: how many connections watch how many
// paths, and the (connection, path) pairs in all.
type WatchSummary struct {
	Connections, Paths, Watches int
}

// WatchInfo is one (session, path) pair with every kind of watch its
// connection holds there, from both of ZooKeeper's watch managers.
type WatchInfo struct {
	Session int64
	Conn    uint64
	Path    string
	Kinds   []tree.WatchKind
}

// WatchesByPath lists, by path, the sessions watching each path in the data
// watch manager, which is what ZooKeeper's wchp reports (child watches are
// not listed there).
func (s *Server) WatchesByPath() []PathSessions {
	s.watchMu.Lock()
	byPath := s.watches.ByPath()
	s.watchMu.Unlock()
	sess := s.sessionsOf()
	out := make([]PathSessions, 0, len(byPath))
	for _, path := range sortedKeys(byPath) {
		p := PathSessions{Path: path}
		for _, w := range byPath[path] {
			if id, ok := sess[w]; ok {
				p.Sessions = append(p.Sessions, id)
			}
		}
		slices.Sort(p.Sessions)
		if p.Sessions = slices.Compact(p.Sessions); len(p.Sessions) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// WatchesBySession lists, by session, the paths each session watches in
// the data watch manager, which is what ZooKeeper's wchc reports.
func (s *Server) WatchesBySession() []SessionPaths {
	s.watchMu.Lock()
	byWatcher := s.watches.ByWatcher()
	s.watchMu.Unlock()
	sess := s.sessionsOf()
	merged := map[int64][]string{}
	for w, paths := range byWatcher {
		if id, ok := sess[w]; ok {
			merged[id] = append(merged[id], paths...)
		}
	}
	out := make([]SessionPaths, 0, len(merged))
	for _, id := range sortedKeys(merged) {
		paths := merged[id]
		slices.Sort(paths)
		out = append(out, SessionPaths{Session: id, Paths: slices.Compact(paths)})
	}
	return out
}

// WatchSummary is wchs: counted over the data watch manager, as ZooKeeper
// counts it.
func (s *Server) WatchSummary() WatchSummary {
	s.watchMu.Lock()
	byPath := s.watches.ByPath()
	s.watchMu.Unlock()
	watchers := map[tree.WatcherID]bool{}
	var sum WatchSummary
	for _, ws := range byPath {
		sum.Watches += len(ws)
		for _, w := range ws {
			watchers[w] = true
		}
	}
	sum.Paths, sum.Connections = len(byPath), len(watchers)
	return sum
}

// Watches lists every watch on this member, both managers, by session and
// path: the full picture for the console, beyond what the four-letter
// words show.
func (s *Server) Watches() []WatchInfo {
	s.watchMu.Lock()
	entries := s.watches.Entries()
	s.watchMu.Unlock()
	sess := s.sessionsOf()
	out := make([]WatchInfo, 0, len(entries))
	for _, e := range entries {
		if id, ok := sess[e.Watcher]; ok {
			out = append(out, WatchInfo{Session: id, Conn: uint64(e.Watcher), Path: e.Path, Kinds: e.Kinds})
		}
	}
	slices.SortFunc(out, func(a, b WatchInfo) int {
		return cmp.Or(cmp.Compare(a.Session, b.Session), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Conn, b.Conn))
	})
	return out
}

// EphemeralsBySession lists, by session, the ephemeral nodes each session
// owns; sessions that own none are left out, as ZooKeeper's dump leaves
// them out.
func (s *Server) EphemeralsBySession() []SessionPaths {
	var out []SessionPaths
	s.n.View(func(t *tree.Tree) {
		for _, ss := range t.Sessions() {
			if ss.Ephemerals > 0 {
				out = append(out, SessionPaths{Session: ss.ID, Paths: t.Ephemerals(ss.ID, "/")})
			}
		}
	})
	return out
}

// sessionsOf maps each connection that completed its handshake to its
// session.
func (s *Server) sessionsOf() map[tree.WatcherID]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[tree.WatcherID]int64, len(s.conns))
	for id, c := range s.conns {
		if sid := c.stats.session.Load(); sid != 0 {
			m[id] = sid
		}
	}
	return m
}
