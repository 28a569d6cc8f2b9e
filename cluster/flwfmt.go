package cluster

import (
	"math"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// The four-letter words print Java values; these render Go values the way
// ZooKeeper's PrintWriter does, so that parsers written against ZooKeeper
// read coordtui unchanged.

// javaDouble formats v as Java's Double.toString: "0.0", "1.6", "1.4407",
// and scientific notation from 10^7 up or below 10^-3 ("1.0E7").
func javaDouble(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	}
	if a := math.Abs(v); a != 0 && (a >= 1e7 || a < 1e-3) {
		s := strconv.FormatFloat(v, 'E', -1, 64) // 1E+07, 1.5E-04
		mant, exp, _ := strings.Cut(s, "E")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		e, _ := strconv.Atoi(exp)
		return mant + "E" + strconv.Itoa(e)
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// javaHex is Long.toHexString: two's complement, so -1 is ffffffffffffffff.
func javaHex(v int64) string { return strconv.FormatUint(uint64(v), 16) }

// javaDate is java.util.Date.toString in the local zone:
// "Sun Nov 22 02:35:46 UTC 2026".
func javaDate(t time.Time) string { return t.Local().Format("Mon Jan 02 15:04:05 MST 2006") }

// javaAddr is InetSocketAddress.toString for a literal address:
// "/127.0.0.1:33212", "/0:0:0:0:0:0:0:1:33212".
func javaAddr(addr string) string {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return "/" + addr
	}
	ip := ap.Addr().Unmap()
	host := ip.String()
	if ip.Is6() {
		// Java writes every group, without leading zeros or "::".
		b := ip.As16()
		groups := make([]string, 8)
		for i := range groups {
			groups[i] = strconv.FormatUint(uint64(b[2*i])<<8|uint64(b[2*i+1]), 16)
		}
		host = strings.Join(groups, ":")
		if z := ip.Zone(); z != "" {
			host += "%" + z
		}
	}
	return "/" + host + ":" + strconv.Itoa(int(ap.Port()))
}

// portOf is the port of a host:port address, or -1.
func portOf(addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return -1
	}
	return n
}
