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

// retryingReads retries the calls that change nothing (reads, watches,
// sync) under a policy, as Curator runs every operation in its RetryLoop:
// a member that loses its leader answers connection loss for a moment, and
// a recipe should carry on from the next member rather than fail. Writes
// stay with their recipe, which knows how to find out whether a lost one
// landed.
type retryingReads struct {
	Client
	policy RetryPolicy
}

func (r retryingReads) Exists(ctx context.Context, path string) (st *zk.Stat, err error) {
	err = withRetry(ctx, r.policy, func() error { st, err = r.Client.Exists(ctx, path); return err })
	return st, err
}

func (r retryingReads) ExistsW(ctx context.Context, path string) (st *zk.Stat, ch <-chan zk.WatchEvent, err error) {
	err = withRetry(ctx, r.policy, func() error { st, ch, err = r.Client.ExistsW(ctx, path); return err })
	return st, ch, err
}

func (r retryingReads) Get(ctx context.Context, path string) (b []byte, st *zk.Stat, err error) {
	err = withRetry(ctx, r.policy, func() error { b, st, err = r.Client.Get(ctx, path); return err })
	return b, st, err
}

func (r retryingReads) GetW(ctx context.Context, path string) (b []byte, st *zk.Stat, ch <-chan zk.WatchEvent, err error) {
	err = withRetry(ctx, r.policy, func() error { b, st, ch, err = r.Client.GetW(ctx, path); return err })
	return b, st, ch, err
}

func (r retryingReads) Children2(ctx context.Context, path string) (kids []string, st *zk.Stat, err error) {
	err = withRetry(ctx, r.policy, func() error { kids, st, err = r.Client.Children2(ctx, path); return err })
	return kids, st, err
}

func (r retryingReads) ChildrenW(ctx context.Context, path string) (kids []string, st *zk.Stat, ch <-chan zk.WatchEvent, err error) {
	err = withRetry(ctx, r.policy, func() error { kids, st, ch, err = r.Client.ChildrenW(ctx, path); return err })
	return kids, st, ch, err
}

func (r retryingReads) Sync(ctx context.Context, path string) (p string, err error) {
	err = withRetry(ctx, r.policy, func() error { p, err = r.Client.Sync(ctx, path); return err })
	return p, err
}

func (r retryingReads) GetEphemerals(ctx context.Context, prefix string) (ps []string, err error) {
	err = withRetry(ctx, r.policy, func() error { ps, err = r.Client.GetEphemerals(ctx, prefix); return err })
	return ps, err
}

// unwrap returns the client a recipe was given.
func unwrap(c Client) Client {
	if r, ok := c.(retryingReads); ok {
		return r.Client
	}
	return c
}
