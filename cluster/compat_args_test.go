package cluster

import (
	"fmt"
	"strconv"
	"strings"
)

// compatArgs is one parsed command line: a verb, positional words and
// key=value options. Words and values may be Go-quoted strings, so a path
// can hold a NUL ("/a\x00b").
type compatArgs struct {
	verb string
	pos  []string
	opts map[string]string
	used map[string]bool
}

func parseCompatArgs(line string) (*compatArgs, error) {
	toks, err := compatTokens(line)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty command")
	}
	a := &compatArgs{verb: toks[0].text, opts: map[string]string{}, used: map[string]bool{}}
	for _, t := range toks[1:] {
		if k, v, ok := strings.Cut(t.text, "="); ok && !t.quoted && !strings.HasPrefix(t.text, "/") {
			a.opts[k] = v
			continue
		}
		a.pos = append(a.pos, t.text)
	}
	return a, nil
}

type compatToken struct {
	text   string
	quoted bool // the whole word was quoted: never a key=value
}

// compatTokens splits on spaces; a double-quoted part is unquoted with Go's
// rules, so `data="a b"` and `"/x\x00y"` are single tokens.
func compatTokens(line string) ([]compatToken, error) {
	var out []compatToken
	for i := 0; i < len(line); {
		if line[i] == ' ' || line[i] == '\t' {
			i++
			continue
		}
		var sb strings.Builder
		quoted := line[i] == '"'
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			if line[i] != '"' {
				sb.WriteByte(line[i])
				i++
				continue
			}
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' {
					j++
				}
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unterminated quote in %q", line)
			}
			s, err := strconv.Unquote(line[i : j+1])
			if err != nil {
				return nil, fmt.Errorf("bad quoted string %s: %w", line[i:j+1], err)
			}
			sb.WriteString(s)
			i = j + 1
		}
		out = append(out, compatToken{text: sb.String(), quoted: quoted})
	}
	return out, nil
}

// opt returns option k, or def when it is absent.
func (a *compatArgs) opt(k, def string) string {
	a.used[k] = true
	if v, ok := a.opts[k]; ok {
		return v
	}
	return def
}

func (a *compatArgs) has(k string) bool {
	a.used[k] = true
	_, ok := a.opts[k]
	return ok
}

func (a *compatArgs) int(k string, def int64) (int64, error) {
	v := a.opt(k, "")
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("option %s=%q: %w", k, v, err)
	}
	return n, nil
}

// flag reports whether the bare word w is among the positional words.
func (a *compatArgs) flag(w string) bool {
	for i, p := range a.pos {
		if p == w {
			a.pos = append(a.pos[:i:i], a.pos[i+1:]...)
			return true
		}
	}
	return false
}

// unused lists options no command looked at: a typo in a script must fail.
func (a *compatArgs) unused() error {
	for k := range a.opts {
		if !a.used[k] {
			return fmt.Errorf("unknown option %q", k)
		}
	}
	return nil
}
