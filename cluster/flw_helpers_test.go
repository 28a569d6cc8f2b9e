package cluster

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"coordtui/cluster/goldenfile"
	"coordtui/cluster/zk"
)

var (
	flwRewrite = flag.Bool("flw.rewrite", false, "re-record testdata/flw/coordtui/*.txt from our own answers")
	flwCapture = flag.Bool("flw.capture", false, "re-record testdata/flw/apache-3.8/*.txt from a live Apache ZooKeeper")
)

// flwWords are the words compared and recorded, in the order they are
// asked (crst and srst come last: they reset what the others show).
var flwWords = []string{"ruok", "srvr", "stat", "cons", "wchs", "wchc", "wchp", "dump", "conf",
	"envi", "isro", "dirs", "gtmk", "hash", "mntr", "crst", "srst"}

// flwWorkload gives a server something to report: a session with a
// persistent node, an ephemeral, and data, exist and child watches. It
// runs unchanged against Apache ZooKeeper.
func flwWorkload(t *testing.T, addr string) *gozk.Conn {
	t.Helper()
	c := connectGoZK(t, addr)
	acl := gozk.WorldACL(gozk.PermAll)
	if _, err := c.Create("/h", []byte("hello"), 0, acl); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create("/h/e", []byte("x"), gozk.FlagEphemeral, acl); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := c.GetW("/h"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := c.ExistsW("/h/none"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := c.ChildrenW("/h"); err != nil {
		t.Fatal(err)
	}
	return c
}

func ask(t *testing.T, addr, word string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ans, err := zk.FourLetter(ctx, addr, word)
	if err != nil {
		t.Fatalf("%s on %s: %v", word, addr, err)
	}
	return ans
}

var (
	reDate  = regexp.MustCompile(`[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d [A-Z]+ \d{4}`)
	reLop   = regexp.MustCompile(`lop=[A-Z0-9]+`)
	reHex   = regexp.MustCompile(`0x[0-9a-f]+`)
	reIP    = regexp.MustCompile(`\d+\.\d+\.\d+\.\d+`)
	reFloat = regexp.MustCompile(`\d+\.\d+(E-?\d+)?`)
	reNum   = regexp.MustCompile(`\d+`)
	reHash  = regexp.MustCompile(`(?m)^[0-9a-f]+: -?\d+$`)
	reConfV = regexp.MustCompile(`version=[0-9a-f]+`)
	reDir   = regexp.MustCompile(`(?m)^(dataDir|dataLogDir)=.*$`)
)

// flwShape masks what varies between runs (numbers, ids, dates, ports,
// directories, the last operation) and keeps the layout: keys,
// punctuation, line order. It is what the golden transcripts record.
func flwShape(word, text string) string {
	switch word {
	case "envi":
		return maskLines(text, func(l string) string { k, _, _ := strings.Cut(l, "="); return k })
	case "mntr":
		return maskLines(text, func(l string) string {
			k, v, _ := strings.Cut(l, "\t")
			kind := "S"
			switch {
			case regexp.MustCompile(`^-?\d+$`).MatchString(v):
				kind = "N"
			case regexp.MustCompile(`^-?\d+\.\d+(E-?\d+)?$`).MatchString(v):
				kind = "F"
			}
			return k + "\t" + kind
		})
	case "dump":
		// How connections and sessions fall into expiry buckets depends on
		// the moment; the entries and the sections do not.
		text = maskLines(text, func(l string) string {
			if strings.Contains(l, " expire at ") {
				return ""
			}
			return l
		})
	case "hash":
		text = reHash.ReplaceAllString(text, "H: N")
	case "conf":
		// The membership is /zookeeper/config's text, which the ensemble
		// writes; conf only passes it on.
		if head, _, ok := strings.Cut(text, "membership: \n"); ok {
			text = head + "membership: \nMEMBERSHIP"
		}
		text = reDir.ReplaceAllString(text, "$1=DIR")
		text = reConfV.ReplaceAllString(text, "version=H")
	}
	text = reDate.ReplaceAllString(text, "DATE")
	text = reLop.ReplaceAllString(text, "lop=OP")
	text = reIP.ReplaceAllString(text, "IP")
	text = reHex.ReplaceAllString(text, "HEX")
	text = reFloat.ReplaceAllString(text, "F")
	text = reNum.ReplaceAllString(text, "N")
	// Four-letter connections of earlier words may linger for a moment:
	// the layout of a line matters, not how often it repeats.
	var out []string
	for _, l := range strings.SplitAfter(text, "\n") {
		if len(out) == 0 || l != out[len(out)-1] || l == "\n" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

// maskLines maps every line through fn, dropping those it maps to "".
func maskLines(text string, fn func(string) string) string {
	var out []string
	for _, l := range strings.SplitAfter(text, "\n") {
		body := strings.TrimSuffix(l, "\n")
		if body == "" {
			out = append(out, l)
			continue
		}
		if m := fn(body); m != "" {
			out = append(out, m+l[len(body):])
		}
	}
	return strings.Join(out, "")
}

// flwKeys extracts what a consumer keys on: field names for the key/value
// words, the masked layout of every line for the others. Comparing the
// keys of our answer with Apache ZooKeeper's compares formats, not values.
func flwKeys(word, text string) []string {
	var keys []string
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			continue
		}
		var k string
		switch word {
		case "srvr", "stat":
			if strings.HasPrefix(line, " ") {
				k = "client" + connFields(line)
			} else {
				k, _, _ = strings.Cut(line, ":")
			}
		case "cons":
			k = "conn" + connFields(line)
		case "mntr":
			k, _, _ = strings.Cut(line, "\t")
		case "conf", "envi":
			k, _, _ = strings.Cut(line, "=")
		case "dirs":
			k, _, _ = strings.Cut(line, ":")
		default:
			k = flwShape(word, line)
			if strings.HasPrefix(k, "\t/") {
				k = "\tPATH"
			} else if strings.HasPrefix(k, "/") {
				k = "PATH"
			}
		}
		if k != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// connFields lists the field names of a connection line, "(queued,recved,...)".
func connFields(line string) string {
	_, fields, _ := strings.Cut(line, "(")
	var names []string
	for _, f := range strings.Split(strings.TrimSuffix(fields, ")"), ",") {
		name, _, _ := strings.Cut(f, "=")
		names = append(names, name)
	}
	return "(" + strings.Join(names, ",") + ")"
}

// golden compares got with testdata/flw/<dir>/<name>.txt, or rewrites it.
func golden(t *testing.T, dir, name, got string, rewrite bool) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", "flw", dir, name+".txt"), got, rewrite, "flw.rewrite")
}

func readGolden(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "flw", dir, name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// diffKeys reports the keys of a not in b.
func diffKeys(a, b []string) []string {
	var out []string
	for _, k := range a {
		if !slices.Contains(b, k) {
			out = append(out, k)
		}
	}
	return out
}
