package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var memberRe = regexp.MustCompile(`^n[1-9][0-9]{0,2}$`)

// FuzzFaultParse: whatever the path and form, parsing either refuses with
// a bad-request error or yields an action that is safe to apply.
func FuzzFaultParse(f *testing.F) {
	for _, s := range [][3]string{
		{"links", "cut", "from=n1&to=n2&oneway=true"}, {"links", "set", "from=1&to=2&delay=200ms&loss=30%&hold=1"},
		{"links", "split", "a=n1,n2&b=n3"}, {"links", "isolate", "member=n3"}, {"links", "heal", ""},
		{"links", "release", "from=n2&to=n1"}, {"members", "crash", "member=2"}, {"conns", "cut", "member=n1&client=s7"},
		{"conns", "freeze", "id=4"}, {"sessions", "expire", "id=0x1a20189140300001"}, {"links", "cut", "from=n1&to=n1"},
		{"links", "set", "from=n1&to=n2&loss=NaN"}, {"x", "y", "%zz"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, group, action, query string) {
		form, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		fa, err := parseFault(group, action, form)
		if err != nil {
			return
		}
		for _, m := range append(append([]string{fa.from, fa.to, fa.member}, fa.a...), fa.b...) {
			if m != "" && !memberRe.MatchString(m) {
				t.Fatalf("%s/%s %q: member %q", group, action, query, m)
			}
		}
		if fa.from != "" && fa.from == fa.to {
			t.Fatalf("%q: a link from %s to itself", query, fa.from)
		}
		if fa.fault.Loss < 0 || fa.fault.Loss > 1 || fa.fault.Delay < 0 {
			t.Fatalf("%q: fault %+v", query, fa.fault)
		}
		if group == "sessions" && fa.session == 0 {
			t.Fatalf("%q: session 0", query)
		}
	})
}

// FuzzRequest sends arbitrary methods, paths and queries to a member's API
// (fault actions off): it answers every one with a known status, and JSON
// where it promises JSON.
func FuzzRequest(f *testing.F) {
	for _, s := range [][3]string{
		{"GET", "/commands/mntr", ""}, {"GET", "/commands", ""}, {"GET", "/commands/x%00y", ""},
		{"GET", "/coordtui/status", ""}, {"GET", "/metrics", ""}, {"GET", "/coordtui/events", "recent=5&kinds=applied"},
		{"GET", "/coordtui/events", "recent=99999999999"}, {"POST", "/coordtui/faults/links/cut", "from=n1&to=n2"},
		{"GET", "/coordtui/faults", ""}, {"DELETE", "/commands/ruok", ""}, {"GET", "/../etc", ""}, {"PUT", "/", "a=%"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	e, _ := testEnsemble(f, 1)
	h, err := NewHandler(Config{Ensemble: e, Member: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(h.Close)
	known := map[int]bool{200: true, 400: true, 403: true, 404: true, 405: true}
	f.Fuzz(func(t *testing.T, method, path, query string) {
		if !strings.HasPrefix(path, "/") {
			return
		}
		u := &url.URL{Path: path, RawQuery: query}
		req, err := http.NewRequest(method, u.String(), nil)
		if err != nil {
			return
		}
		req.RequestURI = u.RequestURI()
		// An event stream ends as soon as it has sent its backlog.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req = req.WithContext(ctx)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !known[rec.Code] && !(rec.Code == 301 || rec.Code == 307 || rec.Code == 308) {
			t.Fatalf("%s %s?%s: status %d: %s", method, path, query, rec.Code, rec.Body)
		}
		ct := rec.Header().Get("Content-Type")
		if strings.HasPrefix(ct, "application/json") && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s?%s: invalid JSON %q", method, path, query, rec.Body)
		}
		if rec.Code >= 400 && !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%s %s?%s: error %d without JSON (%s)", method, path, query, rec.Code, ct)
		}
	})
}
