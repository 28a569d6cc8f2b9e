package script

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Learner is the person a lesson talks to. The console implements it;
// headless, the script's own reference answers and solutions stand in, so
// the checks are exercised by every test run.
//
// Both methods are called on the Runner's goroutine and block until the
// learner is done; they should return ctx's error when ctx ends.
type Learner interface {
	// Answer shows q and returns the key of the choice picked ("b").
	// attempt counts from 1; after a wrong answer the Runner asks again.
	// ErrSkipped gives up on the question.
	Answer(ctx context.Context, q *Quiz, attempt int) (string, error)
	// Exercise shows x.Task and returns once the learner has done it,
	// which the learner's player finds out with x.Check (on a key, or
	// every second or so), or ErrSkipped. x.Solve does the reference
	// solution for a learner who asks to be shown.
	Exercise(ctx context.Context, x *Exercise) error
}

// Quiz is one multiple-choice question.
type Quiz struct {
	Question string
	Choices  []Choice
	Answer   string // the key of the right choice
	Why      string // said once the right answer is given
	tries    []string
}

// Choice is one answer on offer.
type Choice struct{ Key, Text string }

// Correct reports whether key is the right answer.
func (q *Quiz) Correct(key string) bool { return strings.EqualFold(strings.TrimSpace(key), q.Answer) }

var reChoice = regexp.MustCompile(`^([a-z])\)\s+(.*)$`)

// parseQuiz reads a quiz step's text: the question, "a) ..." choices,
// "answer: b", optional "why: ..." and, for the headless run, "try: a b"
// (wrong answers to give first, so that the feedback is tested too).
func parseQuiz(st *Step) (*Quiz, error) {
	q := &Quiz{}
	var question, why []string
	for _, l := range st.Input {
		switch m := reChoice.FindStringSubmatch(l); {
		case m != nil:
			q.Choices = append(q.Choices, Choice{Key: m[1], Text: m[2]})
		case strings.HasPrefix(l, "answer:"):
			q.Answer = strings.TrimSpace(strings.TrimPrefix(l, "answer:"))
		case strings.HasPrefix(l, "why:"):
			why = append(why, strings.TrimSpace(strings.TrimPrefix(l, "why:")))
		case strings.HasPrefix(l, "try:"):
			q.tries = strings.Fields(strings.TrimPrefix(l, "try:"))
		case len(q.Choices) == 0:
			question = append(question, l)
		case len(why) > 0:
			why = append(why, l)
		default:
			return nil, fmt.Errorf("quiz: %q after the choices", l)
		}
	}
	q.Question = strings.TrimSpace(strings.Join(question, "\n"))
	q.Why = strings.Join(why, " ")
	ok := false
	for _, c := range q.Choices {
		ok = ok || c.Key == q.Answer
	}
	if q.Question == "" || !ok {
		return nil, fmt.Errorf("quiz needs a question, choices and an answer: that is one of them")
	}
	return q, nil
}

// Exercise is a task the learner does on the live ensemble.
type Exercise struct {
	Name     string
	Task     string
	Solution []string // script command lines that do it
	Checks   []string // predicates that must all hold once it is done

	mu  sync.Mutex // Check and Solve may be called from the player's goroutines
	env *Env
}

// parseExercise reads an exercise step's text: the task, then "do: ..."
// lines (the reference solution) and "check: ..." lines (predicates).
func parseExercise(env *Env, st *Step) (*Exercise, error) {
	x := &Exercise{Name: st.Arguments().Arg(0), env: env}
	var task []string
	for _, l := range st.Body() {
		switch {
		case strings.HasPrefix(l, "do:"):
			x.Solution = append(x.Solution, strings.TrimSpace(strings.TrimPrefix(l, "do:")))
		case strings.HasPrefix(l, "check:"):
			x.Checks = append(x.Checks, strings.TrimSpace(strings.TrimPrefix(l, "check:")))
		default:
			task = append(task, l)
		}
	}
	x.Task = strings.TrimSpace(strings.Join(task, "\n"))
	if len(x.Checks) == 0 || len(x.Solution) == 0 {
		return nil, fmt.Errorf("exercise %s needs do: and check: lines", x.Name)
	}
	for _, c := range x.Checks {
		if _, ok := env.reg.Predicate(strings.Fields(c)[0]); !ok {
			return nil, fmt.Errorf("exercise %s: unknown predicate in %q", x.Name, c)
		}
	}
	return x, nil
}

// Check looks at the ensemble once and reports whether every check holds,
// with each check's claim.
func (x *Exercise) Check(ctx context.Context) (bool, []Claim) {
	x.mu.Lock()
	defer x.mu.Unlock()
	all := true
	var claims []Claim
	for _, line := range x.Checks {
		st, err := parseLine(line)
		var o Observation
		if err == nil {
			p, _ := x.env.reg.Predicate(st.Cmd)
			o, err = p.Check(ctx, x.env, st.Arguments())
		}
		if err != nil {
			o = Observation{Claim: line, Seen: err.Error()}
		}
		if o.Claim == "" {
			o.Claim = line
		}
		all = all && o.OK
		claims = append(claims, Claim{Text: o.Claim, Held: o.OK, Seen: o.Seen})
	}
	return all, claims
}

// Solve runs the reference solution and returns its transcript.
func (x *Exercise) Solve(ctx context.Context) ([]string, error) {
	var lines []string
	for _, line := range x.Solution {
		out, err := x.Do(ctx, line)
		lines = append(lines, "> "+line)
		lines = append(lines, out...)
		if err != nil {
			return lines, err
		}
	}
	return lines, nil
}

// Verbs are the script commands the exercise's solution uses that a
// learner cannot do from outside the lesson's process ("recipe": a recipe
// held at its gate runs inside it), so a player lets the learner type
// them; "zk", "worker" and the like have equivalents on any console.
func (x *Exercise) Verbs() []string {
	var verbs []string
	for _, line := range x.Solution {
		if v, _, _ := strings.Cut(strings.TrimSpace(line), " "); v == "recipe" && !slices.Contains(verbs, v) {
			verbs = append(verbs, v)
		}
	}
	return verbs
}

// Do runs one script command line the learner typed (or the solution
// has) against the exercise's ensemble and returns what it printed. It may
// be called while the Runner waits in Learner.Exercise, from any one
// goroutine at a time (Check, Solve and Do exclude one another).
func (x *Exercise) Do(ctx context.Context, line string) ([]string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	st, err := parseLine(line)
	if err != nil {
		return nil, err
	}
	cmd, ok := x.env.reg.Command(st.Cmd)
	if !ok {
		return nil, fmt.Errorf("unknown command %q", st.Cmd)
	}
	out := &Out{}
	err = cmd.Run(ctx, x.env, st, out)
	return out.lines, err
}

// parseLine makes a one-line step ("zk you create /a") outside a file.
func parseLine(line string) (*Step, error) {
	s, err := Parse("line", line)
	if err != nil {
		return nil, err
	}
	if len(s.Steps) != 1 {
		return nil, fmt.Errorf("%q is not one command", line)
	}
	return s.Steps[0], nil
}
