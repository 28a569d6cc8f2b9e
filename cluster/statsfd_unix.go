//go:build unix

package cluster

import (
	"os"
	"syscall"
)

// fileDescriptors reports the process's open file descriptors and its
// limit, as ZooKeeper's mntr does on Unix.
func fileDescriptors() (open, limit int64, ok bool) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, 0, false
	}
	for _, dir := range []string{"/proc/self/fd", "/dev/fd"} {
		if ents, err := os.ReadDir(dir); err == nil {
			// Reading the directory holds one descriptor of its own.
			return int64(len(ents) - 1), int64(rl.Cur), true
		}
	}
	return 0, 0, false
}
