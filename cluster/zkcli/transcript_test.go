package zkcli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected transcripts in testdata/ with what the shell prints")

// TestTranscripts runs every testdata/*.txt script against one coordtui
// ensemble. A script is a list of commands ("$ ls /") each followed by what
// it prints: "| " lines on stdout, "! " lines on stderr, "~ " lines for
// watch events. Directives: "$ @json" and "$ @text" switch the output mode,
// "$ @events N" waits until N watch events have arrived and prints them
// (sorted: see eventLog.take).
// Zxids, times and session ids are normalized. Run with -rewrite to record.
func TestTranscripts(t *testing.T) {
	e := startEnsemble(t, 3)
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := replay(t, e.ConnString(), string(b))
			if *rewrite {
				if err := os.WriteFile(f, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(b) {
				t.Errorf("transcript differs (left expected, right got):\n%s", diff(string(b), got))
			}
		})
	}
}

// eventLog collects Notify output for the @events directive.
type eventLog struct {
	mu      sync.Mutex
	pending []string
}

func (l *eventLog) add(text string) {
	if strings.Contains(text, " type:None ") {
		return // connection changes come at no fixed point; tested on their own
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending = append(l.pending, text)
}

func (l *eventLog) take(t *testing.T, n int) []string {
	t.Helper()
	eventually(t, 10*time.Second, fmt.Sprintf("%d watch events", n), func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		return len(l.pending) >= n
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	// One-shot watches each wait on their own channel, so events that one
	// change fires on several watches may print in any order: sort them.
	got := l.pending
	l.pending = nil
	sort.Strings(got)
	return got
}

// replay runs the commands of script and returns the script with their
// output in place of the recorded one.
func replay(t *testing.T, server, script string) string {
	log := &eventLog{}
	s := connect(t, Config{Server: server, Notify: log.add})
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(script, "\n"), "\n") {
		if !strings.HasPrefix(line, "$ ") {
			if !strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "! ") &&
				!strings.HasPrefix(line, "~ ") && line != "|" && line != "!" && line != "~" {
				b.WriteString(line + "\n") // comments and blank lines stay
			}
			continue
		}
		b.WriteString(line + "\n")
		cmd := strings.TrimPrefix(line, "$ ")
		switch {
		case cmd == "@json":
			s.SetJSON(true)
		case cmd == "@text":
			s.SetJSON(false)
		case strings.HasPrefix(cmd, "@events "):
			n, _ := strconv.Atoi(strings.TrimPrefix(cmd, "@events "))
			for _, ev := range log.take(t, n) {
				prefixed(&b, "~", normalize(ev)+"\n")
			}
		default:
			var out, errb bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			s.Exec(ctx, cmd, &out, &errb)
			cancel()
			prefixed(&b, "|", normalize(out.String()))
			prefixed(&b, "!", normalize(errb.String()))
		}
	}
	return b.String()
}

// prefixed writes each line of text with mark in front ("| hello").
func prefixed(b *strings.Builder, mark, text string) {
	if text == "" {
		return
	}
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if l == "" {
			b.WriteString(mark + "\n")
		} else {
			b.WriteString(mark + " " + l + "\n")
		}
	}
}
