package zkcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"coordtui/cluster/zk"
)

// walk visits path and its descendants depth-first as zkCli's
// ZKUtil.visitSubTreeDFS does: the node itself (which must exist), then all
// of a node's children, sorted, before descending into each. A node deleted
// during the walk is skipped. It returns the paths in visiting order.
func (s *Shell) walk(ctx context.Context, path string, watch bool, visit func(string)) ([]string, error) {
	if _, _, err := s.getData(ctx, path, watch); err != nil {
		return nil, err
	}
	var out []string
	see := func(p string) {
		out = append(out, p)
		if visit != nil {
			visit(p)
		}
	}
	see(path)
	var descend func(p string) error
	descend = func(p string) error {
		kids, err := s.children(ctx, p, watch)
		if errors.Is(err, zk.ErrNoNode) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, k := range kids {
			see(join(p, k))
		}
		for _, k := range kids {
			if err := descend(join(p, k)); err != nil {
				return err
			}
		}
		return nil
	}
	return out, descend(path)
}

// children returns a node's children sorted, leaving a child watch if asked.
func (s *Shell) children(ctx context.Context, path string, watch bool) ([]string, error) {
	var (
		kids []string
		err  error
	)
	if watch {
		var ch <-chan zk.WatchEvent
		kids, _, ch, err = s.Client().ChildrenW(ctx, path)
		s.watchOnce(ch)
	} else {
		kids, err = s.Client().Children(ctx, path)
	}
	sort.Strings(kids)
	return kids, err
}

// subtreeBFS lists path and its descendants breadth-first, as ZKUtil's
// listSubTreeBFS does for deleteall.
func (s *Shell) subtreeBFS(ctx context.Context, path string) ([]string, error) {
	tree := []string{path}
	for i := 0; i < len(tree); i++ {
		kids, err := s.children(ctx, tree[i], false)
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			tree = append(tree, join(tree[i], k))
		}
	}
	return tree, nil
}

func runDeleteAll(s *Shell, ctx context.Context, c *cmdline, errw io.Writer) (result, error) {
	batch := 1000
	if c.has('b') {
		b, err := strconv.Atoi(c.value('b'))
		if err != nil {
			return nil, malformed("-b argument must be an int value")
		}
		batch = max(b, 1)
	}
	path := c.args[1]
	if err := validatePath(path); err != nil {
		return nil, err
	}
	tree, err := s.subtreeBFS(ctx, path)
	if err != nil {
		return nil, keeperError(err, path)
	}
	// Deepest first, in atomic batches; a failed batch leaves its nodes.
	ok := true
	var ops []zk.Op
	for i := len(tree) - 1; i >= 0; i-- {
		ops = append(ops, zk.DeleteOp(tree[i], -1))
		if len(ops) == batch || i == 0 {
			if _, err := s.Client().Multi(ctx, ops...); err != nil {
				ok = false
			}
			ops = ops[:0]
		}
	}
	if !ok {
		fmt.Fprintln(errw, "Failed to delete some node(s) in the subtree!")
	}
	return silent{"deleted": path, "nodes": len(tree), "complete": ok}, nil
}

// treeNode is tree's JSON form.
type treeNode struct {
	Name     string      `json:"name"`
	Children []*treeNode `json:"children,omitempty"`
	depth    int
}

type treeResult struct {
	Path string    `json:"path"`
	Tree *treeNode `json:"tree"`
}

// text prints zk-shell's tree: "." for the root, then one line per node,
// indented by depth.
func (r *treeResult) text(out, _ io.Writer) {
	fmt.Fprintln(out, ".")
	var show func(n *treeNode)
	show = func(n *treeNode) {
		for _, k := range n.Children {
			fmt.Fprintf(out, "%s├── %s\n", strings.Repeat("│   ", k.depth), k.Name)
			show(k)
		}
	}
	show(r.Tree)
}

func runTree(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	path, maxDepth := "/", 0
	if len(c.args) > 1 {
		path = c.args[1]
	}
	if len(c.args) > 2 {
		d, err := strconv.Atoi(c.args[2])
		if err != nil || d < 0 {
			return nil, malformed("max_depth must be a number >= 0 (0: no limit)")
		}
		maxDepth = d
	}
	if err := validatePath(path); err != nil {
		return nil, err
	}
	root := &treeNode{Name: path}
	var grow func(n *treeNode, p string, level int) error
	grow = func(n *treeNode, p string, level int) error {
		if maxDepth > 0 && level >= maxDepth {
			return nil
		}
		kids, err := s.children(ctx, p, false)
		if errors.Is(err, zk.ErrNoNode) && level > 0 {
			return nil // deleted while we walked
		}
		if err != nil {
			return err
		}
		for _, k := range kids {
			child := &treeNode{Name: k, depth: level}
			n.Children = append(n.Children, child)
			if err := grow(child, join(p, k), level+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := grow(root, path, 0); err != nil {
		return nil, keeperError(err, path)
	}
	return &treeResult{Path: path, Tree: root}, nil
}

// descendants lists every node below path (not path itself), depth-first.
func (s *Shell) descendants(ctx context.Context, path string) ([]string, error) {
	all, err := s.walk(ctx, path, false, nil)
	if err != nil {
		return nil, err
	}
	return all[1:], nil
}

func runFind(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	path, pattern := c.args[1], c.args[2]
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, malformed("bad pattern: " + err.Error())
	}
	if err := validatePath(path); err != nil {
		return nil, err
	}
	all, err := s.descendants(ctx, path)
	if err != nil {
		return nil, keeperError(err, path)
	}
	r := &pathsResult{Path: path, Paths: []string{}}
	for _, p := range all {
		if re.MatchString(p) {
			r.Paths = append(r.Paths, p)
		}
	}
	return r, nil
}

func runGrep(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	path, pattern := c.args[1], c.args[2]
	show := len(c.args) > 3 && (c.args[3] == "true" || c.args[3] == "1")
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, malformed("bad pattern: " + err.Error())
	}
	if err := validatePath(path); err != nil {
		return nil, err
	}
	all, err := s.descendants(ctx, path)
	if err != nil {
		return nil, keeperError(err, path)
	}
	var out lines
	for _, p := range all {
		data, _, err := s.Client().Get(ctx, p)
		if err != nil {
			continue // deleted meanwhile, or not readable
		}
		if !show {
			if re.Match(data) {
				out = append(out, p)
			}
			continue
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			if re.Match(line) {
				out = append(out, p+": "+javaString(line))
			}
		}
	}
	return out, nil
}

type duResult struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
	Nodes int    `json:"nodes"`
}

func (r *duResult) text(out, _ io.Writer) { fmt.Fprintln(out, r.Bytes) }

func runDu(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	path := "/"
	if len(c.args) > 1 {
		path = c.args[1]
	}
	if err := validatePath(path); err != nil {
		return nil, err
	}
	all, err := s.walk(ctx, path, false, nil)
	if err != nil {
		return nil, keeperError(err, path)
	}
	r := &duResult{Path: path}
	for _, p := range all {
		st, err := s.Client().Exists(ctx, p)
		if err == nil && st != nil {
			r.Bytes += int64(st.DataLength)
			r.Nodes++
		}
	}
	return r, nil
}

func init() {
	register(
		&command{name: "deleteall", usage: "path [-b batch size]", opts: optSpec{'b': true}, minArgs: 2,
			run: runDeleteAll, confirm: confirmPath("deleteall")},
		&command{name: "tree", usage: "[path] [max_depth]", minArgs: 1, run: runTree},
		&command{name: "find", usage: "path pattern", minArgs: 3, run: runFind},
		&command{name: "grep", usage: "path pattern [show_matches]", minArgs: 3, run: runGrep},
		&command{name: "du", usage: "[path]", minArgs: 1, run: runDu},
	)
}
