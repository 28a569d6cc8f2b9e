package script

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Result is what running one step produced.
type Result struct {
	Step     *Step
	Lines    []string // the transcript, as the golden file holds it
	Claims   []Claim  // every claim the step made (a failed one is also in Lines)
	Err      error    // the step could not be run (also printed in Lines)
	Concerns Concerns // what the step talked about, members resolved
}

// Failed reports whether the step failed or made a claim that did not hold.
func (r Result) Failed() bool {
	if r.Err != nil {
		return true
	}
	for _, c := range r.Claims {
		if !c.Held {
			return true
		}
	}
	return false
}

// Matches reports whether the transcript is the one the script expects.
func (r Result) Matches() bool { return slices.Equal(r.Lines, r.Step.Want) }

// Runner plays a script step by step against the real ensemble its steps
// build. It is meant for one goroutine: Next, Replay and Close must not be
// called concurrently; the console calls them from a command goroutine and
// reads Env's goroutine-safe accessors from its own.
//
// Playing is forward only, as the ensemble is: a player shows earlier
// steps again from Results, or rebuilds the world up to a step with
// Replay.
type Runner struct {
	script  *Script
	cfg     Config
	env     *Env
	results []Result
}

// NewRunner prepares s; nothing runs until Next. It fails if the script
// uses a command or predicate the registry does not know.
func NewRunner(s *Script, cfg Config) (*Runner, error) {
	env := newEnv(cfg)
	if err := env.reg.Check(s); err != nil {
		return nil, err
	}
	return &Runner{script: s, cfg: env.cfg, env: env}, nil
}

// Script is the script being played.
func (r *Runner) Script() *Script { return r.script }

// Env is the world the script acts on.
func (r *Runner) Env() *Env { return r.env }

// Pos is the index of the step Next runs; Len when done.
func (r *Runner) Pos() int { return len(r.results) }

// Len is the number of steps.
func (r *Runner) Len() int { return len(r.script.Steps) }

// Done reports whether every step has run.
func (r *Runner) Done() bool { return r.Pos() >= r.Len() }

// Results are the steps run so far, in order.
func (r *Runner) Results() []Result { return slices.Clone(r.results) }

// Next runs the next step and returns what it produced; io.EOF when every
// step has run. A failed claim or step does not stop the script: the
// result says so, and the player decides. It blocks while the step runs
// (a wait may take seconds, an exercise as long as the learner needs);
// cancelling ctx ends the step with ctx's error.
func (r *Runner) Next(ctx context.Context) (Result, error) {
	if r.Done() {
		return Result{}, io.EOF
	}
	st := r.script.Steps[r.Pos()]
	res := r.run(ctx, st)
	r.results = append(r.results, res)
	return res, ctx.Err()
}

func (r *Runner) run(ctx context.Context, st *Step) (res Result) {
	out := &Out{}
	st, err := r.env.expand(st)
	res.Step = st
	defer func() {
		// A command must not take the player down with it.
		if p := recover(); p != nil {
			res.Err = fmt.Errorf("internal error in %s: %v", st.Cmd, p)
			out.Printf("error: %v", res.Err)
		}
		res.Lines, res.Claims = out.lines, out.claims
		res.Concerns = st.Concerns().merge(out.about)
	}()
	cmd, ok := r.env.reg.Command(st.Cmd)
	switch {
	case err != nil:
		res.Err = err
	case !ok:
		res.Err = fmt.Errorf("unknown command %q", st.Cmd)
	default:
		res.Err = cmd.Run(ctx, r.env, st, out)
	}
	if res.Err != nil {
		out.Printf("error: %s", r.env.Render(res.Err.Error()))
	}
	return res
}

// Run plays every remaining step.
func (r *Runner) Run(ctx context.Context) error {
	for !r.Done() {
		if _, err := r.Next(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Replay starts over and runs the first n steps again, on a new ensemble:
// how a player goes back. The earlier results are replaced.
func (r *Runner) Replay(ctx context.Context, n int) error {
	r.env.reset()
	r.results = nil
	for r.Pos() < min(n, r.Len()) {
		if _, err := r.Next(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Tally counts the claims made so far: held and failed (failed steps
// count as failed claims).
func (r *Runner) Tally() (held, failed int) {
	for _, res := range r.results {
		if res.Err != nil {
			failed++
		}
		for _, c := range res.Claims {
			if c.Held {
				held++
			} else {
				failed++
			}
		}
	}
	return held, failed
}

// Mismatches lists the steps whose transcript differs from the script's.
func (r *Runner) Mismatches() []Result {
	var out []Result
	for _, res := range r.results {
		if !res.Matches() {
			out = append(out, res)
		}
	}
	return out
}

// Rewritten is the script file with the transcripts of the steps run so far
// replaced by what they printed: the -rewrite of golden tests.
func (r *Runner) Rewritten() string {
	got := make([][]string, len(r.results))
	for i, res := range r.results {
		got[i] = res.Lines
	}
	return r.script.Format(got)
}

// Close stops everything the script started: clients, workers, extension
// goroutines, the ensemble.
func (r *Runner) Close() error {
	r.env.reset()
	return nil
}

// ErrSkipped is what a Learner returns for an exercise or quiz the learner
// chose to skip; the step's claim then fails.
var ErrSkipped = errors.New("skipped")
