package source

import (
	"context"
	"strings"
	"time"

	"coordtui/cluster/zk"
)

// IsCoordtui reports whether the ensemble at connString is coordtui: the
// first member that answers srvr says so in its version line
// ("3.9.x-coordtui-..."). Attach lets the console write to coordtui by
// default (it is a teaching and testing ensemble) and to anything else only
// when asked. A member that does not answer srvr (TLS only, the word not
// whitelisted) counts as not coordtui, which errs on the read-only side.
func IsCoordtui(ctx context.Context, connString string) bool {
	hosts, _, err := zk.ParseConnString(connString)
	if err != nil {
		return false
	}
	for _, h := range hosts {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		text, err := zk.FourLetter(ctx, h, "srvr")
		cancel()
		if err != nil {
			continue
		}
		version, _, _ := strings.Cut(text, "\n")
		return strings.HasPrefix(version, "Zookeeper version:") && strings.Contains(version, "-coordtui-")
	}
	return false
}
