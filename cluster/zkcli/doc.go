// Package zkcli is the command engine of zkCli.sh, rebuilt on coordtui's own
// ZooKeeper client: it splits a command line as zkCli does, runs the command
// against any ZooKeeper-protocol ensemble and prints the result in zkCli
// 3.8's exact text (or as JSON). It adds zk-shell's tree, find, grep and du,
// and export/import of a subtree as readable JSON.
//
// It imports only cluster/zk, so both `coordtui cli` and the console's
// command line can drive it. It never touches a terminal: commands write to
// the writers they are given, asynchronous output (watch events, connection
// changes) goes to Config.Notify, and confirmation of destructive commands
// is asked through Config.Confirm.
//
// Where zkCli.sh 3.8 prints something, this package prints the same bytes to
// the same stream (stdout or stderr): "Created /a" on stderr, errors such as
// "Node does not exist: /a" on stderr, the stat block and ACLs on stdout.
// TestConformanceWithZkCli holds it to that against Debian's zkCli.sh.
// Known differences, all deliberate:
//   - a one-shot command prints no "Connecting to" banner or connection
//     WATCHER lines (they would spoil scripts);
//   - `setAcl -R` ends each error it prints with a newline (zkCli glues them
//     to the next output), and the old `delete path version` form uses the
//     version (zkCli warns, then ignores it);
//   - a malformed number prints "-v argument must be an int value" instead of
//     ending the shell with a stack trace;
//   - `help` prints the command list (zkCli has no help command);
//   - one change that fires several one-shot watches prints their events in
//     no fixed order: each watch waits on its own channel, and the client
//     offers no single ordered stream of them (zkCli's event thread has one).
package zkcli
