package zkcli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// result is what a command produced. In text mode it prints itself as zkCli
// does (some lines go to errw: zkCli prints "Created /a" on stderr); in JSON
// mode the value itself is encoded to out.
type result interface {
	text(out, errw io.Writer)
}

// command is one entry of the command table.
type command struct {
	name    string
	usage   string // zkCli's option string: "[-s] [-w] path"
	opts    optSpec
	minArgs int  // words needed, the command's name included
	offline bool // runs without a live session
	run     func(s *Shell, ctx context.Context, c *cmdline, errw io.Writer) (result, error)
	// confirm returns the question to ask before the command changes an
	// ensemble that is not coordtui, or "" when nothing needs asking.
	confirm func(s *Shell, ctx context.Context, c *cmdline) (string, error)
}

func (c *command) usageLine() string { return c.name + " " + c.usage }

// commands is the table, by name. zkCli's names and option strings are kept
// exactly, including its capitalisation (getAcl, addauth, removewatches).
var commands = map[string]*command{}

func register(cmds ...*command) {
	for _, c := range cmds {
		commands[c.name] = c
	}
}

// Commands lists every command's name, sorted, for completion and help.
func Commands() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// usage prints the command list as zkCli's usage() does.
func (s *Shell) usage(w io.Writer) {
	fmt.Fprintln(w, "coordtui cli -server host:port [-o json] [--yes] cmd args")
	for _, n := range Commands() {
		fmt.Fprintf(w, "\t%s\n", commands[n].usageLine())
	}
}

func writeJSON(w io.Writer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fmt.Fprintf(w, "{\"error\":%q}\n", err.Error())
		return
	}
	w.Write(append(b, '\n'))
}

// lines is output that is plain text lines in both modes.
type lines []string

func (l lines) text(out, _ io.Writer) {
	for _, s := range l {
		fmt.Fprintln(out, s)
	}
}

func (l lines) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"output": []string(l)})
}

// silent is the result of a command that prints nothing in zkCli; in JSON
// it reports what was done.
type silent map[string]any

func (silent) text(io.Writer, io.Writer) {}

func init() {
	register(
		&command{name: "help", usage: "", offline: true, minArgs: 1,
			run: func(s *Shell, _ context.Context, _ *cmdline, _ io.Writer) (result, error) {
				var b strings.Builder
				s.usage(&b)
				return lines(strings.Split(strings.TrimRight(b.String(), "\n"), "\n")), nil
			}},
	)
}
