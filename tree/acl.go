package tree

import (
	"crypto/sha1"
	"encoding/base64"
	"strings"
)

// ID is an identity in some auth scheme: world:anyone, ip:10.0.0.0/8,
// digest:user:base64hash, super:... .
type ID struct{ Scheme, ID string }

// String gives "scheme:id".
func (id ID) String() string { return id.Scheme + ":" + id.ID }

// ACL grants Perms to the identities ID matches.
type ACL struct {
	Perms int32
	ID    ID
}

// String gives "scheme:id=perms", perms as zkCli prints them ("cdrwa").
func (a ACL) String() string { return a.ID.String() + "=" + PermString(a.Perms) }

// Permission bits (ZooDefs.Perms).
const (
	PermRead   int32 = 1
	PermWrite  int32 = 2
	PermCreate int32 = 4
	PermDelete int32 = 8
	PermAdmin  int32 = 16
	PermAll    int32 = 31
)

// ZooKeeper's well-known ACLs (ZooDefs.Ids). Treat them as constants.
var (
	OpenACL       = []ACL{{PermAll, ID{"world", "anyone"}}}
	ReadACL       = []ACL{{PermRead, ID{"world", "anyone"}}}
	CreatorAllACL = []ACL{{PermAll, ID{"auth", ""}}}
)

// The tree's own copies, so that nothing a caller does to the exported
// variables can change what New builds.
var (
	openACL = []ACL{{PermAll, ID{"world", "anyone"}}}
	readACL = []ACL{{PermRead, ID{"world", "anyone"}}}
)

// PermString renders perms in zkCli's order, e.g. 31 → "cdrwa", 1 → "r".
func PermString(p int32) string {
	var b []byte
	for _, x := range []struct {
		bit int32
		c   byte
	}{{PermCreate, 'c'}, {PermDelete, 'd'}, {PermRead, 'r'}, {PermWrite, 'w'}, {PermAdmin, 'a'}} {
		if p&x.bit != 0 {
			b = append(b, x.c)
		}
	}
	return string(b)
}

// DigestID is the id the digest scheme derives from a user and password:
// "user:base64(sha1(user:password))", as DigestAuthenticationProvider does.
func DigestID(user, password string) string {
	sum := sha1.Sum([]byte(user + ":" + password))
	return user + ":" + base64.StdEncoding.EncodeToString(sum[:])
}

// HasPerm reports whether the identities auth hold any of the bits in perm
// under acl, by ZooKeeper's checkACL: an empty ACL allows everything; an id
// with scheme "super" passes everything; world:anyone matches everybody;
// digest ids match by equality; ip entries ("addr" or "addr/bits", IPv4 or
// IPv6) match ip ids by prefix. Other schemes match nothing.
func HasPerm(acl []ACL, auth []ID, perm int32) bool {
	if len(acl) == 0 {
		return true
	}
	for _, id := range auth {
		if id.Scheme == "super" {
			return true
		}
	}
	for _, a := range acl {
		if a.Perms&perm == 0 {
			continue
		}
		switch a.ID.Scheme {
		case "world":
			if a.ID.ID == "anyone" {
				return true
			}
		case "digest":
			for _, id := range auth {
				if id.Scheme == "digest" && id.ID == a.ID.ID {
					return true
				}
			}
		case "ip":
			for _, id := range auth {
				if id.Scheme == "ip" && ipMatches(id.ID, a.ID.ID) {
					return true
				}
			}
		}
	}
	return false
}

// fixupACL is PrepRequestProcessor.fixupACL: it drops duplicates, rejects an
// empty list, unknown schemes and malformed ids, and expands "auth" into the
// caller's authenticated ids. It returns acl itself when nothing changes.
func fixupACL(acl []ACL, auth []ID) ([]ACL, Code) {
	if len(acl) == 0 {
		return nil, ErrInvalidACL
	}
	out := acl
	copied := false
	for i, a := range acl {
		dup := false
		for _, b := range acl[:i] {
			if a == b {
				dup = true
				break
			}
		}
		if dup || a.ID.Scheme == "auth" {
			if !copied {
				out = append(make([]ACL, 0, len(acl)+len(auth)), acl[:i]...)
				copied = true
			}
		}
		if dup {
			continue
		}
		switch a.ID.Scheme {
		case "world":
			if a.ID.ID != "anyone" {
				return nil, ErrInvalidACL
			}
		case "auth":
			n := len(out)
			for _, id := range auth {
				if authenticatedScheme(id.Scheme) {
					out = append(out, ACL{a.Perms, id})
				}
			}
			if len(out) == n {
				return nil, ErrInvalidACL
			}
			continue
		case "digest":
			if !validDigestID(a.ID.ID) {
				return nil, ErrInvalidACL
			}
		case "ip":
			if !validIPExpr(a.ID.ID) {
				return nil, ErrInvalidACL
			}
		default:
			return nil, ErrInvalidACL
		}
		if copied {
			out = append(out, a)
		}
	}
	return out, OK
}

// authenticatedScheme reports whether ids of the scheme count for "auth"
// expansion. ZooKeeper expands ids whose provider says isAuthenticated: of
// the default providers only digest; ip does not, and super has no provider.
func authenticatedScheme(s string) bool { return s == "digest" }

// validDigestID is DigestAuthenticationProvider.isValid: id.split(":") has
// exactly two parts, with Java's split dropping trailing empty strings.
func validDigestID(id string) bool {
	parts := strings.Split(id, ":")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return len(parts) == 2
}

// maskDigest hides the hash of digest ids ("user:hash" → "user:x"), as
// getACL does for callers without ADMIN.
func maskDigest(acl []ACL) {
	for i := range acl {
		if acl[i].ID.Scheme == "digest" {
			if j := strings.IndexByte(acl[i].ID.ID, ':'); j >= 0 {
				acl[i].ID.ID = acl[i].ID.ID[:j] + ":x"
			}
		}
	}
}
