package recipes

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Instance is one instance of a service, as registered (Curator's
// ServiceInstance): stored as JSON in an ephemeral node
// <base>/<service>/<id>.
type Instance struct {
	Service string `json:"name"`
	ID      string `json:"id"`
	Address string `json:"address"`
	Port    int    `json:"port"`
	Payload string `json:"payload,omitempty"`
}

// String: "web/i1 127.0.0.1:8080".
func (i Instance) String() string {
	return fmt.Sprintf("%s/%s %s:%d", i.Service, i.ID, i.Address, i.Port)
}

// Registry registers service instances under a base path (Curator's
// ServiceDiscovery): each instance is a group member of its service, so it
// disappears with its session. Connection states as GroupMember.
type Registry struct {
	c    Client
	base string
	opts []Option

	mu      sync.Mutex
	members map[string]*GroupMember
}

// NewRegistry returns a registry under base (e.g. "/services").
func NewRegistry(c Client, base string, opts ...Option) *Registry {
	return &Registry{c: c, base: base, opts: opts, members: make(map[string]*GroupMember)}
}

func (r *Registry) key(i Instance) string { return i.Service + "/" + i.ID }

// Register adds (or re-adds) an instance.
func (r *Registry) Register(ctx context.Context, i Instance) error {
	if i.Service == "" || i.ID == "" || strings.ContainsRune(i.Service+i.ID, '/') {
		return fmt.Errorf("recipes: instance needs a service and an id without '/': %v", i)
	}
	data, err := json.Marshal(i)
	if err != nil {
		return err
	}
	m := NewGroupMember(r.c, join(r.base, i.Service), i.ID, data, append(r.opts[:len(r.opts):len(r.opts)], withRecipe("registry"))...)
	if err := m.Join(ctx); err != nil {
		return err
	}
	r.mu.Lock()
	r.members[r.key(i)] = m
	r.mu.Unlock()
	return nil
}

// Unregister removes an instance this registry registered.
func (r *Registry) Unregister(ctx context.Context, i Instance) error {
	r.mu.Lock()
	m := r.members[r.key(i)]
	delete(r.members, r.key(i))
	r.mu.Unlock()
	if m == nil {
		return fmt.Errorf("%w: %v was not registered here", ErrNotHeld, i)
	}
	return m.Leave(ctx)
}

// Instances reads the live instances of service, by id.
func Instances(ctx context.Context, c Client, base, service string) ([]Instance, error) {
	ms, err := Members(ctx, c, join(base, service))
	if err != nil {
		return nil, err
	}
	var out []Instance
	for _, m := range ms {
		var i Instance
		if err := json.Unmarshal(m.Data, &i); err != nil {
			continue // not an instance: ignore, as Curator does
		}
		out = append(out, i)
	}
	return out, nil
}

// ServiceCache is a live view of one service's instances, kept by a
// ChildrenCache, with a round-robin pick (Curator's ServiceProvider with
// RoundRobinStrategy): the load balancer's view. Connection states as
// Cache: while Suspended it serves its last view (instances may have gone),
// and when its session is Lost it stops updating.
type ServiceCache struct {
	cache   *Cache
	service string

	mu   sync.Mutex
	next int
}

// NewServiceCache returns a cache of service's instances under base.
func NewServiceCache(c Client, base, service string, opts ...Option) *ServiceCache {
	return &ServiceCache{cache: NewChildrenCache(c, join(base, service), opts...), service: service}
}

// Start loads the instances and keeps them current until Close.
func (s *ServiceCache) Start(ctx context.Context) error { return s.cache.Start(ctx) }

// Close stops the cache.
func (s *ServiceCache) Close() { s.cache.Close() }

// Instances returns the cached instances, by id.
func (s *ServiceCache) Instances() []Instance {
	var out []Instance
	root := s.cache.root
	for _, n := range s.cache.Children(root) {
		var i Instance
		if json.Unmarshal(n.Data, &i) == nil {
			out = append(out, i)
		}
	}
	return out
}

// Pick returns the next instance round-robin, false when there is none.
func (s *ServiceCache) Pick() (Instance, bool) {
	is := s.Instances()
	if len(is) == 0 {
		return Instance{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := is[s.next%len(is)]
	s.next++
	return i, true
}

// WaitFor blocks until cond holds for the cached instances.
func (s *ServiceCache) WaitFor(ctx context.Context, cond func([]Instance) bool) error {
	return s.cache.WaitFor(ctx, func([]CachedNode) bool { return cond(s.Instances()) })
}

// String: "web: i1 127.0.0.1:8080, i2 127.0.0.1:8081".
func (s *ServiceCache) String() string {
	var parts []string
	for _, i := range s.Instances() {
		parts = append(parts, fmt.Sprintf("%s %s:%d", i.ID, i.Address, i.Port))
	}
	slices.Sort(parts)
	return s.service + ": " + strings.Join(parts, ", ")
}
