// Package script is the engine that lessons and demos are written in: a
// command per line, in the style of etcd-raft's interaction tests, with the
// transcript each command prints written under it. One engine plays a
// script in the console (step by step, with narration and highlighting)
// and headless (the narrated transcript on stdout, and whether every claim
// held), and every script is a golden test of its own transcript
// (scripttest).
//
// A script acts on a real ensemble it builds (cluster.Ensemble, real raft
// over loopback TCP, real client sessions through coordtui's client), so
// what it shows is what the ensemble does. Transcripts print only what does
// not depend on scheduling: names instead of session ids and ports, zxids
// relative to the scenario's start (Env.Zxid), counts and outcomes instead
// of timings. What varies is claimed with bounds (wait ... within=) rather
// than printed. The ensemble step makes n1 the first leader, so a story
// starts the same way on every run; members picked by role later are
// named with as=NAME and printed by that name.
//
// # The language
//
//	# a comment
//	command word key=value "quoted words"
//	    indented lines belong to the command (narration, quiz, exercise)
//	----
//	the expected transcript, up to the next empty line
//
// Commands and predicates live in a Registry. Builtins has the engine's
// own (Registry.Commands lists them with usage): ensemble, crash, restart,
// add, remove, elect, speed, split, isolate, cut, heal, client, zk, events,
// worker, write, wait, assert, mark, measure, zxid, members, default,
// title, claim, summary, narrate, exercise, quiz, locker, resource, and
// recipe (start, step, show, together, stop a recipes/runner recipe held at
// every request; a step returns once its effect is observed), and herd
// (N clients on the herd lock or the predecessor lock, each release
// counted from the members' exact counters). Packages
// above this one add theirs with Registry.Add and Registry.AddPredicate —
// that is the extension point: the demos' balancer and master are a
// Command value each and nothing else.
//
// # Playing a script in a console
//
// A player makes a Runner with NewRunner (demos.NewRunner and
// lessons.NewRunner fill in their registries) and a Config that connects
// it to the screen:
//
//   - Config.Events: a bus the console has subscribed to, so it sees the
//     first election of every ensemble the script builds;
//   - Config.OnEnsemble: called when a step has built an ensemble; the
//     console reads Env.Ensemble, Env.Bus and Env.Pool (use that pool for
//     the worker keys, so exercises see what the learner did);
//   - Config.Learner: the console's quiz and exercise dialogs. Exercise
//     gets an *Exercise whose Check the console calls when the learner asks
//     (or every second) and whose Solve does the reference solution for a
//     learner who asks to be shown.
//
// Next runs one step on the caller's goroutine (a tea.Cmd) and returns its
// Result: the transcript lines, the claims and the Concerns — members by
// id, znodes, workers, clients — to highlight. Before running a step the
// player can show Step.Body (narration, with code kept indented) and
// Step.Concerns (what the text names). Pause is not calling Next; back is
// showing an earlier Result, or Replay to rebuild the world up to a step;
// speed is Env.SetSpeed, which also stretches the script's deadlines.
//
// The package never touches a terminal and never sleeps to synchronise: it
// waits for observed state with a deadline (Env.Poll).
package script
