package script

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Headless plays s to the end without a console and writes the narrated
// transcript to w: the narration as paragraphs, every command with what
// it printed, every claim with whether it held. It reports whether every
// claim held and every step ran. The error is for a script that cannot be
// played at all (an unknown command) or ctx ending.
func Headless(ctx context.Context, s *Script, cfg Config, w io.Writer) (bool, error) {
	r, err := NewRunner(s, cfg)
	if err != nil {
		return false, err
	}
	defer r.Close()
	p := NewPrinter(w)
	p.Header(s)
	for !r.Done() {
		res, err := r.Next(ctx)
		p.Result(res)
		if err != nil {
			return false, err
		}
	}
	held, failed := r.Tally()
	p.gap()
	p.line(fmt.Sprintf("%d claim%s held, %d failed", held, plural(held), failed))
	if n := len(r.Mismatches()); n > 0 {
		// Not a failed claim: a bigger N (Config.Vars) prints other counts.
		p.line(fmt.Sprintf("(%d step%s printed other than the script records)", n, plural(n)))
	}
	return failed == 0, nil
}

// Printer writes a played script as the headless transcript shows it:
// narration as wrapped paragraphs, commands after "$ " with their output
// indented, one empty line between narration and commands.
type Printer struct {
	w     io.Writer
	blank bool // the last line written was empty (or nothing was written)
}

// NewPrinter writes to w.
func NewPrinter(w io.Writer) *Printer { return &Printer{w: w, blank: true} }

func (p *Printer) line(s string) {
	fmt.Fprintln(p.w, s)
	p.blank = s == ""
}

// gap writes an empty line unless the last one was empty.
func (p *Printer) gap() {
	if !p.blank {
		p.line("")
	}
}

// Header writes the script's title and its claim or summary.
func (p *Printer) Header(s *Script) {
	title := s.Meta("title")
	if title == "" {
		title = s.Name
	}
	p.line("== " + title + " ==")
	for _, m := range []string{"claim", "summary"} {
		if text := s.Meta(m); text != "" {
			p.gap()
			for _, l := range Wrap(m+": "+text, 76) {
				p.line(l)
			}
		}
	}
	p.gap()
}

// Result writes one step.
func (p *Printer) Result(res Result) {
	st := res.Step
	switch st.Cmd {
	case "title", "claim", "summary":
		return
	case "narrate":
		p.gap()
		for _, l := range Paragraphs(st.Body(), 76) {
			p.line(l)
		}
		p.gap()
		return
	case "quiz":
		p.gap()
		p.line("Quiz:")
		for _, l := range st.Body() {
			if !strings.HasPrefix(l, "answer:") && !strings.HasPrefix(l, "try:") && !strings.HasPrefix(l, "why:") {
				p.line("  " + l)
			}
		}
	case "exercise":
		p.gap()
		p.line("Exercise " + st.Arguments().Arg(0) + ":")
		for _, l := range st.Body() {
			if !strings.HasPrefix(l, "do:") && !strings.HasPrefix(l, "check:") {
				p.line("  " + l)
			}
		}
	default:
		p.line("$ " + st.Line0())
	}
	for _, l := range res.Lines {
		p.line("  " + l)
	}
	if st.Cmd == "quiz" || st.Cmd == "exercise" {
		p.gap()
	}
}

// Paragraphs wraps text lines to width: runs of plain lines are joined and
// wrapped as a paragraph; indented lines (code) are kept as they are; ""
// separates paragraphs.
func Paragraphs(lines []string, width int) []string {
	var out, para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, Wrap(strings.Join(para, " "), width)...)
			para = nil
		}
	}
	for _, l := range lines {
		switch {
		case l == "":
			flush()
			out = append(out, "")
		case strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t"):
			flush()
			out = append(out, l)
		case strings.HasPrefix(l, "- "):
			// A list item starts a paragraph of its own.
			flush()
			para = append(para, l)
		default:
			para = append(para, l)
		}
	}
	flush()
	return out
}

// Wrap breaks text into lines of at most width runes, at spaces.
func Wrap(text string, width int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > width {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
