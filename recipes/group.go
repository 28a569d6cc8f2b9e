package recipes

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"coordtui/cluster/zk"
)

// GroupProgram is the pseudo-code GroupMember's steps point into.
var GroupProgram = Program{
	"join: create <group>/<id> (ephemeral) holding my data",
	"update: set <group>/<id> to new data",
	"leave: delete <group>/<id>",
	"members: children <group>, then get each",
}

// GroupMember is one member of a group (Curator's GroupMember, kazoo's
// Party): an ephemeral node named by the member's id under the group's
// path, so the group lists exactly the members whose sessions live. Watch
// the group with a ChildrenCache for a live view.
//
// Connection states: Join and Update retry under the RetryPolicy (a retried
// join that had landed is recognised: the node exists and this session owns
// it). While Suspended the member stays in the group; when its session is
// Lost it has left, and its calls fail with ErrSessionLost — join again on
// a new session.
type GroupMember struct {
	p    *proc
	dir  string
	id   string
	data []byte
}

// NewGroupMember returns member id, with data, of the group at dir.
func NewGroupMember(c Client, dir, id string, data []byte, opts ...Option) *GroupMember {
	return &GroupMember{p: newProc(c, "group", opts), dir: dir, id: id, data: data}
}

// Path is the member's node.
func (m *GroupMember) Path() string { return join(m.dir, m.id) }

// Join adds the member to the group. It fails with zk.ErrNodeExists when
// another session is a member under the same id.
func (m *GroupMember) Join(ctx context.Context) error {
	create := func() error {
		return m.p.op(ctx, Step{Line: 1, Kind: KindCreate, Path: m.Path(), Detail: modeText(zk.ModeEphemeral)}, func(s *Step) error {
			err := m.p.retry(ctx, func() error {
				_, _, err := m.p.c.Create2(ctx, m.Path(), m.data, m.p.acl, zk.ModeEphemeral)
				return err
			})
			if errors.Is(err, zk.ErrNodeExists) {
				st, serr := m.p.c.Exists(ctx, m.Path())
				if serr == nil && st != nil && st.EphemeralOwner == m.p.c.SessionID() {
					s.Note = "already in (a retried create)"
					return nil
				}
			}
			return checkLost(err)
		})
	}
	err := create()
	if errors.Is(err, zk.ErrNoNode) {
		if err = m.p.ensurePath(ctx, 1, m.dir, zk.ModePersistent); err == nil {
			err = create()
		}
	}
	return err
}

// Update replaces the member's data.
func (m *GroupMember) Update(ctx context.Context, data []byte) error {
	err := m.p.op(ctx, Step{Line: 2, Kind: KindSet, Path: m.Path()}, func(*Step) error {
		return checkLost(m.p.retry(ctx, func() error {
			_, err := m.p.c.Set(ctx, m.Path(), data, -1)
			return err
		}))
	})
	if err == nil {
		m.data = data
	}
	return err
}

// Leave removes the member; leaving twice is fine.
func (m *GroupMember) Leave(ctx context.Context) error {
	return m.p.op(ctx, Step{Line: 3, Kind: KindDelete, Path: m.Path(), Detail: "leave"}, func(s *Step) error {
		err := m.p.retry(ctx, func() error { return m.p.c.Delete(ctx, m.Path(), -1) })
		if errors.Is(err, zk.ErrNoNode) {
			s.Note = "not in"
			return nil
		}
		return checkLost(err)
	})
}

// Member is one member of a group as read.
type Member struct {
	ID      string
	Data    []byte
	Session int64 // the owning session
}

// String: "w1 s1000000002 (12 bytes)".
func (m Member) String() string {
	return fmt.Sprintf("%s s%x (%d bytes)", m.ID, m.Session, len(m.Data))
}

// Members lists the group at dir, by id. A member that leaves meanwhile is
// left out; a missing group is empty.
func Members(ctx context.Context, c Client, dir string) ([]Member, error) {
	kids, _, err := c.Children2(ctx, dir)
	if errors.Is(err, zk.ErrNoNode) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	slices.Sort(kids)
	var out []Member
	for _, k := range kids {
		data, st, err := c.Get(ctx, join(dir, k))
		if errors.Is(err, zk.ErrNoNode) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Member{ID: k, Data: data, Session: st.EphemeralOwner})
	}
	return out, nil
}
