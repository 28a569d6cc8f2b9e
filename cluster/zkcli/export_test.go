package zkcli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"coordtui/cluster/zk"
)

// TestExportImport exports a subtree with text, binary, null data, an ACL
// and an ephemeral, imports it elsewhere and checks that everything but the
// ephemeral's nature came back.
func TestExportImport(t *testing.T) {
	e := startEnsemble(t, 1)
	s := connect(t, Config{Server: e.ConnString()})
	for _, line := range []string{
		"addauth digest bob:pw", // ADMIN on /ex/acl: getAcl shows bob's digest unmasked
		"create /ex text",
		"create /ex/empty",
		`create /ex/acl secret digest:bob:ikIaKsbtGweaHnb/jKn7OHqbunM=:cdrwa,world:anyone:r`,
		"create -e /ex/eph here",
	} {
		if _, errOut, st := run(t, s, line); st != StatusOK || (errOut != "" && !strings.HasPrefix(errOut, "Created")) {
			t.Fatalf("%s: %d %s", line, st, errOut)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.Client().Create(ctx, "/ex/bin", []byte{0xff, 0, 1}, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(t.TempDir(), "ex.json")
	out, errOut, st := run(t, s, "export /ex "+file)
	if st != StatusOK || out != "Exported 5 znodes under /ex to "+file+"\n" {
		t.Fatalf("export: %d %q %q", st, out, errOut)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc Export
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	kids := map[string]*ExportNode{}
	for _, k := range doc.Node.Children {
		kids[k.Path] = k
	}
	if d := kids["/ex/bin"]; d == nil || d.Base64 != "/wAB" || d.Data != nil {
		t.Errorf("binary node exported as %+v", d)
	}
	if d := kids["/ex/empty"]; d == nil || d.Data != nil || !bytes.Contains(raw, []byte(`"data": null,`)) {
		t.Errorf("null data exported as %+v\n%s", d, raw)
	}
	if d := kids["/ex/eph"]; d == nil || !strings.Contains(d.Note, "ephemeral") || d.Stat.EphemeralOwner == 0 {
		t.Errorf("ephemeral exported as %+v", d)
	}

	out, errOut, st = run(t, s, "import "+file+" /copy/of")
	if st != StatusOK || out != "Imported 5 znodes into /copy/of (5 created, 0 updated)\n" {
		t.Fatalf("import: %d %q %q", st, out, errOut)
	}
	for line, want := range map[string]string{
		"get /copy/of":               "text\n",
		"get /copy/of/empty":         "null\n",
		"get /copy/of/eph":           "here\n",
		"getAcl /copy/of/acl":        "'digest,'bob:ikIaKsbtGweaHnb/jKn7OHqbunM=\n: cdrwa\n'world,'anyone\n: r\n",
		"getAllChildrenNumber /copy": "5\n",
		"getEphemerals /copy":        "[]\n",
	} {
		got, errOut, _ := run(t, s, line)
		if got != want {
			t.Errorf("%s = %q %q, want %q", line, got, errOut, want)
		}
	}
	data, _, err := s.Client().Get(ctx, "/copy/of/bin")
	if err != nil || !bytes.Equal(data, []byte{0xff, 0, 1}) {
		t.Errorf("binary data came back as %q, %v", data, err)
	}

	// Importing again updates in place; the ensemble is coordtui, so it
	// does not ask.
	if _, err := s.Client().Set(ctx, "/copy/of", []byte("changed"), -1); err != nil {
		t.Fatal(err)
	}
	out, _, st = run(t, s, "import "+file+" /copy/of")
	if st != StatusOK || out != "Imported 5 znodes into /copy/of (0 created, 5 updated)\n" {
		t.Fatalf("re-import: %d %q", st, out)
	}
	if got, _, _ := run(t, s, "get /copy/of"); got != "text\n" {
		t.Errorf("after re-import /copy/of = %q", got)
	}

	// Export to stdout is the same document.
	out, _, st = run(t, s, "export /ex")
	if st != StatusOK || out != string(raw) {
		t.Errorf("export to stdout differs from the file:\n%s", out)
	}
	if _, errOut, st := run(t, s, "import /nonexistent.json"); st != StatusError || !strings.Contains(errOut, "no such file") {
		t.Errorf("import of a missing file: %d %q", st, errOut)
	}
}
