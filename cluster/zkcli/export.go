package zkcli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"coordtui/cluster/zk"
)

// ExportFormat names the export document's layout.
const ExportFormat = "coordtui-export/1"

// Export is a subtree as readable JSON: every node's data (as text when it
// is valid UTF-8, else base64), ACL and stat, children nested and sorted.
// The stat is the source's and informational: import cannot restore
// versions, zxids or times.
type Export struct {
	Format string      `json:"format"`
	Root   string      `json:"root"`
	Notes  []string    `json:"notes,omitempty"`
	Node   *ExportNode `json:"node"`
	masked bool
}

// ExportNode is one node of an Export.
type ExportNode struct {
	Path string `json:"path"`
	dataJSON
	ACL      []ACLJSON     `json:"acl"`
	Stat     *StatJSON     `json:"stat"`
	Note     string        `json:"note,omitempty"`
	Children []*ExportNode `json:"children,omitempty"`
}

// systemPath reports whether p is ZooKeeper's own subtree, which neither
// export nor import touches.
func systemPath(p string) bool { return p == "/zookeeper" || strings.HasPrefix(p, "/zookeeper/") }

// exportTree reads path and its descendants.
func (s *Shell) exportTree(ctx context.Context, path string) (*Export, int, error) {
	doc := &Export{Format: ExportFormat, Root: path}
	count := 0
	var read func(p string) (*ExportNode, error)
	read = func(p string) (*ExportNode, error) {
		cl := s.Client()
		data, st, err := cl.Get(ctx, p)
		if err != nil {
			return nil, err
		}
		acl, _, err := cl.GetACL(ctx, p)
		if err != nil {
			return nil, err
		}
		count++
		if masked(acl) && !doc.masked {
			doc.masked = true
			doc.Notes = append(doc.Notes, "some digest ids read as user:x: ZooKeeper masks them without ADMIN"+
				" permission on the node; addauth as a user who has it before exporting")
		}
		n := &ExportNode{Path: p, dataJSON: newDataJSON(data), ACL: aclJSON(acl), Stat: statJSON(st)}
		if st.EphemeralOwner != 0 {
			n.Note = "ephemeral of session " + hex(st.EphemeralOwner) + "; import creates it persistent"
		}
		kids, err := s.children(ctx, p, false)
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			cp := join(p, k)
			if systemPath(cp) {
				doc.Notes = append(doc.Notes, cp+" is ZooKeeper's own subtree and was left out")
				continue
			}
			kid, err := read(cp)
			if err != nil && codeOf(err) != zk.ErrNoNode { // a node deleted meanwhile is skipped
				return nil, err
			}
			if kid != nil {
				n.Children = append(n.Children, kid)
			}
		}
		return n, nil
	}
	node, err := read(path)
	if err != nil {
		return nil, 0, err
	}
	doc.Node = node
	return doc, count, nil
}

// masked reports whether an ACL holds a digest id the server masked
// ("bob:x"): it cannot be restored from the export.
func masked(acl []zk.ACL) bool {
	for _, a := range acl {
		if a.ID.Scheme == "digest" && strings.HasSuffix(a.ID.ID, ":x") {
			return true
		}
	}
	return false
}

// encodeExport writes doc indented, without escaping <, > and &.
func encodeExport(w io.Writer, doc *Export) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

type exportResult struct {
	Exported int    `json:"exported"`
	Path     string `json:"path"`
	File     string `json:"file"`
}

func (r *exportResult) text(out, _ io.Writer) {
	fmt.Fprintf(out, "Exported %d znodes under %s to %s\n", r.Exported, r.Path, r.File)
}

// rawOutput is output already in its final form in either mode.
type rawOutput []byte

func (r rawOutput) text(out, _ io.Writer) { out.Write(r) }

func (r rawOutput) MarshalJSON() ([]byte, error) { return bytes.TrimSpace(r), nil }

func runExport(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	path := c.args[1]
	if err := validatePath(path); err != nil {
		return nil, err
	}
	doc, n, err := s.exportTree(ctx, path)
	if err != nil {
		return nil, keeperError(err, path)
	}
	var buf bytes.Buffer
	if err := encodeExport(&buf, doc); err != nil {
		return nil, malformed(err.Error())
	}
	if len(c.args) < 3 {
		return rawOutput(buf.Bytes()), nil
	}
	if err := os.WriteFile(c.args[2], buf.Bytes(), 0o644); err != nil {
		return nil, malformed(err.Error())
	}
	return &exportResult{Exported: n, Path: path, File: c.args[2]}, nil
}

func init() {
	register(
		&command{name: "export", usage: "path [file]", minArgs: 2, run: runExport},
		&command{name: "import", usage: "file [path]", minArgs: 2, run: runImport, confirm: confirmImport},
	)
}
