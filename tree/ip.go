package tree

import (
	"strconv"
	"strings"
)

// The ip scheme, ported rule for rule from ZooKeeper 3.9's
// IPAuthenticationProvider (IPv4 dotted quads, IPv6 with "::" compression, an
// optional "/bits" prefix length), so that what is valid and what matches is
// the same as on a real server.

// validIPExpr is IPAuthenticationProvider.isValid.
func validIPExpr(expr string) bool {
	addr, bitsStr, hasBits := strings.Cut(expr, "/")
	b := ipBytes(addr)
	if b == nil {
		return false
	}
	if hasBits {
		bits, err := strconv.ParseInt(bitsStr, 10, 32)
		if err != nil || bits < 0 || int(bits) > len(b)*8 {
			return false
		}
	}
	return true
}

// ipMatches is IPAuthenticationProvider.matches: does the client address id
// fall inside the ACL expression expr?
func ipMatches(id, expr string) bool {
	addr, bitsStr, hasBits := strings.Cut(expr, "/")
	acl := ipBytes(addr)
	if acl == nil {
		return false
	}
	bits := len(acl) * 8
	if hasBits {
		n, err := strconv.ParseInt(bitsStr, 10, 32)
		if err != nil || n < 0 || int(n) > len(acl)*8 {
			return false
		}
		bits = int(n)
	}
	remote := ipBytes(id)
	if remote == nil || len(remote) != len(acl) {
		return false
	}
	maskIP(acl, bits)
	maskIP(remote, bits)
	return string(acl) == string(remote)
}

func maskIP(b []byte, bits int) {
	start := bits / 8
	m := ^byte((1 << (8 - bits%8)) - 1)
	for ; start < len(b); start++ {
		b[start] &= m
		m = 0
	}
}

// ipBytes parses like addr2Bytes: anything with a ':' is IPv6, else anything
// with a '.' is IPv4; nil when it does not parse.
func ipBytes(addr string) []byte {
	switch {
	case strings.Contains(addr, ":"):
		return ipv6Bytes(addr)
	case strings.Contains(addr, "."):
		return ipv4Bytes(addr)
	}
	return nil
}

func ipv4Bytes(addr string) []byte {
	parts := strings.Split(addr, ".")
	if len(parts) != 4 {
		return nil
	}
	b := make([]byte, 4)
	for i, p := range parts {
		v, err := strconv.ParseInt(p, 10, 32) // Integer.parseInt: optional sign, decimal
		if err != nil || v < 0 || v > 255 {
			return nil
		}
		b[i] = byte(v)
	}
	return b
}

func ipv6Bytes(addr string) []byte {
	var head, tail []string
	parts := strings.Split(addr, "::")
	switch len(parts) {
	case 1:
		head = strings.Split(parts[0], ":")
		if len(head) != 8 {
			return nil
		}
	case 2:
		if parts[0] != "" {
			head = strings.Split(parts[0], ":")
		}
		if parts[1] != "" {
			tail = strings.Split(parts[1], ":")
		}
		if len(head)+len(tail) >= 8 {
			return nil
		}
	default:
		return nil
	}
	b := make([]byte, 16)
	if !ipv6Segments(b[:2*len(head)], head) || !ipv6Segments(b[16-2*len(tail):], tail) {
		return nil
	}
	return b
}

func ipv6Segments(dst []byte, segs []string) bool {
	for i, s := range segs {
		if s == "" || len(s) > 4 {
			return false
		}
		v, err := strconv.ParseInt(s, 16, 32)
		if err != nil {
			return false
		}
		dst[2*i] = byte(v >> 8)
		dst[2*i+1] = byte(v)
	}
	return true
}
