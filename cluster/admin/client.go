package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"coordtui/cluster/faultnet"
)

// Client reads one member's admin API from another process: its status,
// its fault tables and its event stream (Follow), and asks for faults when
// the member allows them and the client has the token. It is what `coordtui
// attach --admin` uses; its methods are safe for concurrent use and each
// blocks for one request, bounded by its context.
type Client struct {
	base  *url.URL
	token string
	hc    *http.Client
}

// NewClient returns a client of the admin API at base ("http://HOST:PORT";
// a bare "HOST:PORT" means http). token is presented to fault control as
// "Authorization: Bearer <token>"; "" leaves fault control alone. hc nil
// means a client of its own without an overall timeout, which the event
// stream needs; requests are bounded by their contexts instead.
func NewClient(base, token string, hc *http.Client) (*Client, error) {
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("admin address %q: %w", base, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("admin address %q: want http://HOST:PORT", base)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	if hc == nil {
		hc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	return &Client{base: u, token: token, hc: hc}, nil
}

// String is the API's base address, "http://127.0.0.1:8080".
func (c *Client) String() string { return c.base.String() }

// HasToken reports whether the client was given a token for fault control.
func (c *Client) HasToken() bool { return c.token != "" }

// The errors an APIError wraps, by status, so callers can tell "fault
// control is off on that member" from "the token is wrong" with errors.Is.
var (
	ErrFaultsOff   = errors.New("fault control is off on this member")   // 403
	ErrBadToken    = errors.New("fault control refused the token")       // 401
	ErrNotFound    = errors.New("no such member, link, conn or session") // 404
	ErrUnsupported = errors.New("this member cannot do that")            // 501
)

// APIError is an answer with a 4xx or 5xx status: the API's own message,
// which says what was wrong in words.
type APIError struct {
	Status int
	Path   string
	Msg    string
}

func (e *APIError) Error() string { return fmt.Sprintf("%s (%d)", e.Msg, e.Status) }

// Unwrap gives the sentinel for the status, if it has one.
func (e *APIError) Unwrap() error {
	switch e.Status {
	case http.StatusForbidden:
		return ErrFaultsOff
	case http.StatusUnauthorized:
		return ErrBadToken
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusNotImplemented:
		return ErrUnsupported
	}
	return nil
}

// do sends one request and decodes a JSON answer into out (unless nil).
func (c *Client) do(ctx context.Context, method, path string, form url.Values, out any) error {
	u := *c.base
	u.Path += path
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.token != "" && method == http.MethodPost {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("admin API %s: %w", c.base.Host, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("admin API %s%s: %w", c.base.Host, path, err)
	}
	if resp.StatusCode >= 400 {
		var e struct{ Error string }
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(data))
		}
		return &APIError{Status: resp.StatusCode, Path: path, Msg: e.Error}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("admin API %s%s: %w", c.base.Host, path, err)
	}
	return nil
}

// Status reads GET /coordtui/status.
func (c *Client) Status(ctx context.Context) (StatusResponse, error) {
	var s StatusResponse
	err := c.do(ctx, http.MethodGet, "/coordtui/status", nil, &s)
	return s, err
}

// FaultState is the body of GET /coordtui/faults.
type FaultState struct {
	Enabled bool `json:"enabled"`
	// Self is set by a member on its own (coordtui server): its tables
	// govern only its own links, and other members' APIs hold theirs.
	// Empty for an API that runs the whole ensemble (coordtui up).
	Self  string      `json:"self,omitempty"`
	Links *LinkTable  `json:"links"` // nil: the member has no link fault table
	Conns []ConnState `json:"conns"`
}

// LinkTable is the link fault table as the API sends it.
type LinkTable struct {
	Members []string   `json:"members"`
	Links   []LinkJSON `json:"links"`
}

// LinkJSON is one directed link.
type LinkJSON struct {
	From    string  `json:"from"`
	To      string  `json:"to"`
	Fault   string  `json:"fault"`
	Cut     bool    `json:"cut"`
	Hold    bool    `json:"hold"`
	DelayNs int64   `json:"delay_ns"`
	Loss    float64 `json:"loss"`
	Held    int     `json:"held"`
}

// ConnState is one client connection in the connection fault table.
type ConnState struct {
	ID     uint64 `json:"id"`
	Member string `json:"member"`
	Client string `json:"client"`
	Remote string `json:"remote"`
	Frozen bool   `json:"frozen"`
	Opened string `json:"opened"`
}

// Matrix is the table as faultnet.Matrix, the value the console draws.
func (t LinkTable) Matrix() faultnet.Matrix {
	m := faultnet.Matrix{Members: append([]string(nil), t.Members...)}
	for _, l := range t.Links {
		m.Links = append(m.Links, faultnet.LinkState{From: l.From, To: l.To, Held: l.Held,
			Fault: faultnet.Fault{Cut: l.Cut, Hold: l.Hold, Delay: time.Duration(l.DelayNs), Loss: l.Loss}})
	}
	return m
}

// Faults reads GET /coordtui/faults.
func (c *Client) Faults(ctx context.Context) (FaultState, error) {
	var s FaultState
	err := c.do(ctx, http.MethodGet, "/coordtui/faults", nil, &s)
	return s, err
}

// Fault asks for one fault action, "links/cut" with params from=n1 to=n2,
// and returns the API's description of what it did ("n1<->n2 cut"). A
// refusal is an *APIError wrapping ErrFaultsOff, ErrBadToken, ErrNotFound
// or ErrUnsupported where those apply.
func (c *Client) Fault(ctx context.Context, action string, params url.Values) (string, error) {
	if params == nil {
		params = url.Values{}
	}
	var out struct {
		Detail string `json:"detail"`
	}
	if err := c.do(ctx, http.MethodPost, "/coordtui/faults/"+action, params, &out); err != nil {
		return "", fmt.Errorf("%s: %w", action, err)
	}
	return out.Detail, nil
}

// Command reads one of ZooKeeper's AdminServer commands, GET
// /commands/{name}, into out (a struct with the keys the package
// documentation lists, or a map). A command that answers with an "error"
// is returned as that error.
func (c *Client) Command(ctx context.Context, name string, out any) error {
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodGet, "/commands/"+url.PathEscape(name), nil, &raw); err != nil {
		return err
	}
	var e struct {
		Error *string `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error != nil {
		return fmt.Errorf("%s: %s", name, *e.Error)
	}
	return json.Unmarshal(raw, out)
}
