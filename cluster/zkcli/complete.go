package zkcli

import (
	"context"
	"sort"
	"strings"
)

// Complete offers completions for the word before the end of line, as
// zkCli's JLineZNodeCompleter does: a word starting with "/" completes to
// the children of its parent znode, any other word to command names.
// Candidates replace line[start:]. A session that is not connected offers
// no znodes.
func (s *Shell) Complete(ctx context.Context, line string) (start int, candidates []string) {
	token := ""
	if !strings.HasSuffix(line, " ") {
		if i := strings.LastIndexByte(line, ' '); i >= 0 {
			token = line[i+1:]
		} else {
			token = line
		}
	}
	if !strings.HasPrefix(token, "/") {
		for _, name := range Commands() {
			if strings.HasPrefix(name, token) {
				candidates = append(candidates, name)
			}
		}
		return strings.LastIndexByte(line, ' ') + 1, candidates
	}
	slash := strings.LastIndexByte(token, '/')
	prefix := token[slash+1:]
	dir := token[:slash]
	if dir == "" {
		dir = "/"
	}
	c := s.Client()
	if !alive(c) {
		return len(line), nil
	}
	kids, err := c.Children(ctx, dir)
	if err != nil {
		return len(line), nil
	}
	for _, k := range kids {
		if strings.HasPrefix(k, prefix) {
			candidates = append(candidates, k)
		}
	}
	if len(candidates) == 0 {
		return len(line), nil
	}
	sort.Strings(candidates)
	return strings.LastIndexByte(line, '/') + 1, candidates
}
