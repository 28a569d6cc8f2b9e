package zk

import (
	"fmt"
	"net"
	"strings"
	"unicode/utf16"
)

// ValidatePath applies ZooKeeper's PathUtils.validatePath (§6.1) over UTF-16
// code units, as Java does: absolute, no trailing slash (except "/"), no
// empty, "." or ".." components, no NUL, control characters, surrogates
// (so nothing outside the BMP), private-use characters or U+FFF0–U+FFFF.
// For a sequential create pass the path with a digit appended, as the Java
// client does, since the server adds the suffix. Errors wrap ErrBadArguments.
func ValidatePath(path string) error {
	bad := func(why string, at int) error {
		return fmt.Errorf("%w: invalid path %q: %s @%d", ErrBadArguments, path, why, at)
	}
	switch {
	case path == "":
		return fmt.Errorf("%w: path must not be empty", ErrBadArguments)
	case path[0] != '/':
		return bad("must start with /", 0)
	case path == "/":
		return nil
	case path[len(path)-1] == '/':
		return bad("must not end with /", len(path)-1)
	}
	u := utf16.Encode([]rune(path))
	last := u[0]
	for i := 1; i < len(u); i++ {
		c := u[i]
		endOfName := i+1 == len(u) || u[i+1] == '/'
		switch {
		case c == 0:
			return bad("null character", i)
		case c == '/' && last == '/':
			return bad("empty node name", i)
		case c == '.' && last == '.' && u[i-2] == '/' && endOfName:
			return bad("relative path", i)
		case c == '.' && last == '/' && endOfName:
			return bad("relative path", i)
		case c > 0 && c <= 0x1f, c >= 0x7f && c <= 0x9f, c >= 0xd800 && c <= 0xf8ff, c >= 0xfff0:
			return bad("invalid character", i)
		}
		last = c
	}
	return nil
}

// DefaultPort is added to hosts of a connection string that name none.
const DefaultPort = "2181"

// ParseConnString splits "host:port,host:port[/chroot]" into addresses and a
// chroot ("" for none or "/"). Hosts without a port get DefaultPort, as the
// Java client's ConnectStringParser does.
func ParseConnString(s string) (hosts []string, chroot string, err error) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s, chroot = s[:i], s[i:]
		if chroot == "/" {
			chroot = ""
		} else if err := ValidatePath(chroot); err != nil {
			return nil, "", fmt.Errorf("zk: bad chroot in connection string: %w", err)
		}
	}
	for _, h := range strings.Split(s, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(h); err != nil {
			h = net.JoinHostPort(strings.Trim(h, "[]"), DefaultPort)
		}
		hosts = append(hosts, h)
	}
	if len(hosts) == 0 {
		return nil, "", fmt.Errorf("zk: connection string %q names no host", s)
	}
	return hosts, chroot, nil
}

// chroot maps client paths to server paths and back. The zero value is the
// identity.
type chroot string

func (c chroot) toServer(p string) string {
	if c == "" {
		return p
	}
	if p == "/" {
		return string(c)
	}
	return string(c) + p
}

// toClient strips the chroot; a path outside it is returned unchanged.
func (c chroot) toClient(p string) string {
	switch {
	case c == "":
		return p
	case p == string(c):
		return "/"
	case strings.HasPrefix(p, string(c)+"/"):
		return p[len(c):]
	}
	return p
}
