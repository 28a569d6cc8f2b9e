package zkcli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"coordtui/cluster/zk"
)

type createdResult struct {
	Created string `json:"created"`
}

func (r *createdResult) text(_, errw io.Writer) { fmt.Fprintln(errw, "Created "+r.Created) }

func runCreate(s *Shell, ctx context.Context, c *cmdline, errw io.Writer) (result, error) {
	e, seq, ctr, hasTTL := c.has('e'), c.has('s'), c.has('c'), c.has('t')
	if ctr && (e || seq) {
		return nil, malformed("-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.")
	}
	var ttl int64
	if hasTTL {
		v, err := strconv.ParseInt(c.value('t'), 10, 64)
		if err != nil {
			return nil, malformed("-t argument must be a long value")
		}
		ttl = v
	}
	if hasTTL && e {
		return nil, malformed("TTLs cannot be used with Ephemeral znodes")
	}
	if hasTTL && ctr {
		return nil, malformed("TTLs cannot be used with Container znodes")
	}
	var mode zk.CreateMode
	switch {
	case e && seq:
		mode = zk.ModeEphemeralSequential
	case e:
		mode = zk.ModeEphemeral
	case seq && hasTTL:
		mode = zk.ModePersistentSequentialWithTTL
	case seq:
		mode = zk.ModePersistentSequential
	case ctr:
		mode = zk.ModeContainer
	case hasTTL:
		mode = zk.ModePersistentWithTTL
	}
	if hasTTL && (ttl <= 0 || ttl > zk.MaxTTL) {
		return nil, malformed(fmt.Sprintf("ttl must be positive and cannot be larger than: %d", int64(zk.MaxTTL)))
	}
	path := c.args[1]
	check := path
	if mode.IsSequential() {
		check += "1" // the server appends the suffix; the Java client validates path+"1"
	}
	if err := validatePath(check); err != nil {
		return nil, err
	}
	var data []byte
	if len(c.args) > 2 {
		data = []byte(c.args[2])
	}
	acl := zk.WorldACL(zk.PermAll)
	if len(c.args) > 3 {
		acl = parseACL(c.args[3], errw)
	}
	if len(acl) == 0 {
		// The Java client refuses an empty ACL itself, with no path.
		fmt.Fprintln(errw, keeperMessage(zk.ErrInvalidACL, ""))
		return nil, keeperError(zk.ErrInvalidACL, "null")
	}
	cl := s.Client()
	var (
		created string
		err     error
	)
	switch {
	case hasTTL:
		created, _, err = cl.CreateTTL(ctx, path, data, acl, mode, time.Duration(ttl)*time.Millisecond)
	default:
		created, err = cl.Create(ctx, path, data, acl, mode)
	}
	if err != nil {
		if codeOf(err) == zk.ErrInvalidACL {
			fmt.Fprintln(errw, keeperMessage(zk.ErrInvalidACL, path))
		}
		return nil, keeperError(err, path)
	}
	return &createdResult{Created: created}, nil
}

type setResult struct {
	Path     string    `json:"path"`
	Stat     *StatJSON `json:"stat"`
	showStat bool
}

func (r *setResult) text(out, _ io.Writer) {
	if r.showStat {
		st := r.Stat.stat()
		writeStat(out, &st)
	}
}

func runSet(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	path, data := c.args[1], []byte(c.args[2])
	version, err := c.intOption('v', -1)
	if err != nil {
		return nil, err
	}
	if err := validatePath(path); err != nil {
		return nil, err
	}
	st, err := s.Client().Set(ctx, path, data, version)
	if err != nil {
		return nil, keeperError(err, path)
	}
	return &setResult{Path: path, Stat: statJSON(st), showStat: c.has('s')}, nil
}

func runDelete(s *Shell, ctx context.Context, c *cmdline, errw io.Writer) (result, error) {
	path := c.args[1]
	version, err := c.intOption('v', -1)
	if err != nil {
		return nil, err
	}
	if len(c.args) > 2 {
		fmt.Fprintln(errw, "'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.")
		if v, err := strconv.ParseInt(c.args[2], 10, 32); err == nil && !c.has('v') {
			version = int32(v)
		}
	}
	if err := validatePath(path); err != nil {
		return nil, err
	}
	if err := s.Client().Delete(ctx, path, version); err != nil {
		return nil, keeperError(err, path)
	}
	return silent{"deleted": path}, nil
}

func runSetACL(s *Shell, ctx context.Context, c *cmdline, errw io.Writer) (result, error) {
	path := c.args[1]
	acl := parseACL(c.args[2], errw)
	version, err := c.intOption('v', -1)
	if err != nil {
		return nil, err
	}
	if err := validatePath(path); err != nil {
		return nil, err
	}
	if len(acl) == 0 {
		return nil, keeperError(zk.ErrInvalidACL, "null")
	}
	cl := s.Client()
	if c.has('R') {
		var failed lines
		_, err := s.walk(ctx, path, false, func(p string) {
			if _, err := cl.SetACL(ctx, p, acl, version); err != nil {
				failed = append(failed, keeperMessage(codeOf(err), p))
			}
		})
		if err != nil {
			return nil, keeperError(err, path)
		}
		return failed, nil
	}
	st, err := cl.SetACL(ctx, path, acl, version)
	if err != nil {
		return nil, keeperError(err, path)
	}
	return &setResult{Path: path, Stat: statJSON(st), showStat: c.has('s')}, nil
}

func runAddAuth(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	var auth []byte
	if len(c.args) > 2 {
		auth = []byte(c.args[2])
	}
	if err := s.Client().AddAuth(ctx, c.args[1], auth); err != nil {
		return nil, keeperError(err, "")
	}
	return silent{"scheme": c.args[1]}, nil
}

// confirmPath asks before a command changes the node named by its first
// word.
func confirmPath(verb string) func(*Shell, context.Context, *cmdline) (string, error) {
	return func(_ *Shell, _ context.Context, c *cmdline) (string, error) {
		return verb + " " + c.args[1], nil
	}
}

func init() {
	register(
		&command{name: "create", usage: "[-s] [-e] [-c] [-t ttl] path [data] [acl]",
			opts: optSpec{'e': false, 's': false, 'c': false, 't': true}, minArgs: 2, run: runCreate},
		&command{name: "set", usage: "[-s] [-v version] path data", opts: optSpec{'s': false, 'v': true},
			minArgs: 3, run: runSet, confirm: confirmPath("set")},
		&command{name: "delete", usage: "[-v version] path", opts: optSpec{'v': true},
			minArgs: 2, run: runDelete, confirm: confirmPath("delete")},
		&command{name: "setAcl", usage: "[-s] [-v version] [-R] path acl", opts: optSpec{'s': false, 'v': true, 'R': false},
			minArgs: 3, run: runSetACL, confirm: confirmPath("setAcl")},
		&command{name: "addauth", usage: "scheme auth", minArgs: 2, run: runAddAuth},
	)
}
