package source

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"coordtui/cluster/zk"
)

// AdminAddrs reads --admin's addresses: "http://HOST:PORT" or "HOST:PORT"
// name one admin API each (commas may join several), and ":PORT" means
// that port on every host of the connection string conn — a coordtui up
// serves one API for its whole ensemble, so its members' shared host gives
// one address; coordtui server members on several machines, one each. The
// result is "http://HOST:PORT" addresses, each once, in the order given.
func AdminAddrs(flags []string, conn string) ([]string, error) {
	var out []string
	add := func(a string) {
		if !strings.Contains(a, "://") {
			a = "http://" + a
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	for _, f := range flags {
		for _, a := range strings.Split(f, ",") {
			a = strings.TrimSpace(a)
			switch {
			case a == "":
			case strings.HasPrefix(a, ":"):
				hosts, _, err := zk.ParseConnString(conn)
				if err != nil {
					return nil, err
				}
				for _, h := range hosts {
					host, _, err := net.SplitHostPort(h)
					if err != nil {
						return nil, fmt.Errorf("--admin %s: host %q: %w", a, h, err)
					}
					add(net.JoinHostPort(host, a[1:]))
				}
			default:
				add(a)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--admin %q: no address (want http://HOST:PORT, HOST:PORT or :PORT)", strings.Join(flags, ","))
	}
	return out, nil
}

// shortErr words a network error for a note: "connection refused", not
// the whole chain of the request that met it.
func shortErr(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return strings.TrimPrefix(op.Err.Error(), "connect: ")
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
