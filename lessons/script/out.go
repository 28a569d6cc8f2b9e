package script

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Out collects what one step prints and claims. Commands write to it; the
// Runner turns it into a Result.
type Out struct {
	lines  []string
	claims []Claim
	about  Concerns
}

// Claim is one thing a step asserted about the ensemble: a wait that was
// met, an assert, an exercise check, a write that had to be refused.
type Claim struct {
	Text string // what was claimed, in stable words
	Held bool
	Seen string // what was observed instead, when it did not hold
}

// String is the claim's transcript line.
func (c Claim) String() string {
	if c.Held {
		return "ok: " + c.Text
	}
	if c.Seen == "" {
		return "FAILED: " + c.Text
	}
	return "FAILED: " + c.Text + " (saw: " + c.Seen + ")"
}

// Printf adds transcript lines; text with newlines adds several. Empty
// lines are dropped, since an empty line ends a transcript in the file.
func (o *Out) Printf(format string, args ...any) {
	o.Print(fmt.Sprintf(format, args...))
}

// Print adds text as transcript lines, as Printf does.
func (o *Out) Print(text string) {
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimRight(l, " \t"); l != "" {
			o.lines = append(o.lines, l)
		}
	}
}

// Claim records a claim and prints its line.
func (o *Out) Claim(held bool, text, seen string) {
	c := Claim{Text: text, Held: held, Seen: seen}
	o.claims = append(o.claims, c)
	o.lines = append(o.lines, c.String())
}

// About records what the step concerns, for the console to highlight.
// Members are given by id; znodes, workers and clients by name.
func (o *Out) About(c Concerns) { o.about = o.about.merge(c) }

// Lines returns what was printed so far.
func (o *Out) Lines() []string { return slices.Clone(o.lines) }

// Concerns names what a step talks about, so the console can highlight it
// on screen while the step is shown.
type Concerns struct {
	Members []uint64 // member ids
	Names   []string // members as the script names them ("n2", "leader", "L2")
	Znodes  []string
	Workers []string // "w1"
	Clients []string // "c1"
}

// IsZero reports whether nothing is concerned.
func (c Concerns) IsZero() bool {
	return len(c.Members)+len(c.Names)+len(c.Znodes)+len(c.Workers)+len(c.Clients) == 0
}

func (c Concerns) merge(d Concerns) Concerns {
	u := func(a, b []string) []string {
		out := slices.Clone(a)
		for _, x := range b {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		return out
	}
	out := Concerns{Names: u(c.Names, d.Names), Znodes: u(c.Znodes, d.Znodes),
		Workers: u(c.Workers, d.Workers), Clients: u(c.Clients, d.Clients), Members: slices.Clone(c.Members)}
	for _, m := range d.Members {
		if !slices.Contains(out.Members, m) {
			out.Members = append(out.Members, m)
		}
	}
	return out
}

var (
	reMember = regexp.MustCompile(`\b(n[1-9])\b`)
	reWorker = regexp.MustCompile(`\b(w[0-9]+)\b`)
	reZnode  = regexp.MustCompile(`(?:^|[\s(=,"'])(/[A-Za-z0-9_./-]*[A-Za-z0-9_-])`)
	reRole   = regexp.MustCompile(`\b(leader|followers?)\b`)
)

// Concerns is what the step talks about as written, before it runs:
// members, znodes and workers named in its line and its text, and those
// listed in an about=... argument. Clients are named by the commands that
// use them. Run adds what only running can tell (which member is the
// leader now).
func (s *Step) Concerns() Concerns {
	var c Concerns
	text := s.Raw + "\n" + s.Text()
	add := func(list *[]string, v string) {
		if !slices.Contains(*list, v) {
			*list = append(*list, v)
		}
	}
	for _, m := range reMember.FindAllString(text, -1) {
		add(&c.Names, m)
	}
	for _, m := range reRole.FindAllString(s.Raw, -1) {
		add(&c.Names, m)
	}
	for _, m := range reWorker.FindAllString(text, -1) {
		add(&c.Workers, m)
	}
	for _, m := range reZnode.FindAllStringSubmatch(text, -1) {
		add(&c.Znodes, m[1])
	}
	for _, a := range s.Arguments().List("about") {
		switch {
		case strings.HasPrefix(a, "/"):
			add(&c.Znodes, a)
		case reWorker.MatchString(a):
			add(&c.Workers, a)
		default:
			add(&c.Names, a)
		}
	}
	return c
}
