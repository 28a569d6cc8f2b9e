package admin

import (
	"net/http"
	"slices"

	"coordtui/cluster"
)

// notServing is ZooKeeper's error for a command that needs a serving
// server, from a member in an election, cut off from a quorum, or down.
const notServing = "This ZooKeeper instance is not currently serving requests"

// command is one of ZooKeeper's AdminServer commands: its primary name,
// the names it also answers to (the four-letter word among them), whether
// it needs a serving member (ZooKeeper's isServerRequired), and what it
// puts in the response. run returns an error text, or "".
type command struct {
	name    string
	aliases []string
	serving bool
	run     func(h *Handler, s *cluster.Server, resp *object) string
}

// commands are ZooKeeper 3.8's AdminServer commands that coordtui can
// answer truthfully, by primary name.
var commands = []command{
	{"configuration", []string{"conf", "config"}, true, plain(configuration)},
	{"connection_stat_reset", []string{"crst"}, true, func(_ *Handler, s *cluster.Server, _ *object) string { s.ResetConnectionStats(); return "" }},
	{"connections", []string{"cons"}, true, plain(connections)},
	{"dirs", nil, true, plain(dirs)},
	{"dump", nil, true, plain(dump)},
	{"environment", []string{"env", "envi"}, false, plain(environment)},
	{"get_trace_mask", []string{"gtmk"}, false, plain(traceMask)},
	{"hash", nil, true, plain(digests)},
	{"is_read_only", []string{"isro"}, true, func(_ *Handler, _ *cluster.Server, resp *object) string { resp.put("read_only", false); return "" }},
	{"leader", []string{"lead"}, true, plain(leader)},
	{"monitor", []string{"mntr"}, false, plain(monitor)},
	{"ruok", nil, true, func(*Handler, *cluster.Server, *object) string { return "" }},
	{"server_stats", []string{"srvr"}, true, func(_ *Handler, s *cluster.Server, resp *object) string { serverStats(s, resp); return "" }},
	{"stat_reset", []string{"srst"}, true, func(_ *Handler, s *cluster.Server, _ *object) string { s.ResetStats(); return "" }},
	{"stats", []string{"stat"}, true, plain(stats)},
	{"voting_view", nil, true, (*Handler).votingView},
	{"watch_summary", []string{"wchs"}, true, plain(watchSummary)},
	{"watches", []string{"wchc"}, true, plain(watches)},
	{"watches_by_path", []string{"wchp"}, true, plain(watchesByPath)},
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name || slices.Contains(commands[i].aliases, name) {
			return &commands[i]
		}
	}
	return nil
}

// serveIndex lists the commands. ZooKeeper answers /commands with HTML
// links; coordtui answers JSON, which is what its own client reads.
func (h *Handler) serveIndex(w http.ResponseWriter, _ *http.Request) {
	list := make([]object, len(commands))
	for i, c := range commands {
		list[i] = object{{"name", c.name}, {"aliases", nonNil(c.aliases)}, {"path", "/commands/" + c.name},
			{"needs_serving", c.serving}}
	}
	writeJSON(w, http.StatusOK, object{{"commands", list}})
}

// serveCommand runs a command as ZooKeeper 3.8's AdminServer does: always
// status 200, the outcome in "error" (null on success), the primary name in
// "command".
func (h *Handler) serveCommand(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	cmd := lookup(name)
	if cmd == nil {
		writeJSON(w, http.StatusOK, object{{"command", name}, {"error", "Unknown command: " + name}})
		return
	}
	var resp object
	errText := notServing
	if s := h.server(); s != nil {
		if _, serving := s.Mode(); serving || !cmd.serving {
			errText = cmd.run(h, s, &resp)
		}
	}
	resp.put("command", cmd.name)
	if errText != "" {
		resp.put("error", errText)
	} else {
		resp.put("error", nil)
	}
	writeJSON(w, http.StatusOK, resp)
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// plain adapts a command that needs only the member's server.
func plain(fn func(*cluster.Server, *object) string) func(*Handler, *cluster.Server, *object) string {
	return func(_ *Handler, s *cluster.Server, resp *object) string { return fn(s, resp) }
}
