package admin

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/faultnet"
	"coordtui/tree"
)

// faultsEnabled reports whether actions may run at all.
func (h *Handler) faultsEnabled() bool { return h.cfg.Faults && h.cfg.Token != "" }

// authorized checks "Authorization: Bearer <token>" in constant time.
func (h *Handler) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(h.cfg.Token)) == 1
}

// serveFaultState shows the fault tables. Reading them needs no token:
// they are what the console draws.
func (h *Handler) serveFaultState(w http.ResponseWriter, _ *http.Request) {
	resp := object{{"enabled", h.faultsEnabled()}}
	if h.cfg.Self != "" {
		resp.put("self", h.cfg.Self)
	}
	if l := h.cfg.Links; l != nil {
		resp.put("links", matrixJSON(l.Matrix()))
	}
	if c := h.cfg.Conns; c != nil {
		var conns []object
		for _, ci := range c.List() {
			conns = append(conns, object{{"id", ci.ID}, {"member", ci.Member}, {"client", ci.Client},
				{"remote", ci.Remote}, {"frozen", ci.Frozen}, {"opened", ci.Opened.UTC().Format(time.RFC3339Nano)}})
		}
		resp.put("conns", nonNil(conns))
	}
	writeJSON(w, http.StatusOK, resp)
}

func matrixJSON(m faultnet.Matrix) object {
	links := make([]object, 0, len(m.Links))
	for _, l := range m.Links {
		links = append(links, object{{"from", l.From}, {"to", l.To}, {"fault", l.Fault.String()},
			{"cut", l.Fault.Cut}, {"hold", l.Fault.Hold}, {"delay_ns", int64(l.Fault.Delay)},
			{"loss", l.Fault.Loss}, {"held", l.Held}})
	}
	return object{{"members", nonNil(m.Members)}, {"links", links}}
}

// faultError is an action that could not run, with the status to answer.
type faultError struct {
	status int
	msg    string
}

func (e *faultError) Error() string { return e.msg }

func failf(status int, format string, args ...any) error {
	return &faultError{status, fmt.Sprintf(format, args...)}
}

// serveFault runs one action: off unless enabled, then only with the
// token, then only if it parses.
func (h *Handler) serveFault(w http.ResponseWriter, r *http.Request) {
	if !h.faultsEnabled() {
		writeError(w, http.StatusForbidden, "fault injection is off on this member (it needs enabling, with a token)")
		return
	}
	if !h.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="coordtui faults"`)
		writeError(w, http.StatusUnauthorized, "fault injection needs Authorization: Bearer <token>")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "reading the form: "+err.Error())
		return
	}
	fa, err := parseFault(r.PathValue("group"), r.PathValue("action"), r.Form)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	detail, err := h.apply(fa)
	var fe *faultError
	switch {
	case errors.As(err, &fe):
		writeError(w, fe.status, fe.msg)
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		writeJSON(w, http.StatusOK, object{{"ok", true}, {"action", fa.group + "/" + fa.action}, {"detail", detail}})
	}
}

func (h *Handler) apply(fa faultAction) (string, error) {
	switch fa.group {
	case "links":
		return h.applyLink(fa)
	case "members":
		return h.applyMember(fa)
	case "conns":
		return h.applyConn(fa)
	}
	return h.expire(fa.session)
}

func (h *Handler) applyLink(fa faultAction) (string, error) {
	l := h.cfg.Links
	if l == nil {
		return "", failf(http.StatusNotImplemented, "this member has no link fault table")
	}
	known := l.Members()
	for _, m := range append(append([]string{fa.from, fa.to, fa.member}, fa.a...), fa.b...) {
		if m != "" && !contains(known, m) {
			return "", failf(http.StatusNotFound, "no member %s in the fault table (%s)", m, strings.Join(known, ", "))
		}
	}
	if err := h.ownLinks(fa); err != nil {
		return "", err
	}
	switch fa.action {
	case "cut":
		l.CutOneWay(fa.from, fa.to)
		if fa.oneWay {
			return fa.from + "->" + fa.to + " cut", nil
		}
		l.CutOneWay(fa.to, fa.from)
		return fa.from + "<->" + fa.to + " cut", nil
	case "heal":
		if fa.from == "" {
			l.HealAll()
			return "every link healed", nil
		}
		l.Set(fa.from, fa.to, faultnet.Fault{})
		l.Set(fa.to, fa.from, faultnet.Fault{})
		return fa.from + "<->" + fa.to + " healed", nil
	case "set":
		l.Set(fa.from, fa.to, fa.fault)
		return fa.from + "->" + fa.to + " " + l.Get(fa.from, fa.to).String(), nil
	case "split":
		l.Split(fa.a, fa.b)
		return strings.Join(fa.a, ",") + " | " + strings.Join(fa.b, ","), nil
	case "isolate":
		l.Isolate(fa.member)
		return fa.member + " isolated", nil
	}
	// release
	if fa.from == "" {
		return fmt.Sprintf("%d held RPCs released", l.ReleaseAll()), nil
	}
	if l.Release(fa.from, fa.to) {
		return "one held RPC released on " + fa.from + "->" + fa.to, nil
	}
	return "nothing held on " + fa.from + "->" + fa.to, nil
}

// ownLinks refuses, on a member on its own, link actions it could not
// enforce: its peers' processes keep tables of their own.
func (h *Handler) ownLinks(fa faultAction) error {
	self := h.cfg.Self
	if self == "" {
		return nil
	}
	other := func() error {
		return failf(http.StatusUnprocessableEntity, "this member (%s) governs only its own links; use the other members' admin APIs for theirs", self)
	}
	switch fa.action {
	case "cut", "release", "heal":
		if fa.from != "" && fa.from != self && fa.to != self {
			return other()
		}
	case "set":
		if fa.from != self {
			if fa.to == self && fa.fault == (faultnet.Fault{Cut: true}) {
				return nil
			}
			return failf(http.StatusUnprocessableEntity, "this member (%s) delays, drops and holds only what it sends: set from=%s (a cut into it is fine)", self, self)
		}
	case "isolate":
		if fa.member != self {
			return other()
		}
	case "split":
		if !contains(fa.a, self) && !contains(fa.b, self) {
			return other()
		}
	}
	return nil
}

func (h *Handler) applyMember(fa faultAction) (string, error) {
	e := h.cfg.Ensemble
	if e == nil {
		return "", failf(http.StatusNotImplemented, "crash and restart need an in-process ensemble (coordtui up); crash a coordtui server member with kill -9 and start it again with the same flags")
	}
	if !contains(e.IDs(), fa.memberID) {
		return "", failf(http.StatusNotFound, "no member %s", fa.member)
	}
	var err error
	if fa.action == "crash" {
		err = e.Crash(fa.memberID)
	} else {
		err = e.Restart(fa.memberID)
	}
	if err != nil {
		return "", failf(http.StatusConflict, "%s", err)
	}
	return fa.member + " " + fa.action + "ed", nil
}

func (h *Handler) applyConn(fa faultAction) (string, error) {
	c := h.cfg.Conns
	if c == nil {
		return "", failf(http.StatusNotImplemented, "this member has no client connection table")
	}
	if fa.conn == 0 {
		n := c.CutClient(fa.client, fa.member)
		return fmt.Sprintf("%d connections to %s cut", n, fa.member), nil
	}
	var err error
	switch fa.action {
	case "cut":
		err = c.Cut(fa.conn)
	case "freeze":
		err = c.Freeze(fa.conn)
	case "thaw":
		err = c.Thaw(fa.conn)
	}
	if errors.Is(err, faultnet.ErrNoConn) {
		return "", failf(http.StatusNotFound, "no connection %d", fa.conn)
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("connection %d %s", fa.conn, map[string]string{"cut": "cut", "freeze": "frozen", "thaw": "thawed"}[fa.action]), nil
}

// expire proposes the session's expiry as the leader's session tracker
// would (a closeSession from the ensemble itself): its ephemerals go, its
// watchers hear of it, and its client finds the session expired.
func (h *Handler) expire(id int64) (string, error) {
	n := h.runningNode()
	if n == nil {
		return "", failf(http.StatusServiceUnavailable, "no running member to propose the expiry")
	}
	var known bool
	n.View(func(t *tree.Tree) { _, known = t.Session(id) })
	if !known {
		return "", failf(http.StatusNotFound, "no session %#x", id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := n.Write(ctx, 0, nil, tree.Op{Type: tree.OpCloseSession, SessionID: id})
	if err != nil {
		return "", failf(http.StatusServiceUnavailable, "proposing the expiry: %v", err)
	}
	if a.Result.Err != tree.OK {
		return "", failf(http.StatusConflict, "expiring %#x: %v", id, a.Result.Err)
	}
	return fmt.Sprintf("session %#x expired at zxid %s", id, a.Txn.Zxid), nil
}

// runningNode is this member's node, or with an ensemble any running one.
func (h *Handler) runningNode() *cluster.Node {
	if s := h.server(); s != nil {
		return s.Node()
	}
	if e := h.cfg.Ensemble; e != nil {
		if nodes := e.Nodes(); len(nodes) > 0 {
			return nodes[0]
		}
	}
	return nil
}
