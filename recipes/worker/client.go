package worker

import "coordtui/cluster/zk"

// Client returns worker id's session, for running a recipe on it (a worker
// is a client process; the recipe is what that process does). The caller
// must not close it: Stop, Crash and Expire are the pool's.
func (p *Pool) Client(id int) (*zk.Client, error) { return p.client(id) }
