package zk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// maxFourLetterReply bounds how much of a four-letter-word answer is read;
// mntr is a few KiB, dump and wchc grow with the ensemble.
const maxFourLetterReply = 16 << 20

// FourLetter sends a four-letter word ("ruok", "srvr", "mntr", …) to addr
// and returns the whole answer, which the server ends by closing the
// connection. ctx bounds the dial and the read.
func FourLetter(ctx context.Context, addr, word string) (string, error) {
	if len(word) != 4 {
		return "", fmt.Errorf("zk: four-letter word %q is not four bytes", word)
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer nc.Close()
	stop := context.AfterFunc(ctx, func() { nc.Close() })
	defer stop()
	if _, err := io.WriteString(nc, word); err != nil {
		return "", err
	}
	b, err := io.ReadAll(io.LimitReader(nc, maxFourLetterReply))
	if err != nil && ctx.Err() != nil {
		return string(b), ctx.Err()
	}
	return string(b), err
}

// ServerStatus is what srvr (and stat) report.
type ServerStatus struct {
	Version     string
	Mode        string // standalone, leader, follower, observer, read-only
	Zxid        int64
	NodeCount   int64
	Connections int64
	Outstanding int64
	Received    int64
	Sent        int64
	LatencyMin  float64
	LatencyAvg  float64
	LatencyMax  float64
	// Fields holds every "key: value" line as read, known keys included, so
	// callers can use what this type does not model.
	Fields map[string]string
}

// ErrNotStats is returned by the parsers for text that has none of the
// expected lines, such as "srvr is not executed because it is not in the
// whitelist." or "This ZooKeeper instance is not currently serving requests".
var ErrNotStats = errors.New("zk: not four-letter-word statistics")

// ParseSrvr parses srvr or stat output from ZooKeeper (3.4–3.9) or
// coordtui. Lines are "key: value" (a "key=value" line is accepted too);
// stat's client list and unknown lines are ignored or kept in Fields; a
// known key whose value does not parse is left zero.
func ParseSrvr(text string) (ServerStatus, error) {
	s := ServerStatus{Fields: map[string]string{}}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
			continue // stat's per-connection lines
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			if k, v, ok = strings.Cut(line, "="); !ok {
				continue
			}
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		s.Fields[k] = v
		switch strings.ToLower(k) {
		case "zookeeper version", "version":
			s.Version = v
		case "mode":
			s.Mode = v
		case "zxid":
			// coordtui prints epoch and counter apart: 0x2_0000001e.
			hex := strings.ReplaceAll(strings.TrimPrefix(strings.ToLower(v), "0x"), "_", "")
			s.Zxid, _ = strconv.ParseInt(hex, 16, 64)
		case "node count":
			s.NodeCount, _ = strconv.ParseInt(v, 10, 64)
		case "connections":
			s.Connections, _ = strconv.ParseInt(v, 10, 64)
		case "outstanding":
			s.Outstanding, _ = strconv.ParseInt(v, 10, 64)
		case "received":
			s.Received, _ = strconv.ParseInt(v, 10, 64)
		case "sent":
			s.Sent, _ = strconv.ParseInt(v, 10, 64)
		case "latency min/avg/max":
			parts := strings.Split(v, "/")
			if len(parts) == 3 {
				s.LatencyMin, _ = strconv.ParseFloat(parts[0], 64)
				s.LatencyAvg, _ = strconv.ParseFloat(parts[1], 64)
				s.LatencyMax, _ = strconv.ParseFloat(parts[2], 64)
			}
		}
	}
	if s.Fields["Mode"] == "" && s.Fields["Zxid"] == "" && s.Version == "" {
		return s, fmt.Errorf("%w: %q", ErrNotStats, firstLine(text))
	}
	return s, nil
}

// ParseMntr parses mntr output into key/value pairs. Lines are
// "zk_key<TAB>value"; "key=value" is accepted too. Callers must tolerate unknown keys and absent ones.
func ParseMntr(text string) (map[string]string, error) {
	m := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		k, v, ok := strings.Cut(line, "\t")
		if !ok {
			if k, v, ok = strings.Cut(line, "="); !ok {
				continue
			}
		}
		if k = strings.TrimSpace(k); k != "" {
			m[k] = strings.TrimSpace(v)
		}
	}
	if len(m) == 0 {
		return m, fmt.Errorf("%w: %q", ErrNotStats, firstLine(text))
	}
	return m, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
