package zkcli

import (
	"context"
	"fmt"
	"io"
	"sort"

	"coordtui/cluster/zk"
)

type lsResult struct {
	Path     string    `json:"path"`
	Children []string  `json:"children"`
	Stat     *StatJSON `json:"stat,omitempty"`
}

func (r *lsResult) text(out, _ io.Writer) {
	fmt.Fprintln(out, javaList(r.Children))
	if r.Stat != nil {
		st := r.Stat.stat()
		writeStat(out, &st)
	}
}

type pathsResult struct {
	Path  string   `json:"path"`
	Paths []string `json:"paths"`
}

func (r *pathsResult) text(out, _ io.Writer) {
	for _, p := range r.Paths {
		fmt.Fprintln(out, p)
	}
}

// deprecatedWatch handles zkCli's old "cmd path watch" form: a third word
// turns the watch on, with a warning.
func deprecatedWatch(c *cmdline, errw io.Writer, old, now string) bool {
	if len(c.args) > 2 {
		fmt.Fprintf(errw, "'%s' has been deprecated. Please use '%s' instead.\n", old, now)
		return true
	}
	return c.has('w')
}

func runLs(s *Shell, ctx context.Context, c *cmdline, errw io.Writer) (result, error) {
	path := c.args[1]
	watch := deprecatedWatch(c, errw, "ls path [watch]", "ls [-w] path")
	if err := validatePath(path); err != nil {
		return nil, err
	}
	cl := s.Client()
	if c.has('R') {
		paths, err := s.walk(ctx, path, watch, nil)
		if err != nil {
			return nil, keeperError(err, path)
		}
		return &pathsResult{Path: path, Paths: paths}, nil
	}
	var (
		kids []string
		st   *zk.Stat
		err  error
	)
	switch {
	case watch:
		var ch <-chan zk.WatchEvent
		kids, st, ch, err = cl.ChildrenW(ctx, path)
		s.watchOnce(ch)
	case c.has('s'):
		kids, st, err = cl.Children2(ctx, path)
	default:
		kids, err = cl.Children(ctx, path)
	}
	if err != nil {
		return nil, keeperError(err, path)
	}
	sort.Strings(kids)
	r := &lsResult{Path: path, Children: append([]string{}, kids...)}
	if c.has('s') {
		r.Stat = statJSON(st)
	}
	return r, nil
}

type getResult struct {
	Path string `json:"path"`
	dataJSON
	Stat     *StatJSON `json:"stat"`
	showStat bool
}

func (r *getResult) text(out, _ io.Writer) {
	fmt.Fprintln(out, javaString(r.bytes()))
	if r.showStat {
		st := r.Stat.stat()
		writeStat(out, &st)
	}
}

func runGet(s *Shell, ctx context.Context, c *cmdline, errw io.Writer) (result, error) {
	path := c.args[1]
	watch := deprecatedWatch(c, errw, "get path [watch]", "get [-s] [-w] path")
	if err := validatePath(path); err != nil {
		return nil, err
	}
	data, st, err := s.getData(ctx, path, watch)
	if err != nil {
		return nil, keeperError(err, path)
	}
	return &getResult{Path: path, dataJSON: newDataJSON(data), Stat: statJSON(st), showStat: c.has('s')}, nil
}

func (s *Shell) getData(ctx context.Context, path string, watch bool) ([]byte, *zk.Stat, error) {
	if !watch {
		return s.Client().Get(ctx, path)
	}
	data, st, ch, err := s.Client().GetW(ctx, path)
	s.watchOnce(ch)
	return data, st, err
}

type statResult struct {
	Path string    `json:"path"`
	Stat *StatJSON `json:"stat"`
}

func (r *statResult) text(out, _ io.Writer) {
	st := r.Stat.stat()
	writeStat(out, &st)
}

func runStat(s *Shell, ctx context.Context, c *cmdline, errw io.Writer) (result, error) {
	path := c.args[1]
	watch := deprecatedWatch(c, errw, "stat path [watch]", "stat [-w] path")
	if err := validatePath(path); err != nil {
		return nil, err
	}
	var (
		st  *zk.Stat
		err error
	)
	if watch {
		var ch <-chan zk.WatchEvent
		st, ch, err = s.Client().ExistsW(ctx, path)
		s.watchOnce(ch)
	} else {
		st, err = s.Client().Exists(ctx, path)
	}
	if err == nil && st == nil {
		err = zk.ErrNoNode
	}
	if err != nil {
		return nil, keeperError(err, path)
	}
	return &statResult{Path: path, Stat: statJSON(st)}, nil
}

type aclResult struct {
	Path     string    `json:"path"`
	ACL      []ACLJSON `json:"acl"`
	Stat     *StatJSON `json:"stat"`
	acl      []zk.ACL
	showStat bool
}

func (r *aclResult) text(out, _ io.Writer) {
	for _, a := range r.acl {
		fmt.Fprintf(out, "%s: %s\n", idString(a.ID), permString(a.Perms))
	}
	if r.showStat {
		st := r.Stat.stat()
		writeStat(out, &st)
	}
}

func runGetACL(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	path := c.args[1]
	if err := validatePath(path); err != nil {
		return nil, err
	}
	acl, st, err := s.Client().GetACL(ctx, path)
	if err != nil {
		return nil, keeperError(err, path)
	}
	return &aclResult{Path: path, ACL: aclJSON(acl), Stat: statJSON(st), acl: acl, showStat: c.has('s')}, nil
}

type ephemeralsResult struct {
	Ephemerals []string `json:"ephemerals"`
}

func (r *ephemeralsResult) text(out, _ io.Writer) { fmt.Fprintln(out, javaList(r.Ephemerals)) }

func runGetEphemerals(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	prefix := "/"
	if len(c.args) > 1 {
		prefix = c.args[1]
		if err := validatePath(prefix); err != nil {
			return nil, err
		}
	}
	eph, err := s.Client().GetEphemerals(ctx, prefix)
	if err != nil {
		return nil, keeperError(err, prefix)
	}
	sort.Strings(eph)
	return &ephemeralsResult{Ephemerals: append([]string{}, eph...)}, nil
}

type countResult struct {
	Path  string `json:"path"`
	Count int    `json:"count"`
}

func (r *countResult) text(out, _ io.Writer) { fmt.Fprintln(out, r.Count) }

func runGetAllChildrenNumber(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	path := c.args[1]
	if err := validatePath(path); err != nil {
		return nil, err
	}
	n, err := s.Client().GetAllChildrenNumber(ctx, path)
	if err != nil {
		return nil, keeperError(err, path)
	}
	return &countResult{Path: path, Count: n}, nil
}

func init() {
	register(
		&command{name: "ls", usage: "[-s] [-w] [-R] path", opts: optSpec{'s': false, 'w': false, 'R': false, '?': false}, minArgs: 2, run: runLs},
		&command{name: "get", usage: "[-s] [-w] path", opts: optSpec{'s': false, 'w': false}, minArgs: 2, run: runGet},
		&command{name: "stat", usage: "[-w] path", opts: optSpec{'w': false}, minArgs: 2, run: runStat},
		&command{name: "getAcl", usage: "[-s] path", opts: optSpec{'s': false}, minArgs: 2, run: runGetACL},
		&command{name: "getEphemerals", usage: "path", minArgs: 1, run: runGetEphemerals},
		&command{name: "getAllChildrenNumber", usage: "path", minArgs: 2, run: runGetAllChildrenNumber},
	)
}
