package script_test

import (
	"strings"
	"testing"

	"coordtui/lessons/script"
)

// Bad recipe commands end their step with a message that says what to do,
// and the script (and the console playing it) carries on.
func TestRecipeMistakesAreReported(t *testing.T) {
	r := run(t, `ensemble members=1

client a

zk a create /l

recipe step c1

recipe start no-such-recipe clients=c1

recipe start lock

recipe start lock clients=c1,c1 path=/l

recipe start lock clients=c1,c2 path=/l

recipe start lock clients=c3

recipe step c9

recipe step c1 times=2

recipe step c2

recipe step c2 times=2

recipe step c2

assert holder c2

recipe stop

recipe show
`, script.Config{})
	want := map[int]string{
		3:  "error: no recipe running (recipe start NAME clients=c1,c2 first)",
		4:  `error: runner: unknown recipe "no-such-recipe" (recipes: lock, semaphore,`,
		5:  "error: recipe start NAME clients=c1,c2 [path=/x]",
		6:  "error: client c1 is named twice",
		8:  "error: lock is running already (recipe stop first)",
		9:  `error: lock runs no client "c9" (it runs c1 c2)`,
		13: "error: c2 has no request held: it waits for /l/l-0000000000 (predecessor)",
		14: "FAILED: c2 holds or leads (lock)",
		16: "error: no recipe running",
	}
	res := r.Results()
	for i, w := range want {
		if got := strings.Join(res[i].Lines, "\n"); !strings.HasPrefix(got, w) {
			t.Errorf("step %d (%s): got %q, want %q...", i, res[i].Step.Line0(), got, w)
		}
	}
	for _, i := range []int{1, 2, 7, 10, 11, 12, 15} {
		if res[i].Failed() {
			t.Errorf("step %d (%s) failed: %q", i, res[i].Step.Line0(), res[i].Lines)
		}
	}
}
