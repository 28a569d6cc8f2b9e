package admin

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"coordtui/cluster/event"
)

// Gap is a run of events a stream could not deliver, as an "event:
// dropped" record announces it: Dropped events between After and Before,
// Total missing on that connection so far.
type Gap struct {
	Dropped uint64 `json:"dropped"`
	After   uint64 `json:"after"`
	Before  uint64 `json:"before"`
	Total   uint64 `json:"total"`
}

// String reads "dropped 12 events (#41..#52)".
func (g Gap) String() string {
	return fmt.Sprintf("dropped %d events (#%d..#%d)", g.Dropped, g.After+1, g.Before-1)
}

// StreamItem is one thing Follow reports: an event (Event.Kind set), a gap,
// or a change in the connection.
type StreamItem struct {
	Event event.Event
	Gap   *Gap
	// Connected: the stream is open (again), resuming after sequence
	// number Resumed (0 on a fresh start).
	Connected bool
	Resumed   uint64
	// Restarted: the member's bus began again (the sequence went back, as
	// after the process restarted); what happened in between is unknown.
	Restarted bool
	// Err: the stream broke or could not open; Follow tries again.
	Err error
}

// FollowOptions say what Follow asks for.
type FollowOptions struct {
	Recent int          // on a fresh start, this many past events first
	Kinds  []event.Kind // only these kinds; nil for all
	After  uint64       // resume after this sequence number instead of a fresh start
	// Retry is the first wait before reconnecting, doubling up to
	// MaxRetry; defaults 200 ms and 5 s.
	Retry, MaxRetry time.Duration
}

// Follow reads /coordtui/events until ctx ends. When the stream breaks it
// reconnects, resuming with Last-Event-ID after the last event it
// delivered, so no event is delivered twice and whatever the member no
// longer keeps is reported as a Gap. fn runs on Follow's goroutine, in
// stream order, and must return quickly: the member drops events for a
// stream that is not read (and says so with a Gap). Follow returns ctx's
// error. A stream cut before it delivered anything knows no position to
// resume from and starts afresh (with Recent past events again).
func (c *Client) Follow(ctx context.Context, opts FollowOptions, fn func(StreamItem)) error {
	if opts.Retry <= 0 {
		opts.Retry = 200 * time.Millisecond
	}
	if opts.MaxRetry < opts.Retry {
		opts.MaxRetry = max(5*time.Second, opts.Retry)
	}
	last, wait := opts.After, opts.Retry
	for {
		delivered, err := c.followOnce(ctx, opts, &last, fn)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if delivered {
			wait = opts.Retry
		}
		if err == nil {
			err = errors.New("the event stream ended")
		}
		fn(StreamItem{Err: err})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, opts.MaxRetry)
	}
}

// followOnce opens the stream once, after *last, and reads it until it
// ends; it reports whether anything arrived.
func (c *Client) followOnce(ctx context.Context, opts FollowOptions, last *uint64, fn func(StreamItem)) (bool, error) {
	u := *c.base
	u.Path += "/coordtui/events"
	q := u.Query()
	if *last == 0 && opts.Recent > 0 {
		q.Set("recent", strconv.Itoa(opts.Recent))
	}
	if len(opts.Kinds) > 0 {
		names := make([]string, len(opts.Kinds))
		for i, k := range opts.Kinds {
			names[i] = k.String()
		}
		q.Set("kinds", strings.Join(names, ","))
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("Accept", "text/event-stream")
	if *last > 0 {
		req.Header.Set("Last-Event-ID", strconv.FormatUint(*last, 10))
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return false, fmt.Errorf("event stream %s: %w", c.base.Host, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		var e struct{ Error string }
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(data))
		}
		return false, &APIError{Status: resp.StatusCode, Path: "/coordtui/events", Msg: e.Error}
	}
	fn(StreamItem{Connected: true, Resumed: *last})
	first, delivered := true, false
	err = readSSE(resp.Body, func(rec sseRecord) error {
		if rec.event == "dropped" {
			var g Gap
			if err := json.Unmarshal([]byte(rec.data), &g); err != nil {
				return fmt.Errorf("a dropped notice: %w", err)
			}
			delivered = true
			fn(StreamItem{Gap: &g})
			return nil
		}
		var ev event.Event
		if err := json.Unmarshal([]byte(rec.data), &ev); err != nil {
			return fmt.Errorf("event %s: %w", rec.id, err)
		}
		if ev.Seq <= *last && *last != 0 {
			if !first {
				return nil // never twice
			}
			fn(StreamItem{Restarted: true})
		}
		first, delivered = false, true
		*last = ev.Seq
		fn(StreamItem{Event: ev})
		return nil
	})
	return delivered, err
}

// sseRecord is one server-sent event.
type sseRecord struct {
	id, event, data string
}

// readSSE calls fn for every event in r until r ends or fn fails. Comments
// and the retry hint are skipped; data lines are joined with newlines, as
// an EventSource joins them.
func readSSE(r io.Reader, fn func(sseRecord) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var rec sseRecord
	var data []string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if data != nil {
				rec.data = strings.Join(data, "\n")
				if err := fn(rec); err != nil {
					return err
				}
			}
			rec, data = sseRecord{}, nil
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			rec.id = value
		case "event":
			rec.event = value
		case "data":
			data = append(data, value)
		}
	}
}
