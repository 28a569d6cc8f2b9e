package tree

import "strconv"

// CreateMode is the flags field of a create request (ZooKeeper's CreateMode).
// Only 0..6 are valid; Apply answers BADARGUMENTS for any other value.
type CreateMode int32

// ZooKeeper's create modes, by flag value.
const (
	Persistent                  CreateMode = 0
	Ephemeral                   CreateMode = 1
	PersistentSequential        CreateMode = 2
	EphemeralSequential         CreateMode = 3
	Container                   CreateMode = 4
	PersistentWithTTL           CreateMode = 5
	PersistentSequentialWithTTL CreateMode = 6
)

var modeNames = [...]string{
	"PERSISTENT", "EPHEMERAL", "PERSISTENT_SEQUENTIAL", "EPHEMERAL_SEQUENTIAL",
	"CONTAINER", "PERSISTENT_WITH_TTL", "PERSISTENT_SEQUENTIAL_WITH_TTL",
}

// Valid reports whether m is one of ZooKeeper's create modes.
func (m CreateMode) Valid() bool { return m >= 0 && int(m) < len(modeNames) }

// IsEphemeral reports whether the mode makes an ephemeral node.
func (m CreateMode) IsEphemeral() bool { return m == Ephemeral || m == EphemeralSequential }

// IsSequential reports whether the mode appends a sequence suffix.
func (m CreateMode) IsSequential() bool {
	return m == PersistentSequential || m == EphemeralSequential || m == PersistentSequentialWithTTL
}

// IsContainer reports whether the mode is CONTAINER.
func (m CreateMode) IsContainer() bool { return m == Container }

// IsTTL reports whether the mode is one of the TTL modes.
func (m CreateMode) IsTTL() bool { return m == PersistentWithTTL || m == PersistentSequentialWithTTL }

// String gives the Java enum name, e.g. "EPHEMERAL_SEQUENTIAL".
func (m CreateMode) String() string {
	if m.Valid() {
		return modeNames[m]
	}
	return "CreateMode(" + strconv.Itoa(int(m)) + ")"
}
