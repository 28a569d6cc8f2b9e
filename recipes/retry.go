package recipes

import (
	"context"
	"errors"
	"time"

	"coordtui/cluster/zk"
)

// RetryPolicy decides whether an operation that failed with connection loss
// is tried again, and after how long. Recipes ask it only about errors that
// leave the outcome safe to retry (reads, deletes, creates whose result the
// recipe can find again); session loss is never retried.
type RetryPolicy interface {
	// Next returns how long to wait before attempt number attempt (1 for
	// the first retry) after err, or false to give up.
	Next(attempt int, err error) (time.Duration, bool)
}

// Backoff is exponential backoff: Base, 2·Base, 4·Base ... capped at Max,
// for at most Attempts retries. Curator's ExponentialBackoffRetry without
// the jitter (the core is deterministic; jitter only spreads real
// clients, which are few here).
type Backoff struct {
	Base     time.Duration
	Max      time.Duration
	Attempts int
}

// DefaultRetry retries connection loss ten times from 50 ms up to 2 s.
var DefaultRetry RetryPolicy = Backoff{Base: 50 * time.Millisecond, Max: 2 * time.Second, Attempts: 10}

// NoRetry never retries.
var NoRetry RetryPolicy = Backoff{}

// Next implements RetryPolicy.
func (b Backoff) Next(attempt int, err error) (time.Duration, bool) {
	if attempt > b.Attempts {
		return 0, false
	}
	d := b.Base
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	return min(d, max(b.Max, b.Base)), true
}

// retryable reports whether err is a connection loss a retry may cure.
func retryable(err error) bool {
	return errors.Is(err, zk.ErrConnectionLoss) || errors.Is(err, zk.ErrOperationTimeout)
}

// withRetry runs op until it succeeds, fails with an error that is not
// connection loss, the policy gives up, or ctx ends.
func withRetry(ctx context.Context, p RetryPolicy, op func() error) error {
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil || !retryable(err) {
			return err
		}
		d, ok := p.Next(attempt, err)
		if !ok {
			return err
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		}
	}
}
