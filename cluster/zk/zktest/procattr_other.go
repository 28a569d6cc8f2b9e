//go:build !linux

package zktest

import "os/exec"

// dieWithParent is best effort: only Linux can tie the JVM's life to ours.
func dieWithParent(*exec.Cmd) {}
