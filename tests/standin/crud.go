package standin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// kind is what the stand-in knows of one resource type.
type kind struct {
	token string
	what  string // for messages: "EC2 Security Group"
	// nameKey is the property AWS names the resource by; it is autonamed
	// when absent, and an explicit one makes replacements delete first, as
	// the real provider does.
	nameKey string
	// replaces are the property paths ("a" or "a.b") whose change forces a
	// replacement; replaceIf adds more depending on the new inputs.
	replaces  []string
	replaceIf func(news resource.PropertyMap) []string
	defaults  map[string]any // filled in by Check, as the real provider's schema defaults
	computed  []string       // outputs unknown until the resource exists
	tags      bool           // has tags and tagsAll (provider default tags merged in)

	check  func(c *call, news resource.PropertyMap, f *failures)
	create func(c *call, ins resource.PropertyMap) (id string, computed resource.PropertyMap, err error)
	// update validates and applies new inputs; it returns computed outputs
	// that change (nil keeps the old ones).
	update func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error)
	// previewUpdate returns the computed outputs a preview of an update
	// cannot know.
	previewUpdate func(c *call, old *record, ins resource.PropertyMap) resource.PropertyMap
	delete        func(c *call, r *record) error
}

var kinds = map[string]*kind{}

func register(ks ...*kind) {
	for _, k := range ks {
		kinds[k.token] = k
	}
}

// call is one resource operation in progress. The server's lock is held.
type call struct {
	s       *Server
	st      *state
	cfg     *providerConfig
	typ     string
	urn     string
	preview bool
	after   []Operation // operations that follow this one, such as an instance refresh
}

func (c *call) name() string { return resource.URN(c.urn).Name() }

func reqType(typ, urn string) string {
	if typ != "" {
		return typ
	}
	return string(resource.URN(urn).Type())
}

// begin locks the server and resolves the kind and configuration.
func (s *Server) begin(ctx context.Context, typ, urn string, preview bool) (*kind, *call, error) {
	k := kinds[typ]
	if k == nil {
		return nil, nil, unknownType(typ)
	}
	s.mu.Lock()
	cfg, err := s.config(ctx)
	if err != nil {
		s.mu.Unlock()
		return nil, nil, err
	}
	return k, &call{s: s, st: s.st, cfg: cfg, typ: typ, urn: urn, preview: preview}, nil
}

const defaultsKey = "__defaults"

// Check fills in defaults and autonames, and reports invalid inputs.
func (s *Server) Check(ctx context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	typ := reqType(req.GetType(), req.GetUrn())
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	k, c, err := s.begin(ctx, typ, req.GetUrn(), false)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	c.st.seeARNs(news)

	var defaulted []string
	delete(news, defaultsKey)
	for key, v := range k.defaults {
		if !has(news, key) && !isUnknown(news, key) {
			news[resource.PropertyKey(key)] = pv(v)
			defaulted = append(defaulted, key)
		}
	}
	if k.nameKey != "" && !has(news, k.nameKey) && !isUnknown(news, k.nameKey) {
		name := ""
		if wasDefaulted(olds, k.nameKey) {
			name = str(olds, k.nameKey)
		}
		if name == "" {
			name = autoname(k, c.name(), news, req.GetRandomSeed(), c.urn)
		}
		news[resource.PropertyKey(k.nameKey)] = resource.NewStringProperty(name)
		defaulted = append(defaulted, k.nameKey)
	}
	sort.Strings(defaulted)
	news[defaultsKey] = pv(defaulted)

	var f failures
	if k.check != nil {
		k.check(c, news, &f)
	}
	inputs, err := marshal(news)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: f}, nil
}

func wasDefaulted(m resource.PropertyMap, prop string) bool {
	for _, d := range strs(m, defaultsKey) {
		if d == prop {
			return true
		}
	}
	return false
}

// autoname derives a name from the resource name and a stable random
// suffix, as Pulumi's autonaming does.
func autoname(k *kind, base string, news resource.PropertyMap, seed []byte, urn string) string {
	if p := str(news, "namePrefix"); p != "" {
		base = strings.TrimSuffix(p, "-")
	}
	if len(seed) == 0 {
		seed = []byte(urn)
	}
	sum := sha256.Sum256(seed)
	name := base + "-" + hex.EncodeToString(sum[:])[:7]
	switch k.token {
	case tBucket:
		name = strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	case tQueue:
		if boolv(news, "fifoQueue") {
			name += ".fifo"
		}
	}
	return name
}

// outputs are the inputs plus the computed properties.
func (k *kind) outputs(c *call, ins, computed resource.PropertyMap) resource.PropertyMap {
	out := resource.PropertyMap{}
	for key, v := range ins {
		if key != defaultsKey {
			out[key] = v
		}
	}
	for key, v := range computed {
		out[key] = v
	}
	if k.tags {
		out["tagsAll"] = tagsAll(c.cfg, ins)
	}
	return out
}

func tagsAll(cfg *providerConfig, ins resource.PropertyMap) resource.PropertyValue {
	if isUnknown(ins, "tags") {
		return unknown()
	}
	all := map[string]string{}
	for k, v := range cfg.defaultTags {
		all[k] = v
	}
	for k, v := range stringMap(ins, "tags") {
		all[k] = v
	}
	if ins["tags"].ContainsSecrets() {
		return resource.MakeSecret(pv(all))
	}
	return pv(all)
}

// Create creates the resource; during preview it only tells which outputs
// are unknown, and changes nothing.
func (s *Server) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	typ := reqType(req.GetType(), req.GetUrn())
	ins, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	k, c, err := s.begin(ctx, typ, req.GetUrn(), req.GetPreview())
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	c.st.seeARNs(ins)
	op := "create"
	if c.st.replacing[c.urn] {
		op = "replace"
	}

	if c.preview {
		computed := resource.PropertyMap{}
		for _, key := range k.computed {
			if !has(ins, key) {
				computed[resource.PropertyKey(key)] = unknown()
			}
		}
		c.st.op(Operation{Op: op, Type: typ, Name: c.name(), URN: c.urn, Preview: true})
		props, err := marshal(k.outputs(c, ins, computed))
		if err != nil {
			return nil, err
		}
		return &pulumirpc.CreateResponse{Properties: props}, nil
	}
	if ins.ContainsUnknowns() {
		return nil, fmt.Errorf("standin: Create of %s with unknown inputs outside preview", c.urn)
	}
	id, computed, err := k.create(c, ins)
	if err != nil {
		s.logf("create %s %s failed: %v", typ, c.name(), err)
		return nil, rpcErr(err)
	}
	outs := k.outputs(c, ins, computed)
	c.st.put(&record{typ: typ, urn: c.urn, id: id, inputs: ins, outputs: outs})
	delete(c.st.replacing, c.urn)
	c.st.op(Operation{Op: op, Type: typ, Name: c.name(), URN: c.urn, ID: id})
	s.logf("%s %s %s -> %s", op, typ, c.name(), id)
	props, err := marshal(outs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

// Read returns the live state, or no id when the resource is gone.
func (s *Server) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	typ := reqType(req.GetType(), req.GetUrn())
	_, c, err := s.begin(ctx, typ, req.GetUrn(), false)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	r := c.st.get(typ, req.GetId())
	if r == nil {
		return &pulumirpc.ReadResponse{}, nil
	}
	props, err := marshal(r.outputs)
	if err != nil {
		return nil, err
	}
	ins, err := marshal(r.inputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: r.id, Properties: props, Inputs: ins}, nil
}

// Update applies new inputs in place; during preview it changes nothing.
func (s *Server) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	typ := reqType(req.GetType(), req.GetUrn())
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	k, c, err := s.begin(ctx, typ, req.GetUrn(), req.GetPreview())
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	c.st.seeARNs(news)
	old := c.st.get(typ, req.GetId())
	if old == nil {
		return nil, rpcErr(fmt.Errorf("updating %s (%s): couldn't find resource", k.what, req.GetId()))
	}
	// Keep the computed outputs; drop inputs that are gone.
	computed := resource.PropertyMap{}
	for key, v := range old.outputs {
		if _, isInput := old.inputs[key]; !isInput && key != "tagsAll" {
			computed[key] = v
		}
	}
	if c.preview {
		if k.previewUpdate != nil {
			for key, v := range k.previewUpdate(c, old, news) {
				computed[key] = v
			}
		}
		c.st.op(Operation{Op: "update", Type: typ, Name: c.name(), URN: c.urn, ID: old.id, Preview: true})
		props, err := marshal(k.outputs(c, news, computed))
		if err != nil {
			return nil, err
		}
		return &pulumirpc.UpdateResponse{Properties: props}, nil
	}
	if k.update != nil {
		changed, err := k.update(c, old, news)
		if err != nil {
			s.logf("update %s %s failed: %v", typ, c.name(), err)
			return nil, rpcErr(err)
		}
		for key, v := range changed {
			computed[key] = v
		}
	}
	outs := k.outputs(c, news, computed)
	c.st.put(&record{typ: typ, urn: c.urn, id: old.id, inputs: news, outputs: outs})
	c.st.op(Operation{Op: "update", Type: typ, Name: c.name(), URN: c.urn, ID: old.id})
	for _, o := range c.after {
		c.st.op(o)
	}
	s.logf("update %s %s %s", typ, c.name(), old.id)
	props, err := marshal(outs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

// Delete deletes the resource; one already gone is deleted, as the real
// provider treats "not found".
func (s *Server) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	typ := reqType(req.GetType(), req.GetUrn())
	k, c, err := s.begin(ctx, typ, req.GetUrn(), false)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if r := c.st.get(typ, req.GetId()); r != nil {
		if k.delete != nil {
			if err := k.delete(c, r); err != nil {
				s.logf("delete %s %s failed: %v", typ, c.name(), err)
				return nil, rpcErr(err)
			}
		}
		c.st.remove(typ, r.id)
	}
	c.st.op(Operation{Op: "delete", Type: typ, Name: c.name(), URN: c.urn, ID: req.GetId()})
	s.logf("delete %s %s %s", typ, c.name(), req.GetId())
	return &emptypb.Empty{}, nil
}
