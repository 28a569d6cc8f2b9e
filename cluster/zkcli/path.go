package zkcli

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// validatePath is the Java client's PathUtils.validatePath with its exact
// messages, which zkCli prints for a malformed path before anything is sent.
// Positions count UTF-16 code units, as Java's do.
func validatePath(path string) error {
	bad := func(msg string) error { return malformed(msg) }
	switch {
	case path == "":
		return bad("Path length must be > 0")
	case path[0] != '/':
		return bad("Path must start with / character")
	case path == "/":
		return nil
	case path[len(path)-1] == '/':
		return bad("Path must not end with / character")
	}
	u := utf16.Encode([]rune(path))
	reason := ""
	last := uint16('/')
	for i := 1; i < len(u); i++ {
		c := u[i]
		endOfName := i+1 == len(u) || u[i+1] == '/'
		switch {
		case c == 0:
			reason = fmt.Sprintf("null character not allowed @%d", i)
		case c == '/' && last == '/':
			reason = fmt.Sprintf("empty node name specified @%d", i)
		case c == '.' && last == '.':
			if u[i-2] == '/' && endOfName {
				reason = fmt.Sprintf("relative paths not allowed @%d", i)
			}
		case c == '.':
			if u[i-1] == '/' && endOfName {
				reason = fmt.Sprintf("relative paths not allowed @%d", i)
			}
		case c > 0 && c <= 0x1f, c >= 0x7f && c <= 0x9f, c >= 0xd800 && c <= 0xf8ff, c >= 0xfff0:
			reason = fmt.Sprintf("invalid character @%d", i)
		}
		if reason != "" {
			return bad("Invalid path string \"" + path + "\" caused by " + reason)
		}
		last = c
	}
	return nil
}

// join appends a child's name to a parent path.
func join(parent, child string) string {
	if parent == "/" {
		return "/" + child
	}
	return parent + "/" + child
}

// depth is the number of names in path ("/" is 0, "/a/b" is 2).
func depth(path string) int {
	if path == "/" {
		return 0
	}
	return strings.Count(path, "/")
}
