package zkcli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"coordtui/cluster/zk"
)

// readExport loads and checks an export document.
func readExport(file string) (*Export, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, malformed(err.Error())
	}
	var doc Export
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, malformed(fmt.Sprintf("%s: not an export: %v", file, err))
	}
	if doc.Format != ExportFormat || doc.Node == nil {
		return nil, malformed(fmt.Sprintf("%s: not a %s document", file, ExportFormat))
	}
	return &doc, nil
}

// importTarget is where an import lands: the path given, else the root the
// subtree was exported from.
func importTarget(doc *Export, c *cmdline) string {
	if len(c.args) > 2 {
		return c.args[2]
	}
	return doc.Root
}

// moved maps a path of the exported subtree under target.
func moved(root, target, p string) string {
	rel := strings.TrimPrefix(p, root)
	if root == "/" {
		rel = strings.TrimPrefix(p, "/")
		if rel != "" {
			rel = "/" + rel
		}
	}
	if target == "/" {
		if rel == "" {
			return "/"
		}
		return rel
	}
	return target + rel
}

// confirmImport asks only when the import would overwrite: the target
// exists already.
func confirmImport(s *Shell, ctx context.Context, c *cmdline) (string, error) {
	doc, err := readExport(c.args[1])
	if err != nil {
		return "", err
	}
	target := importTarget(doc, c)
	if err := validatePath(target); err != nil {
		return "", err
	}
	st, err := s.Client().Exists(ctx, target)
	if err != nil {
		return "", keeperError(err, target)
	}
	if st == nil {
		return "", nil
	}
	return "import over existing " + target, nil
}

type importResult struct {
	Path    string `json:"path"`
	Created int    `json:"created"`
	Updated int    `json:"updated"`
}

func (r *importResult) text(out, _ io.Writer) {
	fmt.Fprintf(out, "Imported %d znodes into %s (%d created, %d updated)\n", r.Created+r.Updated, r.Path, r.Created, r.Updated)
}

func runImport(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	doc, err := readExport(c.args[1])
	if err != nil {
		return nil, err
	}
	target := importTarget(doc, c)
	if err := validatePath(target); err != nil {
		return nil, err
	}
	cl := s.Client()
	// Missing ancestors are created empty, as mkdir -p would.
	for i := 1; i < len(target); i++ {
		if target[i] == '/' {
			if _, err := cl.Create(ctx, target[:i], nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil && codeOf(err) != zk.ErrNodeExists {
				return nil, keeperError(err, target[:i])
			}
		}
	}
	r := &importResult{Path: target}
	var put func(n *ExportNode) error
	put = func(n *ExportNode) error {
		p := moved(doc.Root, target, n.Path)
		if systemPath(p) {
			return nil
		}
		if err := validatePath(p); err != nil {
			return err
		}
		data, err := n.decode()
		if err != nil {
			return malformed(fmt.Sprintf("%s: bad base64 data: %v", n.Path, err))
		}
		acl := aclFromJSON(n.ACL)
		if len(acl) == 0 {
			acl = zk.WorldACL(zk.PermAll)
		}
		_, err = cl.Create(ctx, p, data, acl, zk.ModePersistent)
		switch {
		case err == nil:
			r.Created++
		case codeOf(err) == zk.ErrNodeExists:
			if _, err := cl.Set(ctx, p, data, -1); err != nil {
				return keeperError(err, p)
			}
			if _, err := cl.SetACL(ctx, p, acl, -1); err != nil {
				return keeperError(err, p)
			}
			r.Updated++
		default:
			return keeperError(err, p)
		}
		for _, k := range n.Children {
			if err := put(k); err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(doc.Node); err != nil {
		return nil, err
	}
	return r, nil
}

// decode returns the node's data, failing on malformed base64.
func (d dataJSON) decode() ([]byte, error) {
	if d.Base64 != "" {
		return base64.StdEncoding.DecodeString(d.Base64)
	}
	return d.bytes(), nil
}
