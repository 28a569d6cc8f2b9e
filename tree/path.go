package tree

import (
	"strconv"
	"unicode/utf8"
)

// ValidatePath applies ZooKeeper's PathUtils.validatePath: the path starts
// with '/', has no empty, "." or ".." component, does not end with '/'
// (except "/" itself), and contains no character ZooKeeper forbids, judged
// over UTF-16 code units as Java does: U+0000–U+001F, U+007F–U+009F,
// U+D800–U+F8FF (so every character outside the BMP, whose surrogates fall
// there) and U+FFF0–U+FFFF. Bytes that are not UTF-8 decode to U+FFFD and are
// forbidden too. It returns ErrBadArguments or nil.
func ValidatePath(path string) error {
	if !validPath(path) {
		return ErrBadArguments
	}
	return nil
}

func validPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	if len(p) == 1 {
		return true
	}
	if p[len(p)-1] == '/' {
		return false
	}
	start := 1
	for i := 1; i < len(p); {
		c := p[i]
		if c == '/' {
			if !validName(p[start:i]) {
				return false
			}
			start = i + 1
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if c <= 0x1f || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(p[i:])
		if forbiddenRune(r) {
			return false
		}
		i += size
	}
	return validName(p[start:])
}

func validName(name string) bool { return name != "" && name != "." && name != ".." }

func forbiddenRune(r rune) bool {
	return r <= 0x1f || (r >= 0x7f && r <= 0x9f) || (r >= 0xd800 && r <= 0xf8ff) || r >= 0xfff0
}

// validComponent reports whether name can be one znode name.
func validComponent(name string) bool {
	if !validName(name) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if name[i] == '/' {
			return false
		}
	}
	return validPath("/" + name)
}

// specialPath reports the paths delete refuses (ZKDatabase.isSpecialPath).
func specialPath(p string) bool {
	return p == "/" || p == "/zookeeper" || p == "/zookeeper/quota" || p == "/zookeeper/config"
}

// canonParent turns the parent part of a path ("" for children of the root)
// into the parent's own path.
func canonParent(parent string) string {
	if parent == "" {
		return "/"
	}
	return parent
}

// appendSeq appends a sequence suffix the way Java's String.format("%010d")
// prints a signed int: zero-padded to ten characters including the sign.
func appendSeq(dst []byte, n int32) []byte {
	v := int64(n)
	width := 10
	if v < 0 {
		dst = append(dst, '-')
		v = -v
		width = 9
	}
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], v, 10)
	for i := len(d); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, d...)
}

// looksSequential guesses from a name alone whether it carries a sequence
// suffix: ten digits, or a sign and nine or ten digits.
func looksSequential(name string) bool {
	digitsFrom := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	n := len(name)
	switch {
	case n >= 10 && digitsFrom(name[n-10:]):
		return true
	case n >= 10 && name[n-10] == '-' && digitsFrom(name[n-9:]):
		return true
	}
	return false
}
