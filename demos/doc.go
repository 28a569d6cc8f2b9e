// Package demos holds the classroom scenarios: each is a script in
// assets/demos with the claim it proves, played by lessons/script on a
// real ensemble, in the console or headless, and each is also a golden
// test. The few actors a scenario needs beyond the engine's builtins — a
// load balancer watching /workers, a master that assigns tasks — are
// commands registered here, written against coordtui's own client.
package demos
