// Package runner runs one recipe with several clients at once — together,
// or one step at a time with the caller choosing which client takes its
// next step — and shows what each is doing: the pseudo-code line it is on,
// the request it is about to send, what it waits for (lock queues and
// election chains as a wait-for view), and the fencing tokens issued and
// checked by a protected resource. Everything it hands out is a copied
// snapshot of plain values with one-line String methods, for a console pane
// or a lesson transcript to print.
//
// Clients are any recipes.Client: a worker's session (worker.Pool.Client)
// or a plain one. The runner never opens, closes or crashes them; the
// caller does, and the runner shows the consequences.
package runner
