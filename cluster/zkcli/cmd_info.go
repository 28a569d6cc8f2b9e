package zkcli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"coordtui/cluster/zk"
)

type configResult struct {
	Config   string    `json:"config"`
	Clients  string    `json:"clients,omitempty"`
	Stat     *StatJSON `json:"stat"`
	data     []byte
	showStat bool
}

func (r *configResult) text(out, _ io.Writer) {
	if r.Clients != "" {
		fmt.Fprintln(out, r.Clients)
	} else {
		fmt.Fprintln(out, javaString(r.data))
	}
	if r.showStat {
		st := r.Stat.stat()
		writeStat(out, &st)
	}
}

const configPath = "/zookeeper/config"

func runConfig(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	data, st, err := s.getData(ctx, configPath, c.has('w'))
	if err != nil {
		return nil, keeperError(err, configPath)
	}
	r := &configResult{Config: string(data), Stat: statJSON(st), data: data, showStat: c.has('s')}
	if c.has('c') {
		r.Clients = clientConfig(string(data))
	}
	return r, nil
}

// clientConfig is ConfigUtils.getClientConfigStr: the config's version and
// the client addresses of its server lines ("100000000 127.0.0.1:2181,...").
func clientConfig(config string) string {
	var version string
	var hosts []string
	for _, line := range strings.Split(config, "\n") {
		key, value, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		switch {
		case key == "version":
			version = value
		case strings.HasPrefix(key, "server."):
			if _, client, ok := strings.Cut(value, ";"); ok {
				if _, _, hasPort := strings.Cut(client, ":"); !hasPort {
					client = "0.0.0.0:" + client
				}
				hosts = append(hosts, client)
			}
		}
	}
	return version + " " + strings.Join(hosts, ",")
}

type whoamiResult struct {
	Identities []identity `json:"identities"`
}

type identity struct {
	Scheme string `json:"scheme"`
	User   string `json:"user"`
}

func (r *whoamiResult) text(out, _ io.Writer) {
	fmt.Fprintln(out, "Auth scheme: User")
	for _, id := range r.Identities {
		fmt.Fprintf(out, "%s: %s\n", id.Scheme, id.User)
	}
}

func runWhoAmI(s *Shell, ctx context.Context, _ *cmdline, _ io.Writer) (result, error) {
	infos, err := s.Client().WhoAmI(ctx)
	if err != nil {
		return nil, keeperError(err, "")
	}
	r := &whoamiResult{Identities: []identity{}}
	for _, i := range infos {
		r.Identities = append(r.Identities, identity{Scheme: i.AuthScheme, User: i.User})
	}
	return r, nil
}

type syncResult struct {
	Path string `json:"path"`
	OK   bool   `json:"ok"`
	RC   int32  `json:"rc"`
}

func (r *syncResult) text(out, _ io.Writer) {
	if r.OK {
		fmt.Fprintln(out, "Sync is OK")
	} else {
		fmt.Fprintln(out, "Sync has failed. rc="+strconv.Itoa(int(r.RC)))
	}
}

func runSync(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	path := c.args[1]
	if err := validatePath(path); err != nil {
		return nil, err
	}
	_, err := s.Client().Sync(ctx, path)
	return &syncResult{Path: path, OK: err == nil, RC: int32(codeOfNil(err))}, nil
}

func codeOfNil(err error) zk.Code {
	if err == nil {
		return zk.OK
	}
	return codeOf(err)
}

func init() {
	register(
		&command{name: "config", usage: "[-c] [-w] [-s]", opts: optSpec{'c': false, 'w': false, 's': false}, minArgs: 1, run: runConfig},
		&command{name: "whoami", usage: "", minArgs: 1, run: runWhoAmI},
		&command{name: "sync", usage: "path", minArgs: 2, run: runSync},
	)
}
