package zktest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Coordtui is a coordtui ensemble run as `coordtui up` in its own process.
type Coordtui struct {
	Addr    string // the first member's client address
	ConnStr string // every member's
	cmd     *exec.Cmd
	dir     string
}

// StartCoordtui builds coordtui from this module and starts a 3-member
// ensemble (`coordtui up`: the embedded timing, tickTime 500 ms).
func StartCoordtui() (*Coordtui, error) {
	dir, err := os.MkdirTemp("", "zktest-coordtui-")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "coordtui")
	build := exec.Command("go", "build", "-o", bin, "coordtui")
	if out, err := build.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("zktest: building coordtui: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "up", "--members", "3", "--data", filepath.Join(dir, "data"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	c := &Coordtui{cmd: cmd, dir: dir}
	line := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		s, _ := r.ReadString('\n')
		line <- strings.TrimSpace(s)
		_, _ = r.WriteTo(discard{})
	}()
	select {
	case s := <-line:
		if s == "" {
			c.Stop()
			return nil, fmt.Errorf("zktest: coordtui up printed no connection string")
		}
		c.ConnStr = s
		c.Addr, _, _ = strings.Cut(s, ",")
		return c, nil
	case <-time.After(60 * time.Second):
		c.Stop()
		return nil, fmt.Errorf("zktest: coordtui up did not start within a minute")
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Stop ends the ensemble (SIGTERM, then SIGKILL) and removes its files.
func (c *Coordtui) Stop() {
	if c.cmd.Process != nil {
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = c.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = c.cmd.Process.Kill()
			<-done
		}
	}
	os.RemoveAll(c.dir)
}

// RerunAgainstCoordtui runs this test binary again with env=coordtui and
// the same arguments, and returns its exit code. Output goes to this
// process's.
func RerunAgainstCoordtui(env string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	fmt.Println("=== the same client tests against coordtui (", env, "=coordtui )")
	cmd := exec.CommandContext(ctx, os.Args[0], os.Args[1:]...)
	cmd.Env = append(os.Environ(), env+"=coordtui")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		fmt.Println("zktest: rerun:", err)
		return 1
	}
	return 0
}
