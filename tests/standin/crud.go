package standin

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// kind is what the stand-in knows of one resource type.
type kind struct {
	token string
	what  string // for messages: "EC2 Security Group"
	// nameKey is the property AWS names the resource by. Check autonames it
	// when it and prefixKey are absent; an explicit one makes replacements
	// delete first, as the real provider does.
	nameKey string
	// prefixKey is the property that asks the provider for a name with a
	// unique suffix (namePrefix, or bucketPrefix); "" means namePrefix when
	// nameKey is "name".
	prefixKey string
	// autoname shapes the name Check makes; nil is pulumi-aws's default.
	autoname *autonameRule
	// fromPrefix makes the name from prefixKey at create time; nil is
	// prefix followed by a unique id.
	fromPrefix func(prefix string, ins resource.PropertyMap, id string) string
	// replaces are the property paths ("a" or "a.b") whose change forces a
	// replacement; replaceIf adds more depending on the new inputs, and
	// replaceOnChange more depending on the old and the new.
	replaces        []string
	replaceIf       func(news resource.PropertyMap) []string
	replaceOnChange func(olds, news resource.PropertyMap) []string
	defaults        map[string]any // filled in by Check, as the real provider's schema defaults
	computed        []string       // outputs unknown until the resource exists
	// importID turns the id `pulumi import` is given into the record's id,
	// for types whose importer takes another form; nil: the same.
	importID func(c *call, id string) string
	// secrets are the provider's Sensitive attributes: secret in the checked
	// inputs and in the outputs, whether or not the program made them secret.
	secrets []string
	tags    bool // has tags and tagsAll (provider default tags merged in)

	check func(c *call, news resource.PropertyMap, f *failures)
	// plan is the provider's CustomizeDiff: refusals made while planning a
	// create (old is nil) or an update, which fail the preview with an error
	// rather than a Check failure.
	plan   func(c *call, old *record, news resource.PropertyMap) error
	create func(c *call, ins resource.PropertyMap) (id string, computed resource.PropertyMap, err error)
	// update validates and applies new inputs; it returns computed outputs
	// that change (nil keeps the old ones).
	update func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error)
	// previewUpdate returns the computed outputs a preview of an update
	// cannot know.
	previewUpdate func(c *call, old *record, ins resource.PropertyMap) resource.PropertyMap
	delete        func(c *call, r *record) error
}

// autonameRule is how pulumi-aws makes a name from the resource's name.
// Source: pulumi-terraform-bridge pkg/tfbridge/names.go, AutoName,
// AutoNameTransform and ComputeAutoNameDefault (name + "-" + 7 random hex
// characters from the engine's random seed, at most maxlen, then
// PostTransform); pulumi-aws provider/autonaming.go, setAutonaming (255 for
// every "name" not overridden in provider/resources.go).
type autonameRule struct {
	maxlen int
	lower  bool // Transform: strings.ToLower
	post   func(news resource.PropertyMap, name string) string
}

func (k *kind) prefixProp() string {
	switch {
	case k.prefixKey != "":
		return k.prefixKey
	case k.nameKey == "name":
		return "namePrefix"
	}
	return ""
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

// defaultsKey lists the inputs Check filled in, so that later checks reuse
// them and Diff knows an autoname from an explicit name.
// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go, defaultsKey and
// applyDefaults.
const defaultsKey = "__defaults"

// Check fills in defaults and autonames, and reports invalid inputs.
// Source: pulumi-terraform-bridge pkg/tfbridge/provider.go, Check: the
// provider's validators run on the inputs, whose returned form carries the
// schema defaults and the Sensitive attributes marked secret.
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
	// The bridge sets no default that conflicts with a set property, so a
	// name prefix leaves the name to the provider.
	// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go, applyDefaults
	// (buildConflictsWith); pulumi/pulumi-aws#143.
	prefix := k.prefixProp()
	if k.nameKey != "" && !has(news, k.nameKey) && !isUnknown(news, k.nameKey) &&
		(prefix == "" || !has(news, prefix) && !isUnknown(news, prefix)) {
		name := ""
		// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go,
		// applyDefaults: an old default is reused while it was a default.
		if wasDefaulted(olds, k.nameKey) {
			name = str(olds, k.nameKey)
		}
		if name == "" {
			if name, err = autoname(k, resource.URN(c.urn), news, req.GetRandomSeed()); err != nil {
				return nil, err
			}
		}
		news[resource.PropertyKey(k.nameKey)] = resource.NewStringProperty(name)
		defaulted = append(defaulted, k.nameKey)
	}
	sort.Strings(defaulted)
	news[defaultsKey] = pv(defaulted)
	markSecrets(k, news)

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

// markSecrets marks the kind's Sensitive attributes secret.
// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go, MakeTerraformOutput
// (tfs.Sensitive() -> resource.MakeSecret), and provider.go, Check
// (MarkSchemaSecrets).
func markSecrets(k *kind, m resource.PropertyMap) {
	for _, key := range k.secrets {
		if v, ok := m[resource.PropertyKey(key)]; ok && !v.IsNull() && !v.IsSecret() {
			m[resource.PropertyKey(key)] = resource.MakeSecret(v)
		}
	}
}

func wasDefaulted(m resource.PropertyMap, prop string) bool {
	for _, d := range strs(m, defaultsKey) {
		if d == prop {
			return true
		}
	}
	return false
}

// autoname derives a name from the resource's name and the engine's random
// seed, exactly as the bridge does; without a seed the URN stands in for it,
// so that names stay deterministic.
// Source: pulumi-terraform-bridge pkg/tfbridge/names.go,
// ComputeAutoNameDefault (resource.NewUniqueName, which fails when the name
// and its suffix exceed the maximum length).
func autoname(k *kind, urn resource.URN, news resource.PropertyMap, seed []byte) (string, error) {
	rule := k.autoname
	if rule == nil {
		rule = &autonameRule{maxlen: 255}
	}
	base := urn.Name()
	if rule.lower {
		base = strings.ToLower(base)
	}
	if len(seed) == 0 {
		seed = []byte(urn)
	}
	name, err := resource.NewUniqueName(seed, base+"-", 7, rule.maxlen, nil)
	if err != nil {
		return "", fmt.Errorf("could not make instance of '%v': %w", urn.Type(), err)
	}
	if rule.post != nil {
		name = rule.post(news, name)
	}
	return name, nil
}

// uniqueID is the provider's suffix for a name prefix: a timestamp to four
// decimals of a second and a counter, 26 characters in all.
// Source: terraform-plugin-sdk helper/id/id.go, PrefixedUniqueId and
// UniqueIDSuffixLength; terraform-provider-aws internal/create/naming.go, Name.
func (st *state) uniqueID() string {
	return fmt.Sprintf("202401010000000000%08x", st.next("unique-id"))
}

// nameFor returns the inputs the provider creates with: with a name prefix
// and no name, the name the provider makes from it.
func (k *kind) nameFor(c *call, ins resource.PropertyMap) resource.PropertyMap {
	prefix := k.prefixProp()
	if k.nameKey == "" || has(ins, k.nameKey) || prefix == "" || !has(ins, prefix) {
		return ins
	}
	out := ins.Copy()
	id := c.st.uniqueID()
	name := str(ins, prefix) + id
	if k.fromPrefix != nil {
		name = k.fromPrefix(str(ins, prefix), ins, id)
	}
	out[resource.PropertyKey(k.nameKey)] = resource.NewStringProperty(name)
	return out
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
		if tags := ins["tags"]; tags.IsObject() || tags.IsSecret() {
			out["tags"] = withoutSystemTags(tags)
		}
	}
	markSecrets(k, out)
	return out
}

// tagsAll is the provider's default tags with the resource's own merged
// over them, as the provider reads them back: without the "aws:" keys it
// never sent.
// Source: pulumi-aws provider/tags.go, applyTags and mergeTags (default tags
// merged with the resource's, unknown when either is unknown);
// terraform-provider-aws internal/provider/intercept.go,
// tagsResourceInterceptor (tags.IgnoreSystem before create and in Read).
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
	for k := range all {
		if systemTagKey(k) {
			delete(all, k)
		}
	}
	if ins["tags"].ContainsSecrets() {
		return resource.MakeSecret(pv(all))
	}
	return pv(all)
}

// withoutSystemTags is the tags output: what Read finds, without the keys
// the provider never sends.
// Source: terraform-provider-aws internal/provider/intercept.go,
// tagsResourceInterceptor (setTagsOut after IgnoreSystem).
func withoutSystemTags(v resource.PropertyValue) resource.PropertyValue {
	secret := v.IsSecret()
	v = unwrap(v)
	if !v.IsObject() {
		return v
	}
	out := resource.PropertyMap{}
	for k, e := range v.ObjectValue() {
		if !systemTagKey(string(k)) {
			out[k] = e
		}
	}
	if secret {
		return resource.MakeSecret(resource.NewObjectProperty(out))
	}
	return resource.NewObjectProperty(out)
}

// sentTags are the tags the provider sends with a create or update.
func sentTags(cfg *providerConfig, ins resource.PropertyMap) map[string]string {
	all := map[string]string{}
	for k, v := range cfg.defaultTags {
		all[k] = v
	}
	for k, v := range stringMap(ins, "tags") {
		all[k] = v
	}
	return all
}

// initFailed reports a resource that AWS created but that the provider
// could not finish setting up: the engine records it and reports the error.
// Source: pulumi-terraform-bridge pkg/tfbridge/provider.go, Create
// (initializationError with pulumirpc.ErrorResourceInitFailed).
func initFailed(id string, props *structpb.Struct, err error) error {
	st, serr := status.New(codes.Unknown, err.Error()).WithDetails(&pulumirpc.ErrorResourceInitFailed{
		Id: id, Properties: props, Reasons: []string{err.Error()},
	})
	if serr != nil {
		return rpcErr(err)
	}
	return st.Err()
}

// Create creates the resource; during preview it only tells which outputs
// are unknown, and changes nothing.
// Source: pulumi-terraform-bridge pkg/tfbridge/provider.go, Create (in a
// preview, the planned state, in which computed attributes are unknown).
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
	if k.plan != nil {
		if err := k.plan(c, nil, ins); err != nil {
			return nil, rpcErr(err)
		}
	}

	if c.preview {
		computed := resource.PropertyMap{}
		for _, key := range k.computed {
			if !has(ins, key) {
				computed[resource.PropertyKey(key)] = unknown()
			}
		}
		// A name the provider makes from a prefix is known only once made.
		if k.nameKey != "" && !has(ins, k.nameKey) {
			computed[resource.PropertyKey(k.nameKey)] = unknown()
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
	if k.tags {
		if err := tagProblem(sentTags(c.cfg, ins)); err != nil {
			return nil, rpcErr(fmt.Errorf("creating %s: %w", k.what, err))
		}
	}
	named := k.nameFor(c, ins)
	id, computed, err := k.create(c, named)
	if err != nil {
		s.logf("create %s %s failed: %v", typ, c.name(), err)
		if id == "" {
			return nil, rpcErr(err)
		}
	}
	for key, v := range named {
		if _, given := ins[key]; !given {
			if computed == nil {
				computed = resource.PropertyMap{}
			}
			if _, set := computed[key]; !set {
				computed[key] = v
			}
		}
	}
	outs := k.outputs(c, ins, computed)
	c.st.put(&record{typ: typ, urn: c.urn, id: id, inputs: ins, outputs: outs})
	delete(c.st.replacing, c.urn)
	c.st.op(Operation{Op: op, Type: typ, Name: c.name(), URN: c.urn, ID: id})
	s.logf("%s %s %s -> %s", op, typ, c.name(), id)
	props, merr := marshal(outs)
	if merr != nil {
		return nil, merr
	}
	if err != nil {
		return nil, initFailed(id, props, err)
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
	id := req.GetId()
	if k := kinds[typ]; k != nil && k.importID != nil && len(req.GetProperties().GetFields()) == 0 {
		id = k.importID(c, id) // an import: Read is given no state
	}
	r := c.st.get(typ, id)
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
	if k.plan != nil {
		if err := k.plan(c, old, news); err != nil {
			return nil, rpcErr(err)
		}
	}
	// Keep the computed outputs; drop inputs that are gone, but for
	// Optional+Computed ones, which keep the state's value when the new
	// inputs leave them unset (terraform-plugin-sdk schemaMap.diff; see
	// Diff). An imported object's extracted inputs hold those.
	computed := resource.PropertyMap{}
	for key, v := range old.outputs {
		_, isInput := old.inputs[key]
		_, inNew := news[key]
		if (!isInput || (!inNew && contains(k.computed, string(key)))) && key != "tagsAll" {
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
	if k.tags {
		if err := tagProblem(sentTags(c.cfg, news)); err != nil {
			return nil, rpcErr(fmt.Errorf("updating %s (%s): %w", k.what, old.id, err))
		}
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
// Source: terraform-provider-aws, every resource's Delete (for example
// internal/service/iam/role.go, deleteRole: NoSuchEntity is success;
// internal/service/s3/bucket.go, resourceBucketDelete: NoSuchBucket).
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
