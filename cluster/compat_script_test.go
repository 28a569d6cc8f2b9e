package cluster

import (
	"fmt"
	"os"
	"strings"
)

// The conformance scripts (testdata/compat/*.txt) are written in the
// etcd-raft "interaction test" style: comment lines start with '#', a
// command is one line (indented lines under it belong to it, e.g. the ops of
// a multi), "----" ends the command and the expected transcript follows up to
// the next blank line.
//
// Transcripts are recorded from Apache ZooKeeper 3.8. Where ZooKeeper 3.9
// answers differently and coordtui follows 3.9, the line 3.8 prints is
// followed by "# 3.9: <line>" (3.9 prints <line> instead), "# 3.9: (absent)"
// (3.9 prints nothing there) or "# 3.9+: <line>" (3.9 prints <line> too,
// after it). Re-recording keeps such lines as long as the 3.8 line above
// them is unchanged.

// compatAlt39 starts a line that says what ZooKeeper 3.9 (and coordtui)
// print instead of the line above it; compatAdd39 one that 3.9 prints in
// addition. Both start with compatAlt39Mark.
const (
	compatAlt39Mark = "# 3.9"
	compatAlt39     = "# 3.9:"
	compatAdd39     = "# 3.9+:"
)

// compatBlock is one command of a script and its expected transcript.
type compatBlock struct {
	pre  []string // comments and blank lines before the command
	cmd  []string // the command line, then its indented lines
	want []string // the expected transcript, "# 3.9:" lines included
	line int      // line number of the command, for messages
}

// compatScript is a parsed script file.
type compatScript struct {
	path   string
	blocks []compatBlock
	tail   []string // comments after the last command
}

func parseCompatScript(path string) (*compatScript, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	s := &compatScript{path: path}
	var cur compatBlock
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			cur.pre = append(cur.pre, l)
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			return nil, fmt.Errorf("%s:%d: indented line outside a command", path, i+1)
		}
		cur.cmd, cur.line = []string{l}, i+1
		for i+1 < len(lines) && lines[i+1] != "" && (lines[i+1][0] == ' ' || lines[i+1][0] == '\t') {
			i++
			cur.cmd = append(cur.cmd, strings.TrimSpace(lines[i]))
		}
		if i+1 >= len(lines) || lines[i+1] != "----" {
			return nil, fmt.Errorf("%s:%d: command without a \"----\" line", path, cur.line)
		}
		i++
		for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			i++
			cur.want = append(cur.want, lines[i])
		}
		s.blocks = append(s.blocks, cur)
		cur = compatBlock{}
	}
	s.tail = cur.pre
	return s, nil
}

// expected returns the transcript a server of the given line prints: 3.8
// drops the "# 3.9:" lines, 3.9 puts each in place of the line above it.
func (b *compatBlock) expected(v39 bool) []string {
	var out []string
	for _, l := range b.want {
		if !strings.HasPrefix(l, compatAlt39Mark) {
			out = append(out, l)
			continue
		}
		if !v39 {
			continue
		}
		if add, ok := strings.CutPrefix(l, compatAdd39); ok {
			out = append(out, strings.TrimSpace(add))
			continue
		}
		alt := strings.TrimSpace(strings.TrimPrefix(l, compatAlt39))
		if len(out) > 0 {
			out = out[:len(out)-1]
		}
		if alt != "(absent)" {
			out = append(out, alt)
		}
	}
	return out
}

// rerecord replaces the block's transcript with what the oracle printed,
// keeping each "# 3.9:" line whose 3.8 line is still the same line, at the
// same place. It returns the 3.9 lines it had to drop.
func (b *compatBlock) rerecord(got []string) (dropped []string) {
	type anchored struct {
		index int
		line  string
		alts  []string
	}
	var olds []anchored
	n := -1
	for _, l := range b.want {
		if strings.HasPrefix(l, compatAlt39Mark) {
			if n >= 0 && olds[len(olds)-1].index == n {
				olds[len(olds)-1].alts = append(olds[len(olds)-1].alts, l)
			} else {
				dropped = append(dropped, l)
			}
			continue
		}
		n++
		olds = append(olds, anchored{index: n, line: l})
	}
	var out []string
	for i, l := range got {
		out = append(out, l)
		if i < len(olds) && olds[i].line == l {
			out = append(out, olds[i].alts...)
			olds[i].alts = nil
		}
	}
	for _, o := range olds {
		dropped = append(dropped, o.alts...)
	}
	b.want = out
	return dropped
}

// format renders the script back, as rewrite stores it.
func (s *compatScript) format() string {
	var sb strings.Builder
	for _, b := range s.blocks {
		for _, l := range b.pre {
			sb.WriteString(l + "\n")
		}
		sb.WriteString(b.cmd[0] + "\n")
		for _, l := range b.cmd[1:] {
			sb.WriteString("  " + l + "\n")
		}
		sb.WriteString("----\n")
		for _, l := range b.want {
			sb.WriteString(l + "\n")
		}
	}
	for _, l := range s.tail {
		sb.WriteString(l + "\n")
	}
	return strings.TrimRight(sb.String(), "\n") + "\n"
}
