package standin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Resource is one live resource, as tests see it.
type Resource struct {
	Type string // token, e.g. aws:ec2/instance:Instance
	Name string // the URN's name
	URN  string
	ID   string
	// Properties are the outputs as plain Go values (secrets unwrapped):
	// string, float64, bool, []any, map[string]any or nil.
	Properties map[string]any
	// Secrets lists the top-level outputs that are marked secret.
	Secrets []string
}

// Operation is one resource operation the engine asked for.
type Operation struct {
	// Op is "create", "update", "delete" or "replace" (the create half of a
	// replacement; its delete half is a "delete" of the old id), or
	// "instance-refresh" when an auto scaling group with an instance_refresh
	// block gets a new launch template version, or one of the calls the
	// provider makes before terminating an instance (resourceInstanceDelete):
	// "disable-api-termination=false", and "disable-api-stop=true" when stop
	// protection is on (which then refuses the terminate).
	Op      string
	Type    string
	Name    string
	URN     string
	ID      string // empty for a create during preview
	Preview bool
}

// record is a live resource.
type record struct {
	typ, urn, id string
	inputs       resource.PropertyMap
	outputs      resource.PropertyMap
	seq          int
}

func (r *record) name() string { return resource.URN(r.urn).Name() }

type state struct {
	seq       int
	live      map[string]*record // by key(type, id)
	counters  map[string]int
	ops       []Operation
	arns      []string
	arnSeen   map[string]bool
	objects   map[string]map[string]bool // bucket -> keys
	replacing map[string]bool            // URNs whose last Diff declared a replacement
}

func newState() *state {
	return &state{
		live: map[string]*record{}, counters: map[string]int{}, arnSeen: map[string]bool{},
		objects: map[string]map[string]bool{}, replacing: map[string]bool{},
	}
}

func key(typ, id string) string { return typ + "\x00" + id }

func (st *state) get(typ, id string) *record { return st.live[key(typ, id)] }

func (st *state) put(r *record) {
	if old := st.live[key(r.typ, r.id)]; old != nil {
		r.seq = old.seq
	} else {
		st.seq++
		r.seq = st.seq
	}
	st.live[key(r.typ, r.id)] = r
}

func (st *state) remove(typ, id string) { delete(st.live, key(typ, id)) }

// all returns the live records of a type (all types if typ is empty), oldest first.
func (st *state) all(typ string) []*record {
	var out []*record
	for _, r := range st.live {
		if typ == "" || r.typ == typ {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// hexID returns a deterministic id: prefix-<n hex digits>, from a counter per prefix.
// Assumption: AWS's ids are random; only their shape matters to the installer.
func (st *state) hexID(prefix string, n int) string {
	st.counters[prefix]++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", prefix, st.counters[prefix])))
	return prefix + "-" + hex.EncodeToString(sum[:])[:n]
}

// next returns the next value of a named counter, from 1.
func (st *state) next(name string) int {
	st.counters[name]++
	return st.counters[name]
}

// upperID returns a deterministic IAM-style unique id such as AROA...
// Source: IAM User Guide, "IAM identifiers", "Unique identifiers" (a
// four-letter prefix by type, AROA for roles, AIPA for instance profiles,
// and 17 more characters).
func (st *state) upperID(prefix string) string {
	st.counters[prefix]++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", prefix, st.counters[prefix])))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; i < 17; i++ {
		b.WriteByte(alphabet[int(sum[i])%len(alphabet)])
	}
	return b.String()
}

var arnRE = regexp.MustCompile(`arn:[a-z0-9-]+:[a-z0-9-]*:[a-z0-9-]*:[0-9*]*:[^\s"',\]\[}{]+`)

// seeARNs records every ARN in a property map, including ARNs inside
// strings such as policy documents.
func (st *state) seeARNs(v any) {
	walkStrings(v, func(s string) {
		for _, a := range arnRE.FindAllString(s, -1) {
			if !st.arnSeen[a] {
				st.arnSeen[a] = true
				st.arns = append(st.arns, a)
			}
		}
	})
}

func (st *state) op(o Operation) { st.ops = append(st.ops, o) }

// Inventory lists the live resources, oldest first.
func (s *Server) Inventory() []Resource {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Resource
	for _, r := range s.st.all("") {
		res := Resource{Type: r.typ, Name: r.name(), URN: r.urn, ID: r.id, Properties: plainMap(r.outputs)}
		for k, v := range r.outputs {
			if v.IsSecret() {
				res.Secrets = append(res.Secrets, string(k))
			}
		}
		sort.Strings(res.Secrets)
		out = append(out, res)
	}
	return out
}

// Find returns the live resources of a type.
func (s *Server) Find(typ string) []Resource {
	var out []Resource
	for _, r := range s.Inventory() {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// Operations lists the operations so far, in order.
func (s *Server) Operations() []Operation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Operation(nil), s.st.ops...)
}

// ARNs lists every distinct ARN seen in inputs and in invoke arguments and
// results, in the order first seen.
func (s *Server) ARNs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.st.arns...)
}

// PutObject puts an object into a bucket, so that deleting the bucket
// without forceDestroy fails as it does on S3. The bucket must exist.
// Source: S3 API Reference, PutObject, "Errors" (NoSuchBucket).
func (s *Server) PutObject(bucket, objectKey string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.get(tBucket, bucket) == nil {
		return fmt.Errorf("NoSuchBucket: The specified bucket does not exist: %s", bucket)
	}
	if s.st.objects[bucket] == nil {
		s.st.objects[bucket] = map[string]bool{}
	}
	s.st.objects[bucket][objectKey] = true
	return nil
}

// Reset forgets every resource, operation, ARN and counter (but not the
// provider configuration).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = newState()
}

// partition is an AWS partition.
type partition struct {
	name      string // aws, aws-us-gov, aws-cn
	dnsSuffix string // amazonaws.com, amazonaws.com.cn
}

// Source: AWS General Reference, "Amazon Resource Names (ARNs)" (partitions
// aws, aws-cn, aws-us-gov) and the endpoints of the China Regions
// (amazonaws.com.cn).
func partitionOf(region string) partition {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return partition{"aws-us-gov", "amazonaws.com"}
	case strings.HasPrefix(region, "cn-"):
		return partition{"aws-cn", "amazonaws.com.cn"}
	}
	return partition{"aws", "amazonaws.com"}
}

// arn builds an ARN in the configured partition.
func (c *providerConfig) arn(service, region, account, res string) string {
	return "arn:" + c.partition.name + ":" + service + ":" + region + ":" + account + ":" + res
}

// regional builds an ARN in the configured region and the account.
func (c *providerConfig) regional(service, res string) string {
	return c.arn(service, c.region, Account, res)
}

// computeDomain is EC2's DNS domain for public names in the region.
// Source: Amazon EC2 User Guide, "Amazon EC2 instance hostname types"
// (ec2-<ip>.compute-1.amazonaws.com in us-east-1,
// ec2-<ip>.<region>.compute.amazonaws.com elsewhere).
func (c *providerConfig) computeDomain() string {
	if c.region == "us-east-1" {
		return "compute-1." + c.partition.dnsSuffix
	}
	return c.region + ".compute." + c.partition.dnsSuffix
}

// internalDomain is EC2's DNS domain for private names in the region.
// Source: Amazon EC2 User Guide, "Amazon EC2 instance hostname types"
// (ip-<ip>.ec2.internal in us-east-1, ip-<ip>.<region>.compute.internal
// elsewhere).
func (c *providerConfig) internalDomain() string {
	if c.region == "us-east-1" {
		return "ec2.internal"
	}
	return c.region + ".compute.internal"
}
