package script

import (
	"fmt"
	"strings"
)

// Script is a parsed script: its steps in order, and the text around them
// kept as it was so that Format can write the file back unchanged except
// for the transcripts.
type Script struct {
	Name  string // e.g. "partition", from the file name
	Steps []*Step
	tail  []string // comments and blank lines after the last step
}

// Step is one command of a script, as written. It is data: running it is
// the Runner's business.
type Step struct {
	Index int      // position in Script.Steps
	Line  int      // line of the command in the file, from 1
	Cmd   string   // the command's name, e.g. "crash"
	Raw   string   // everything after the name, as written
	Args  []Arg    // Raw split into words (quotes removed), key=value split
	Input []string // the indented lines under the command, unindented
	Want  []string // the expected transcript under "----"

	pre     []string // comments and blank lines before the command
	hasSep  bool     // the file had a "----" line for this step
	indents []string // the original indentation of each input line
}

// Arg is one word of a command line: "key=value" or a bare value.
type Arg struct {
	Key, Value string // Key is "" for a bare word
}

func (a Arg) String() string {
	if a.Key == "" {
		return a.Value
	}
	return a.Key + "=" + a.Value
}

// Text is the step's input joined into one paragraph per run of lines;
// an empty input line separates paragraphs.
func (s *Step) Text() string { return strings.Join(s.Input, "\n") }

// Line0 is the command line as written ("crash leader as=L").
func (s *Step) Line0() string {
	if s.Raw == "" {
		return s.Cmd
	}
	return s.Cmd + " " + s.Raw
}

// Parse reads a script. The language, in the style of etcd-raft's
// interaction tests:
//
//	# a comment
//	command arg key=value "quoted words"
//	    indented lines belong to the command (narration, quiz text);
//	    an empty line between two indented ones is a paragraph break
//	----
//	the expected transcript, up to the next empty line
//
// The "----" line and the transcript may be left out when a command prints
// nothing.
func Parse(name, src string) (*Script, error) {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(src, "\r\n", "\n"), "\n"), "\n")
	s := &Script{Name: name}
	var pre []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			pre = append(pre, l)
			continue
		}
		if indented(l) {
			return nil, fmt.Errorf("%s:%d: indented line outside a command", name, i+1)
		}
		if l == "----" {
			return nil, fmt.Errorf("%s:%d: \"----\" without a command", name, i+1)
		}
		st := &Step{Index: len(s.Steps), Line: i + 1, pre: pre}
		pre = nil
		st.Cmd, st.Raw, _ = strings.Cut(l, " ")
		st.Raw = strings.TrimSpace(st.Raw)
		args, err := splitArgs(st.Raw)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		st.Args = args
		i = readInput(lines, i, st)
		if i+1 < len(lines) && lines[i+1] == "----" {
			st.hasSep = true
			i++
			for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
				i++
				st.Want = append(st.Want, lines[i])
			}
		}
		s.Steps = append(s.Steps, st)
	}
	s.tail = pre
	return s, nil
}

// readInput collects the indented lines after the command at line i and
// returns the index of the last line it consumed.
func readInput(lines []string, i int, st *Step) int {
	for i+1 < len(lines) {
		next := lines[i+1]
		if indented(next) {
			trimmed := strings.TrimLeft(next, " \t")
			st.indents = append(st.indents, next[:len(next)-len(trimmed)])
			st.Input = append(st.Input, trimmed)
			i++
			continue
		}
		// An empty line inside indented text, if more indented text follows.
		if next == "" && len(st.Input) > 0 && i+2 < len(lines) && indented(lines[i+2]) {
			st.indents = append(st.indents, "")
			st.Input = append(st.Input, "")
			i++
			continue
		}
		break
	}
	return i
}

func indented(l string) bool {
	return l != "" && (l[0] == ' ' || l[0] == '\t') && strings.TrimSpace(l) != ""
}

// splitArgs splits a command line into words as a shell would for simple
// cases: spaces separate words, double quotes group them (and are removed),
// and a word of the form key=value becomes a keyed Arg.
func splitArgs(line string) ([]Arg, error) {
	var out []Arg
	var b strings.Builder
	inWord, quoted, literal := false, false, false
	flush := func() {
		if !inWord {
			return
		}
		w := b.String()
		b.Reset()
		inWord = false
		// A word that starts with a quote is a value, whatever it holds.
		if k, v, ok := strings.Cut(w, "="); ok && k != "" && !literal && !strings.Contains(k, "/") {
			out = append(out, Arg{Key: k, Value: v})
			literal = false
			return
		}
		out = append(out, Arg{Value: w})
		literal = false
	}
	for _, r := range line {
		switch {
		case r == '"':
			if !inWord {
				literal = true
			}
			quoted = !quoted
			inWord = true
		case (r == ' ' || r == '\t') && !quoted:
			flush()
		default:
			b.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated quote in %q", line)
	}
	flush()
	return out, nil
}

// Format writes the script back with each step's transcript replaced by
// got[i] (a step beyond got keeps its own), which is what -rewrite does.
func (s *Script) Format(got [][]string) string {
	var b strings.Builder
	for i, st := range s.Steps {
		for _, l := range st.pre {
			b.WriteString(l + "\n")
		}
		b.WriteString(st.Line0() + "\n")
		for j, l := range st.Input {
			if l == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(st.indents[j] + l + "\n")
		}
		want := st.Want
		if i < len(got) {
			want = got[i]
		}
		if len(want) > 0 || st.hasSep {
			b.WriteString("----\n")
		}
		for _, l := range want {
			b.WriteString(l + "\n")
		}
		// A transcript ends at an empty line; keep the next command out of it.
		if next := s.nextPre(i); len(want) > 0 && (i+1 < len(s.Steps) || len(next) > 0) && !startsBlank(next) {
			b.WriteString("\n")
		}
	}
	for _, l := range s.tail {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// nextPre is what precedes the step after i (the tail after the last).
func (s *Script) nextPre(i int) []string {
	if i+1 < len(s.Steps) {
		return s.Steps[i+1].pre
	}
	return s.tail
}

func startsBlank(pre []string) bool {
	return len(pre) > 0 && strings.TrimSpace(pre[0]) == ""
}

// Body is the step's text with the indentation lines have beyond the
// first level kept (code samples in narration), "" between paragraphs.
func (s *Step) Body() []string {
	base := -1
	for j, l := range s.Input {
		if l != "" && (base < 0 || len(s.indents[j]) < base) {
			base = len(s.indents[j])
		}
	}
	out := make([]string, len(s.Input))
	for j, l := range s.Input {
		if l != "" {
			out[j] = s.indents[j][base:] + l
		}
	}
	return out
}
