package demos_test

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"coordtui/assets"
	"coordtui/demos"
	"coordtui/lessons/script"
	"coordtui/lessons/script/scripttest"
)

var rewrite = flag.Bool("rewrite", false, "write the transcripts the run printed back into assets/demos")

// Every demo is a golden test of its transcript, and its claims must hold.
func TestDemos(t *testing.T) {
	for _, d := range assets.Demos() {
		t.Run(d.Name, func(t *testing.T) {
			scripttest.Run(t, d.Name, filepath.Join("..", "assets", d.Path), d.Text,
				scripttest.Config(demos.Registry()), *rewrite)
		})
	}
}

func TestCatalog(t *testing.T) {
	all, err := demos.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range all {
		if d.Title == "" || d.Claim == "" {
			t.Errorf("%s has no title or claim", d.Name)
		}
	}
	if _, err := demos.Get("no-such-demo"); err == nil {
		t.Error("found a demo that does not exist")
	}
}

var herdClients = flag.Int("herd", 0, "also run thundering-herd with this many clients (e.g. 1000), checking its claims and that it takes under a minute")

func TestThunderingHerdAtScale(t *testing.T) {
	if *herdClients == 0 {
		t.Skip("run with -herd 1000")
	}
	d, err := demos.Get("thundering-herd")
	if err != nil {
		t.Fatal(err)
	}
	cfg := scripttest.Config(demos.Registry())
	cfg.Vars = map[string]string{"clients": fmt.Sprint(*herdClients)}
	start := time.Now()
	var out strings.Builder
	ok, err := script.Headless(context.Background(), d.Script, cfg, &out)
	took := time.Since(start)
	t.Logf("%d clients: %v\n%s", *herdClients, took, out.String())
	if err != nil || !ok {
		t.Fatalf("claims did not hold: ok=%v err=%v", ok, err)
	}
	if took > time.Minute {
		t.Errorf("took %v, over a minute", took)
	}
}
