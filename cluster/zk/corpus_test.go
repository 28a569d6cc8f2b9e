package zk

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// writeSeeds saves the recorded frames as the fuzz seed corpus: every
// distinct request shape for FuzzDecodeRequest (a few per opcode), and the
// start of each connection's streams for FuzzReadFrame.
func writeSeeds(t *testing.T, all []frameSeen, raw map[[2]int][]byte) {
	perOp := map[string]int{}
	var reqs [][]byte
	for _, f := range all {
		if !f.fromClient {
			continue
		}
		key := "connect"
		if f.index > 0 {
			key = f.op().String()
		}
		if perOp[key] >= 4 {
			continue
		}
		perOp[key]++
		reqs = append(reqs, f.payload)
	}
	writeCorpus(t, "FuzzDecodeRequest", reqs)
	var streams [][]byte
	keys := make([][2]int, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	for _, k := range keys {
		s := raw[k]
		streams = append(streams, s[:min(len(s), 2048)])
	}
	writeCorpus(t, "FuzzReadFrame", streams)
}

func writeCorpus(t *testing.T, target string, inputs [][]byte) {
	dir := "testdata/fuzz/" + target
	mustOK(t, os.RemoveAll(dir), "clear corpus")
	mustOK(t, os.MkdirAll(dir, 0o755), "corpus dir")
	for i, in := range inputs {
		name := fmt.Sprintf("%s/real-%03d", dir, i)
		content := "go test fuzz v1\n[]byte(" + quoteBytes(in) + ")\n"
		mustOK(t, os.WriteFile(name, []byte(content), 0o644), "write seed")
	}
	t.Logf("wrote %d seeds to %s", len(inputs), dir)
}

func quoteBytes(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			sb.WriteByte(c)
		} else {
			sb.WriteString(`\x`)
			sb.WriteByte("0123456789abcdef"[c>>4])
			sb.WriteByte("0123456789abcdef"[c&15])
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// writeFLWSamples saves what Apache ZooKeeper answers to srvr, stat and
// mntr, for the parser tests.
func writeFLWSamples(t *testing.T, addr string) {
	mustOK(t, os.MkdirAll("testdata/flw", 0o755), "flw dir")
	for _, w := range []string{"srvr", "stat", "mntr"} {
		out, err := FourLetter(testCtx(t), addr, w)
		mustOK(t, err, w)
		mustOK(t, os.WriteFile("testdata/flw/"+w+"-zk3.8.0.txt", []byte(out), 0o644), "write "+w)
	}
}
