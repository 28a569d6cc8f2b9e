package recipes

import (
	"context"
	"coordtui/cluster/goldenfile"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

var tokenRE = regexp.MustCompile(`0x[0-9a-f]+_[0-9a-f]{8}`)

// masked replaces tokens (zxids differ between runs and backends) with T.
func masked(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = tokenRE.ReplaceAllString(l, "T")
	}
	return out
}

// golden compares a transcript with testdata/name, re-recording it with
// -rewrite.
func golden(t testing.TB, name string, got []string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), strings.Join(got, "\n")+"\n", *rewrite, "rewrite")
}

// script drives clients through a gate one request at a time and keeps the
// transcript. Each action (a step, or a wait the test makes) is an epoch;
// within one, lines are ordered by client, so events that race between
// clients (one's reply, another's notification) print the same every run.
type script struct {
	t     testing.TB
	g     *StepGate
	mu    sync.Mutex
	epoch int
	recs  []epochStep
	done  map[string]int // finished requests per client
	more  chan struct{}
}

type epochStep struct {
	epoch int
	step  Step
}

func newScript(t testing.TB) *script {
	return &script{t: t, g: NewStepGate(), done: make(map[string]int), more: make(chan struct{})}
}

// opts gives a client of the script its name, gate and tracer.
func (s *script) opts(name string) []Option {
	return []Option{WithName(name), WithGate(s.g), WithTracer(s)}
}

// Trace implements Tracer.
func (s *script) Trace(st Step) {
	if st.Phase == Next {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, epochStep{s.epoch, st})
	if st.Kind.IsRequest() || st.Kind == KindUse {
		s.done[st.Client]++
	}
	close(s.more)
	s.more = make(chan struct{})
}

// mark starts a new epoch.
func (s *script) mark() {
	s.mu.Lock()
	s.epoch++
	s.mu.Unlock()
}

// step lets client's next request through and waits until it finished.
func (s *script) step(ctx context.Context, client string) Step {
	s.t.Helper()
	s.mark()
	s.mu.Lock()
	before := s.done[client]
	s.mu.Unlock()
	st, err := s.g.Step(ctx, client)
	if err != nil {
		s.t.Fatalf("step %s: %v", client, err)
	}
	for {
		s.mu.Lock()
		n, more := s.done[client], s.more
		s.mu.Unlock()
		if n > before {
			return st
		}
		select {
		case <-more:
		case <-ctx.Done():
			s.t.Fatalf("%s's step %v never finished", client, st)
		}
	}
}

// steps lets each client named take one step, in order.
func (s *script) steps(ctx context.Context, clients ...string) {
	s.t.Helper()
	for _, c := range clients {
		s.step(ctx, c)
	}
}

// lines is the transcript so far.
func (s *script) lines() []string {
	s.mu.Lock()
	recs := append([]epochStep(nil), s.recs...)
	s.mu.Unlock()
	slices.SortStableFunc(recs, func(a, b epochStep) int {
		if a.epoch != b.epoch {
			return a.epoch - b.epoch
		}
		return strings.Compare(a.step.Client, b.step.Client)
	})
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.step.String()
	}
	return out
}

// waiting waits until client waits on a watch.
func (s *script) waiting(ctx context.Context, client string) {
	s.t.Helper()
	s.mark()
	for {
		s.mu.Lock()
		var last Step
		for i := len(s.recs) - 1; i >= 0; i-- {
			if s.recs[i].step.Client == client {
				last = s.recs[i].step
				break
			}
		}
		more := s.more
		s.mu.Unlock()
		if last.Wait && last.Phase == Done {
			return
		}
		select {
		case <-more:
		case <-ctx.Done():
			s.t.Fatalf("%s never waited (last: %v)", client, last)
		}
	}
}
