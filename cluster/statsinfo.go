package cluster

import (
	"io/fs"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"coordtui/tree"
)

// ZooKeeperVersion is the ZooKeeper release whose protocol and behaviour
// coordtui follows; it leads every version string coordtui reports, so
// tools that compare versions treat coordtui as that release.
const ZooKeeperVersion = "3.9.3"

// FullVersion is the version line ZooKeeper prints in srvr, mntr and envi,
// for coordtui version v: "3.9.3-coordtui-0.1.0, built on 11/22/2026 04:23
// GMT". The date keeps the "MM/dd/yyyy HH:mm GMT" shape of ZooKeeper 3.4 to
// 3.6, which older parsers (go-zookeeper's FLWSrvr among them) insist on,
// and v is reduced to the characters their version pattern accepts.
func FullVersion(v string) string {
	if v == "" {
		v = "dev"
	}
	clean := []byte(v)
	for i, c := range clean {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			clean[i] = '-'
		}
	}
	return ZooKeeperVersion + "-coordtui-" + string(clean) + ", built on " + buildTime().UTC().Format("01/02/2006 15:04") + " GMT"
}

// buildTime is the commit time the toolchain stamped into the binary, or
// failing that the executable's modification time, or failing both the
// time the process started.
var buildTime = sync.OnceValue(func() time.Time {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.time" {
				if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
					return t
				}
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			return fi.ModTime()
		}
	}
	return processStart
})

// Conf is a member's configuration as ZooKeeper's conf reports it.
// coordtui's one peer port carries both of ZooKeeper's quorum and election
// ports.
type Conf struct {
	ClientAddr        string
	ServerID          uint64
	PeerAddr          string
	Observer          bool
	DataDir           string // raft's snapshots: ZooKeeper's dataDir
	DataDirSize       int64
	DataLogDir        string // raft's log store: ZooKeeper's dataLogDir
	DataLogSize       int64
	TickTime          time.Duration
	MinSessionTimeout time.Duration
	MaxSessionTimeout time.Duration
	// Membership is the dynamic configuration text of /zookeeper/config,
	// or, while that is empty, the raft configuration in the same form.
	Membership string
}

// Conf returns the member's configuration. It reads the size of the data
// directory from disk.
func (s *Server) Conf() Conf {
	n := s.n
	c := Conf{
		ClientAddr: s.Addr(), ServerID: n.ID(), PeerAddr: n.Addr(),
		DataDir: filepath.Join(n.cfg.Dir, "snapshots"), DataLogDir: n.cfg.Dir,
		TickTime: n.cfg.Sessions.TickTime, MinSessionTimeout: n.cfg.Sessions.MinTimeout,
		MaxSessionTimeout: n.cfg.Sessions.MaxTimeout,
	}
	c.DataDirSize, c.DataLogSize = s.dirSizes()
	peers, err := n.Members()
	// As srvr and mntr say (Status.Role): a member that has not yet learned
	// a configuration naming it is not a voter.
	c.Observer = !n.isVoter()
	n.View(func(t *tree.Tree) {
		if data, _, err := t.Get("/zookeeper/config", nil); err == nil {
			c.Membership = string(data)
		}
	})
	if c.Membership == "" && err == nil {
		var b strings.Builder
		for _, p := range peers {
			b.WriteString(membershipLine(p))
		}
		c.Membership = b.String()
	}
	return c
}

// dirSizes is ZooKeeper's dirs: the bytes of the snapshot directory and
// of the log store.
func (s *Server) dirSizes() (data, log int64) {
	dir := s.n.cfg.Dir
	data = treeSize(filepath.Join(dir, "snapshots"))
	if fi, err := os.Stat(filepath.Join(dir, "raft.db")); err == nil {
		log = fi.Size()
	}
	return data, log
}

func treeSize(root string) int64 {
	var n int64
	_ = filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// KeyValue is one line of a key=value report such as envi.
type KeyValue struct{ Key, Value string }

// Environment is what envi reports: ZooKeeper's keys that coordtui can
// fill truthfully (no java.*), then the Go runtime's.
func (s *Server) Environment() []KeyValue {
	host, _ := os.Hostname()
	env := []KeyValue{
		{"zookeeper.version", FullVersion(s.cfg.Version)},
		{"host.name", host},
		{"os.name", osName()},
		{"os.arch", runtime.GOARCH},
		{"os.version", osVersion()},
	}
	name, home := os.Getenv("USER"), os.Getenv("HOME")
	if u, err := user.Current(); err == nil {
		name, home = u.Username, u.HomeDir
	}
	wd, _ := os.Getwd()
	return append(env,
		KeyValue{"user.name", name},
		KeyValue{"user.home", home},
		KeyValue{"user.dir", wd},
		KeyValue{"go.version", runtime.Version()},
		KeyValue{"go.maxprocs", itoa(int64(runtime.GOMAXPROCS(0)))},
	)
}

// osName gives the operating system as Java's os.name spells it.
func osName() string {
	switch runtime.GOOS {
	case "linux":
		return "Linux"
	case "darwin":
		return "Mac OS X"
	case "windows":
		return "Windows"
	case "freebsd":
		return "FreeBSD"
	}
	return runtime.GOOS
}

// osVersion is the kernel release, as Java's os.version gives it on Linux.
func osVersion() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// membershipLine renders a raft member as a dynamic configuration line,
// "server.1=127.0.0.1:7001:7001:participant"; the client address is not
// known from raft.
func membershipLine(p Peer) string {
	host, port, _ := net.SplitHostPort(p.Addr)
	role := "participant"
	if p.NonVoter {
		role = "observer"
	}
	return "server." + itoa(int64(p.ID)) + "=" + host + ":" + port + ":" + port + ":" + role + "\n"
}
