// Command coordtui runs a real ZooKeeper-compatible coordination ensemble and
// a terminal console that shows it working. main.go holds flags and wiring
// only; see DESIGN.md for the layers.
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "--version", "-version", "version":
			fmt.Fprintf(stdout, "coordtui %s\n", version)
			return 0
		case "-h", "--help", "help":
			usage(stdout)
			return 0
		}
	}
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `coordtui — a real ZooKeeper-compatible ensemble and a console to watch it work

Being built. What exists today:
  coordtui --version   print the version

Planned (see README.md): the console (no arguments), up, server, attach,
cli, bench, demo, lesson.
`)
}
