package zkcli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"coordtui/cluster/zk"
)

// IsCoordtui reports whether a srvr answer's version line names coordtui
// ("Zookeeper version: 3.9.3-coordtui, built on ...").
func IsCoordtui(srvr string) bool {
	first, _, _ := strings.Cut(srvr, "\n")
	return strings.Contains(first, "coordtui")
}

// Flavor returns the version line the connected server reports to srvr,
// cached per server address. A server that refuses srvr, or cannot be
// asked, gets a description of why, which is never coordtui's.
func (s *Shell) Flavor(ctx context.Context) string {
	c := s.Client()
	if c == nil {
		return "not connected"
	}
	addr := c.Server()
	if addr == "" {
		return "not connected"
	}
	s.mu.Lock()
	f, ok := s.flavors[addr]
	s.mu.Unlock()
	if ok {
		return f
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ans, err := zk.FourLetter(ctx, addr, "srvr")
	switch {
	case err != nil:
		f = "srvr failed: " + err.Error()
	default:
		f, _, _ = strings.Cut(strings.TrimSpace(ans), "\n")
	}
	s.mu.Lock()
	s.flavors[addr] = f
	s.mu.Unlock()
	return f
}

// confirm asks before a destructive command runs against an ensemble that
// is not coordtui, unless --yes was given. coordtui ensembles are the ones
// this tool starts for learning, so nothing is asked there.
func (s *Shell) confirm(ctx context.Context, cmd *command, c *cmdline) error {
	if s.cfg.Yes {
		return nil
	}
	what, err := cmd.confirm(s, ctx, c)
	if err != nil || what == "" {
		return err
	}
	flavor := s.Flavor(ctx)
	if IsCoordtui(flavor) {
		return nil
	}
	q := fmt.Sprintf("%s is not a coordtui ensemble (%s). Really %s? [y/N] ", s.Client().Server(), flavor, what)
	if s.cfg.Confirm != nil && s.cfg.Confirm(ctx, q) {
		return nil
	}
	return &Error{Msg: "Not confirmed: " + what + " (--yes skips this question)", Status: StatusError}
}
