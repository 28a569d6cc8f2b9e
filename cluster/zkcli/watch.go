package zkcli

import (
	"context"
	"encoding/json"
	"io"
	"strings"

	"coordtui/cluster/zk"
)

// WatchedEvent formats an event as zkCli's default watcher prints it:
// "\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeCreated path:/a"
// (no final newline), or one JSON object {"watcher":{...}} when asJSON.
func WatchedEvent(state zk.KeeperState, typ zk.EventType, path string, asJSON bool) string {
	if asJSON {
		b, _ := json.Marshal(map[string]any{"watcher": map[string]any{
			"state": state.String(), "type": typ.String(), "path": path}})
		return string(b)
	}
	if path == "" {
		path = "null"
	}
	return "\nWATCHER::\n\nWatchedEvent state:" + state.String() + " type:" + typ.String() + " path:" + path
}

// onState is the client's state callback: zkCli's watcher prints every
// connection change as an event of type None.
func (s *Shell) onState(ev zk.StateEvent) {
	var ks zk.KeeperState
	switch ev.State {
	case zk.StateConnected:
		ks = zk.KeeperSyncConnected
	case zk.StateConnectedReadOnly:
		ks = zk.KeeperConnectedReadOnly
	case zk.StateSuspended:
		ks = zk.KeeperDisconnected
	case zk.StateExpired:
		ks = zk.KeeperExpired
	case zk.StateClosed:
		ks = zk.KeeperClosed
	default:
		return
	}
	s.notify(WatchedEvent(ks, zk.EventNone, "", s.json.Load()))
}

// watchEvent prints a watch event unless it only says the watch ended
// without firing (session closed or expired).
func (s *Shell) watchEvent(ev zk.WatchEvent) {
	if ev.Type == zk.EventNotWatching || ev.Type == zk.EventNone {
		return
	}
	s.notify(WatchedEvent(ev.State, ev.Type, ev.Path, s.json.Load()))
}

// watchOnce waits for a one-shot watch on its own goroutine, which ends when
// the watch fires or the session ends (the client then closes ch).
func (s *Shell) watchOnce(ch <-chan zk.WatchEvent) {
	if ch == nil {
		return
	}
	s.watchers.Add(1)
	go func() {
		defer s.watchers.Done()
		for ev := range ch {
			s.watchEvent(ev)
		}
	}()
}

var addWatchModes = map[string]zk.AddWatchMode{
	"PERSISTENT": zk.AddWatchPersistent, "PERSISTENT_RECURSIVE": zk.AddWatchPersistentRecursive,
}

const addWatchUsage = "[-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE"

func runAddWatch(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	if len(c.args) != 2 {
		return nil, parseError("addWatch " + addWatchUsage)
	}
	mode := zk.AddWatchPersistentRecursive
	if c.has('m') {
		m, ok := addWatchModes[strings.ToUpper(c.value('m'))]
		if !ok {
			return nil, parseError("addWatch " + addWatchUsage)
		}
		mode = m
	}
	path := c.args[1]
	if err := validatePath(path); err != nil {
		return nil, err
	}
	if err := s.Client().AddWatch(ctx, path, mode, s.watchEvent); err != nil {
		return nil, keeperError(err, path)
	}
	return silent{"path": path, "watch": mode.String()}, nil
}

func runRemoveWatches(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	path := c.args[1]
	t := zk.WatcherAny
	switch {
	case c.has('c'):
		t = zk.WatcherChildren
	case c.has('d'):
		t = zk.WatcherData
	}
	if err := validatePath(path); err != nil {
		return nil, err
	}
	// -l (remove locally without a server) is accepted; this client always
	// asks the server, which is what zkCli does too while connected.
	if err := s.Client().RemoveWatches(ctx, path, t); err != nil {
		return nil, keeperError(err, path)
	}
	return silent{"path": path, "removed": t.String()}, nil
}

func init() {
	register(
		&command{name: "addWatch", usage: addWatchUsage, opts: optSpec{'m': true}, minArgs: 2, run: runAddWatch},
		&command{name: "removewatches", usage: "path [-c|-d|-a] [-l]", opts: optSpec{'c': false, 'd': false, 'a': false, 'l': false},
			minArgs: 2, run: runRemoveWatches},
	)
}
