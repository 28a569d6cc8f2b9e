// Package zktest runs a real Apache ZooKeeper for tests, and a TCP proxy
// that tests can cut. It is used by the zk package's tests and by any test
// in coordtui that wants Apache ZooKeeper as an oracle.
package zktest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Where Debian's zookeeper package installs ZooKeeper 3.8.
const (
	Jar     = "/usr/share/java/zookeeper.jar"
	SLF4J   = "/usr/share/java/slf4j-simple.jar"
	ConfDir = "/etc/zookeeper/conf"
)

// Config describes a standalone server. The zero value is what ZK-PROTOCOL.md
// verified against: tickTime 2000, all four-letter words, TTL nodes enabled.
type Config struct {
	// TickTime sets tickTime; session timeouts are clamped to [2, 20]
	// ticks. Default 2 s.
	TickTime time.Duration
	// Extra holds more zoo.cfg lines ("key=value").
	Extra []string
	// JVMArgs are added before the main class (e.g. "-Dkey=value").
	JVMArgs []string
	// StartTimeout bounds the wait for the server to serve. Default 60 s.
	StartTimeout time.Duration
}

// Server is a running standalone ZooKeeper.
type Server struct {
	Addr    string // 127.0.0.1:port of the client port
	Dir     string // data directory, config and log
	cmd     *exec.Cmd
	exited  chan struct{}
	ownsDir bool
}

// Available reports why Apache ZooKeeper cannot run here, or nil.
func Available() error {
	if _, err := exec.LookPath("java"); err != nil {
		return fmt.Errorf("zktest: java not found: %w", err)
	}
	for _, f := range []string{Jar, SLF4J} {
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("zktest: %s missing (apt-get install zookeeper): %w", f, err)
		}
	}
	return nil
}

// Start starts a standalone server on a free loopback port with its data in
// dir (a new temporary directory, removed by Stop, when dir is ""). It
// returns once the server is serving.
func Start(cfg Config, dir string) (*Server, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	s := &Server{Dir: dir}
	if dir == "" {
		d, err := os.MkdirTemp("", "zktest-")
		if err != nil {
			return nil, err
		}
		s.Dir, s.ownsDir = d, true
	}
	var err error
	// A port found free can be taken before the JVM binds it; try again then.
	for attempt := 0; attempt < 3; attempt++ {
		if err = s.start(cfg); err == nil {
			return s, nil
		}
	}
	if s.ownsDir {
		os.RemoveAll(s.Dir)
	}
	return nil, err
}

func (s *Server) start(cfg Config) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	s.Addr = fmt.Sprintf("127.0.0.1:%d", port)
	tick := cfg.TickTime
	if tick <= 0 {
		tick = 2 * time.Second
	}
	lines := []string{
		fmt.Sprintf("tickTime=%d", tick.Milliseconds()),
		"dataDir=" + filepath.Join(s.Dir, "data"),
		fmt.Sprintf("clientPort=%d", port),
		"clientPortAddress=127.0.0.1",
		"admin.enableServer=false",
		"4lw.commands.whitelist=*",
	}
	lines = append(lines, cfg.Extra...)
	cfgFile := filepath.Join(s.Dir, "zoo.cfg")
	if err := os.WriteFile(cfgFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(s.Dir, "zookeeper.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	args := []string{
		"-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
		"-Dzookeeper.extendedTypesEnabled=true",
		"-Dzookeeper.admin.enableServer=false",
	}
	args = append(args, cfg.JVMArgs...)
	args = append(args, "-cp", ConfDir+":"+Jar+":"+SLF4J,
		"org.apache.zookeeper.server.ZooKeeperServerMain", cfgFile)
	s.cmd = exec.Command("java", args...)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	dieWithParent(s.cmd)
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.exited = make(chan struct{})
	go func() { s.cmd.Wait(); close(s.exited) }()

	timeout := cfg.StartTimeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	if err := s.waitReady(timeout); err != nil {
		s.kill()
		return fmt.Errorf("zktest: server on %s not ready: %w\n%s", s.Addr, err, s.LogTail(20))
	}
	return nil
}

// waitReady polls srvr until the server reports a mode, the process exits
// or the timeout passes. (ruok answers imok before the server serves.)
func (s *Server) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		ans, err := fourLetter(ctx, s.Addr, "srvr")
		cancel()
		if err == nil && strings.Contains(ans, "\nMode: ") {
			return nil
		}
		select {
		case <-s.exited:
			return errors.New("process exited")
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not serving after %v (last srvr: %q, %v)", timeout, ans, err)
		}
	}
}

func fourLetter(ctx context.Context, addr, word string) (string, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer nc.Close()
	if dl, ok := ctx.Deadline(); ok {
		nc.SetDeadline(dl)
	}
	if _, err := io.WriteString(nc, word); err != nil {
		return "", err
	}
	b, err := io.ReadAll(nc)
	return string(b), err
}

// ConnStr returns the connection string for the server, with chroot
// appended if given.
func (s *Server) ConnStr(chroot ...string) string {
	return s.Addr + strings.Join(chroot, "")
}

// LogTail returns the last n lines of the server's log.
func (s *Server) LogTail(n int) string {
	f, err := os.Open(filepath.Join(s.Dir, "zookeeper.log"))
	if err != nil {
		return ""
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

func (s *Server) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// Stop kills the server, waits for the process to exit and removes the
// directory Start created.
func (s *Server) Stop() {
	s.kill()
	if s.ownsDir {
		os.RemoveAll(s.Dir)
	}
}

// StartApache starts a dedicated server for t (data in t.TempDir(), killed
// at cleanup) and returns its connection string. It skips t with a message
// when java or the ZooKeeper jars are absent.
func StartApache(t testing.TB, cfg ...Config) string {
	t.Helper()
	if err := Available(); err != nil {
		t.Skipf("Apache ZooKeeper not available: %v", err)
	}
	var c Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	s, err := Start(c, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s.Addr
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
