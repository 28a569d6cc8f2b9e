//go:build race

package e2e

// buildFlags build coordtui with the race detector when the tests run with
// it, so `go test -race ./e2e` checks the binary too.
var buildFlags = []string{"-race"}
