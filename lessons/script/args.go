package script

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Args are a command's words after its name.
type Args []Arg

// Arguments returns the step's words.
func (s *Step) Arguments() Args { return Args(s.Args) }

// Pos returns the bare words, in order.
func (a Args) Pos() []string {
	var out []string
	for _, x := range a {
		if x.Key == "" {
			out = append(out, x.Value)
		}
	}
	return out
}

// Arg returns bare word i, or "" if there are fewer.
func (a Args) Arg(i int) string {
	p := a.Pos()
	if i < len(p) {
		return p[i]
	}
	return ""
}

// Get returns the value of key=value.
func (a Args) Get(key string) (string, bool) {
	for _, x := range a {
		if x.Key == key {
			return x.Value, true
		}
	}
	return "", false
}

// String returns the value of key, or def.
func (a Args) String(key, def string) string {
	if v, ok := a.Get(key); ok {
		return v
	}
	return def
}

// Has reports whether a bare word (a flag such as "readonly") is present.
func (a Args) Has(word string) bool {
	for _, x := range a {
		if x.Key == "" && x.Value == word {
			return true
		}
	}
	return false
}

// List splits key's value at commas; nil when absent.
func (a Args) List(key string) []string {
	v, ok := a.Get(key)
	if !ok || v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// Int returns key's value as an integer, or def when absent.
func (a Args) Int(key string, def int) (int, error) {
	v, ok := a.Get(key)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: not a number", key, v)
	}
	return n, nil
}

// Duration returns key's value as a duration ("2s", "500ms"), or def.
func (a Args) Duration(key string, def time.Duration) (time.Duration, error) {
	v, ok := a.Get(key)
	if !ok {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: not a duration", key, v)
	}
	return d, nil
}

// Rest is the line after the first n bare words, as written: what a
// command hands on verbatim, such as a zkCli command line.
func rest(raw string, n int) string {
	s := strings.TrimSpace(raw)
	for range n {
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			return ""
		}
		s = strings.TrimSpace(s[i:])
	}
	return s
}
