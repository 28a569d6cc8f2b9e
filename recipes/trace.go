package recipes

import (
	"context"
	"sync"
)

// Tracer receives every step of the recipes it is given to: each request
// twice (Phase Next before the gate, then Done or Failed), and the recipe's
// own moments (KindWoke, KindState, KindUse) once, Done. Trace is called on
// the recipe's goroutine; it must not block and must not call back into the
// recipe.
type Tracer interface {
	Trace(Step)
}

// TracerFunc adapts a function to Tracer.
type TracerFunc func(Step)

// Trace implements Tracer.
func (f TracerFunc) Trace(s Step) { f(s) }

// Tee sends every step to each tracer in turn.
func Tee(ts ...Tracer) Tracer {
	return TracerFunc(func(s Step) {
		for _, t := range ts {
			if t != nil {
				t.Trace(s)
			}
		}
	})
}

// Recorder keeps every step it is given, for transcripts and for waiting on
// what clients did. Safe for concurrent use.
type Recorder struct {
	mu      sync.Mutex
	steps   []Step
	changed chan struct{}
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{changed: make(chan struct{})} }

// Trace implements Tracer.
func (r *Recorder) Trace(s Step) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = append(r.steps, s)
	close(r.changed)
	r.changed = make(chan struct{})
}

// Steps returns a copy of every step recorded.
func (r *Recorder) Steps() []Step {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Step(nil), r.steps...)
}

// Lines returns the String of every finished step (Done or Failed), in the
// order recorded: the transcript.
func (r *Recorder) Lines() []string {
	var out []string
	for _, s := range r.Steps() {
		if s.Phase != Next {
			out = append(out, s.String())
		}
	}
	return out
}

// Reset forgets everything recorded.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = nil
}

// WaitFor blocks until cond holds for the steps recorded so far, or ctx
// ends, and returns those steps.
func (r *Recorder) WaitFor(ctx context.Context, cond func([]Step) bool) ([]Step, error) {
	for {
		r.mu.Lock()
		steps := append([]Step(nil), r.steps...)
		ch := r.changed
		r.mu.Unlock()
		if cond(steps) {
			return steps, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return steps, ctx.Err()
		}
	}
}
