package zktest

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill the JVM if the test binary dies first
// (a panic or a -timeout skips every cleanup), so no server outlives its test.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
