package cluster

import (
	"fmt"

	"github.com/hashicorp/raft"

	"coordtui/cluster/faultnet"
)

// FaultNetwork puts members behind a faultnet.Links table: raft RPCs pass
// its faults in full (cut, one-way, delay, loss, hold); peer messages
// (forwarded writes, session pings) are refused on a cut link, so a
// partition stops them as it stops raft.
func FaultNetwork(links *faultnet.Links) Network { return faultNetwork{l: links} }

// StandaloneFaultNetwork is FaultNetwork for one member whose peers run in
// other processes (`coordtui server --faults`): its table governs only the
// links that touch it, so a cut is enforced on what it receives as well as
// on what it sends (faultnet.WrapStandalone).
func StandaloneFaultNetwork(links *faultnet.Links) Network { return faultNetwork{links, true} }

type faultNetwork struct {
	l          *faultnet.Links
	standalone bool
}

func (f faultNetwork) Transport(self uint64, inner *raft.NetworkTransport) raft.Transport {
	if f.standalone {
		return faultnet.WrapStandalone(f.l, string(ServerID(self)), inner)
	}
	return faultnet.Wrap(f.l, string(ServerID(self)), inner)
}

func (f faultNetwork) Deliver(from, to uint64) error {
	if f.l.Get(string(ServerID(from)), string(ServerID(to))).Cut {
		return fmt.Errorf("n%d->n%d: %w", from, to, faultnet.ErrCut)
	}
	return nil
}
