package admin

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"coordtui/cluster/faultnet"
)

// faultAction is one parsed /coordtui/faults request. Parsing is apart
// from acting so that it can be checked (and fuzzed) without breaking
// anything.
type faultAction struct {
	group, action string
	from, to      string // members, "n1"
	oneWay        bool   // links/cut: only from->to
	fault         faultnet.Fault
	a, b          []string // links/split
	member        string   // links/isolate, members/*
	memberID      uint64
	conn          uint64 // conns/*
	client        string // conns/cut by client label
	session       int64  // sessions/expire
}

// faultActions lists every action by group, for errors and the docs.
var faultActions = map[string][]string{
	"links":    {"cut", "heal", "set", "split", "isolate", "release"},
	"members":  {"crash", "restart"},
	"conns":    {"cut", "freeze", "thaw"},
	"sessions": {"expire"},
}

var errBadRequest = errors.New("bad fault request")

func badf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errBadRequest, fmt.Sprintf(format, args...))
}

// parseFault reads a fault action from its path segments and its form
// (query string or urlencoded body).
func parseFault(group, action string, form url.Values) (faultAction, error) {
	fa := faultAction{group: group, action: action}
	known, ok := faultActions[group]
	if !ok {
		return fa, badf("no fault group %q (links, members, conns, sessions)", group)
	}
	if !contains(known, action) {
		return fa, badf("no action %s/%s (%s)", group, action, strings.Join(known, ", "))
	}
	var err error
	switch group {
	case "links":
		err = fa.parseLink(form)
	case "members":
		if fa.member, err = memberName(form.Get("member")); err == nil {
			fa.memberID, _ = strconv.ParseUint(fa.member[1:], 10, 8)
		}
	case "conns":
		err = fa.parseConn(form)
	case "sessions":
		fa.session, err = parseSession(form.Get("id"))
	}
	return fa, err
}

func (fa *faultAction) parseLink(form url.Values) error {
	var err error
	pair := func(required bool) error {
		f, t := form.Get("from"), form.Get("to")
		if f == "" && t == "" && !required {
			return nil
		}
		if fa.from, err = memberName(f); err != nil {
			return badf("from: %v", err)
		}
		if fa.to, err = memberName(t); err != nil {
			return badf("to: %v", err)
		}
		if fa.from == fa.to {
			return badf("a link joins two members; from and to are both %s", fa.from)
		}
		return nil
	}
	switch fa.action {
	case "cut":
		if err := pair(true); err != nil {
			return err
		}
		fa.oneWay, err = parseBool(form.Get("oneway"))
		return err
	case "heal", "release":
		return pair(false)
	case "set":
		if err := pair(true); err != nil {
			return err
		}
		return fa.parseFaultValue(form)
	case "split":
		if fa.a, err = memberList(form.Get("a")); err != nil {
			return badf("a: %v", err)
		}
		if fa.b, err = memberList(form.Get("b")); err != nil {
			return badf("b: %v", err)
		}
		for _, m := range fa.a {
			if contains(fa.b, m) {
				return badf("%s is on both sides of the split", m)
			}
		}
		return nil
	case "isolate":
		fa.member, err = memberName(form.Get("member"))
		return err
	}
	return nil
}

// parseFaultValue reads links/set's cut, hold, delay and loss.
func (fa *faultAction) parseFaultValue(form url.Values) error {
	var err error
	if fa.fault.Cut, err = parseBool(form.Get("cut")); err != nil {
		return err
	}
	if fa.fault.Hold, err = parseBool(form.Get("hold")); err != nil {
		return err
	}
	if v := form.Get("delay"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > time.Hour {
			return badf("delay=%q: want a duration from 0 to 1h, such as 200ms", v)
		}
		fa.fault.Delay = d
	}
	if v := form.Get("loss"); v != "" {
		p, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
		if strings.HasSuffix(v, "%") {
			p /= 100
		}
		if err != nil || !(p >= 0 && p <= 1) {
			return badf("loss=%q: want a probability from 0 to 1, or a percentage", v)
		}
		fa.fault.Loss = p
	}
	return nil
}

func (fa *faultAction) parseConn(form url.Values) error {
	if v := form.Get("id"); v != "" {
		id, err := strconv.ParseUint(v, 10, 64)
		if err != nil || id == 0 {
			return badf("id=%q: want a connection id from GET /coordtui/faults", v)
		}
		fa.conn = id
		return nil
	}
	if fa.action != "cut" {
		return badf("conns/%s needs id", fa.action)
	}
	// Cutting by client label: every connection of client to member (all
	// of member's connections when client is empty).
	var err error
	if fa.member, err = memberName(form.Get("member")); err != nil {
		return badf("conns/cut needs id, or member (and client): %v", err)
	}
	fa.client = form.Get("client")
	return nil
}

// memberName accepts "n2" or "2" and gives the raft name, "n2".
func memberName(s string) (string, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "n")
	id, err := strconv.ParseUint(s, 10, 8)
	if err != nil || id == 0 {
		return "", badf("member %q: want n1..n255", s)
	}
	return "n" + strconv.FormatUint(id, 10), nil
}

func memberList(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, badf("want a comma-separated list of members")
	}
	var out []string
	for _, m := range strings.Split(s, ",") {
		name, err := memberName(m)
		if err != nil {
			return nil, err
		}
		if !contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

// parseSession reads a session id in hex ("0x1a20189140300001", as the
// four-letter words print it) or decimal.
func parseSession(s string) (int64, error) {
	s = strings.TrimSpace(s)
	var u uint64
	var err error
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		u, err = strconv.ParseUint(h, 16, 64)
	} else {
		var v int64
		v, err = strconv.ParseInt(s, 10, 64)
		u = uint64(v)
	}
	if err != nil || u == 0 {
		return 0, badf("id=%q: want a session id, 0x… or decimal", s)
	}
	return int64(u), nil
}

func parseBool(s string) (bool, error) {
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, badf("%q is not true or false", s)
	}
	return b, nil
}
