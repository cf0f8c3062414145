package standin

import (
	"crypto/sha256"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// Seeding: objects that exist before the program runs, made by another tool
// (CircleCI's Terraform installer), put in place as AWS holds them and as
// the provider's Read reports them, so that `pulumi import` can read them and
// the program can then update and delete them as it does its own objects.
// Seed runs no create validation (the objects exist already), but refuses
// what could not exist or what Read could not report.

// SeedObject is an AWS object that exists before the program runs (made by another tool), as the provider's Read would report it.
type SeedObject struct {
	Type    string         // Pulumi type token, e.g. aws:ec2/instance:Instance
	ID      string         // the provider's id for it
	Inputs  map[string]any // as pulumi-aws's Read returns inputs (camelCase property names, MaxItems=1 blocks as objects)
	Outputs map[string]any // the rest of its state; computed values the stand-in derives are filled in when absent
}

// SeededRule is one security group rule as EC2 reports it
// (DescribeSecurityGroupRules): inline rules of a seeded group become rules
// of their own, one per peer.
type SeededRule struct {
	ID       string // sgr-...
	GroupID  string
	Egress   bool
	Protocol string // as EC2 reports it: "-1", "tcp", "udp", "icmp" or a number
	// FromPort and ToPort are the port range; -1 for protocol -1.
	FromPort, ToPort int
	// Exactly one peer is set.
	CidrIPv4, CidrIPv6, PrefixListID, ReferencedGroupID string
	Description                                         string
}

// SecurityGroupRules lists a group's rules, ingress then egress, oldest
// first: those Seed made from the group's inline rules and those the
// program made, as DescribeSecurityGroupRules lists every rule of a group.
// Source: EC2 API Reference, DescribeSecurityGroupRules and SecurityGroupRule
// (SecurityGroupRuleId, GroupId, IsEgress, IpProtocol, FromPort, ToPort,
// one of CidrIpv4, CidrIpv6, PrefixListId, ReferencedGroupInfo; Description).
func (s *Server) SecurityGroupRules(groupID string) []SeededRule {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SeededRule
	for _, t := range []string{tIngressRule, tEgressRule} {
		for _, r := range s.st.all(t) {
			if str(r.outputs, "securityGroupId") != groupID {
				continue
			}
			rule := SeededRule{ID: r.id, GroupID: groupID, Egress: t == tEgressRule, Protocol: str(r.outputs, "ipProtocol"),
				FromPort: -1, ToPort: -1, CidrIPv4: str(r.outputs, "cidrIpv4"), CidrIPv6: str(r.outputs, "cidrIpv6"),
				PrefixListID: str(r.outputs, "prefixListId"), ReferencedGroupID: str(r.outputs, "referencedSecurityGroupId"),
				Description: str(r.outputs, "description")}
			// Source: vpc_security_group_ingress_rule.go, Read ("If planned
			// from_port or to_port are null and values of -1 are returned,
			// propagate null"): EC2 reports -1 where the rule has no port.
			if n, ok := num(r.outputs, "fromPort"); ok {
				rule.FromPort = int(n)
			}
			if n, ok := num(r.outputs, "toPort"); ok {
				rule.ToPort = int(n)
			}
			out = append(out, rule)
		}
	}
	return out
}

// LaunchConfigurationOf names the launch configuration a seeded group's
// instance was launched from, or "" (an instance launched from a launch
// template, or one no group has any more).
// Source: Auto Scaling API Reference, AutoScalingInstanceDetails
// (LaunchConfigurationName: the launch configuration the instance was
// launched with).
func (s *Server) LaunchConfigurationOf(instanceID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, is := range side(s.st).launched {
		for _, i := range is {
			if i.ID == instanceID {
				return seedSideOf(s.st).launchedFrom[instanceID]
			}
		}
	}
	return ""
}

// seedSide is what seeding keeps that no record shows. It belongs to one
// state and is forgotten with it (Reset).
type seedSide struct {
	accountCreated time.Time         // SetAccountCreated
	launchedFrom   map[string]string // instance id -> launch configuration name
}

// seedSideOf returns the state's seedSide, kept with the rest of what the
// state holds beside its records (computeSide). Callers hold the server's
// lock.
func seedSideOf(st *state) *seedSide {
	cs := side(st)
	if cs.seed == nil {
		cs.seed = &seedSide{launchedFrom: map[string]string{}}
	}
	return cs.seed
}

// seedKind is how Seed puts one type in place.
type seedKind struct {
	order int // types are seeded in this order, so that references resolve
	// required are the schema's Required arguments, which Read's inputs keep
	// even at their zero value.
	required []string
	// providerOnly are arguments of the provider, not attributes of the AWS
	// object: an import cannot find a value for them.
	// Assumption: Read (and the type's importer) leave them at their schema
	// default.
	providerOnly []string
	seed         func(sd *seeding, o *seedObj) error
}

// seedKinds are the types Seed puts in place: those CircleCI's Terraform
// installer makes. Network interfaces, rules and CORS configurations come
// with their instance, group and bucket.
var seedKinds = map[string]*seedKind{
	tRole:                {order: 1, required: []string{"assumeRolePolicy"}, providerOnly: []string{"forceDetachPolicies"}, seed: seedRole},
	tRolePolicy:          {order: 2, required: []string{"policy", "role"}, seed: seedRolePolicy},
	tInstanceProfile:     {order: 2, seed: seedInstanceProfile},
	tQueue:               {order: 3, seed: seedQueue},
	tBucket:              {order: 3, providerOnly: []string{"forceDestroy"}, seed: seedBucket},
	tSecurityGroup:       {order: 4, providerOnly: []string{"revokeRulesOnDelete"}, seed: seedSecurityGroup},
	tLaunchConfiguration: {order: 6, required: []string{"imageId", "instanceType"}, seed: seedLaunchConfiguration},
	tInstance:            {order: 7, providerOnly: []string{"userDataReplaceOnChange"}, seed: seedInstance},
	tGroup: {order: 8, required: []string{"maxSize", "minSize"}, seed: seedGroup, providerOnly: []string{
		"forceDelete", "forceDeleteWarmPool", "waitForCapacityTimeout", "waitForElbCapacity", "minElbCapacity",
		"ignoreFailedScalingActivities", "instanceRefresh", "initialLifecycleHooks"}},
	tLifecycleHook: {order: 9, required: []string{"autoscalingGroupName", "lifecycleTransition", "name"}, seed: seedLifecycleHook},
	tRecord:        {order: 9, required: []string{"name", "type", "zoneId"}, seed: seedRecord},
}

// rulesOrder is when the rules of the seeded groups are made: after every
// group, since a rule may refer to a group seeded after its own.
const rulesOrder = 5

// seedObj is one object being seeded.
type seedObj struct {
	typ, id string
	k       *kind
	ins     resource.PropertyMap // the inputs Read returns
	outs    resource.PropertyMap // the rest of the state
}

// seeding is one call of Seed: what it added, so that a failure undoes it.
type seeding struct {
	c      *call
	added  []*record
	groups []string // side(st).launched entries added
	notes  []string // seedSide.launchedFrom entries added
	sgs    []*record
}

// Seed puts objects in place as another tool left them, for `pulumi import`
// to read: Read returns each with its Inputs (and `__defaults` empty, as the
// bridge's import does) and its Outputs, the computed values the stand-in
// derives filled in where absent. It keeps the side state the stand-in keeps
// for its own objects: an instance's address in its subnet and its primary
// network interface (a record of its own, deleted with the instance by AWS),
// an auto-assigned public address, the instances of a group (InService; from
// a launch configuration, LaunchConfigurationOf says which), and the rules
// of a security group's inline ingress and egress as rule records with sgr-
// ids (SecurityGroupRules). Unknown or unseedable types, duplicate ids,
// references to objects that do not exist (a fixture subnet, a group, a
// launch configuration, a role, ...) and inputs the provider's Read could
// not return are errors, and then nothing is seeded.
//
// The region (for ARNs and DNS names) is the last Configure's; before any,
// AWS_REGION or AWS_DEFAULT_REGION, as Configure falls back to them.
func (s *Server) Seed(objs []SeedObject) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg := s.last
	if cfg == nil {
		region := firstEnv("AWS_REGION", "AWS_DEFAULT_REGION")
		if region == "" || !regionRE.MatchString(region) {
			return fmt.Errorf("standin: Seed needs the region: Configure the stand-in first, or set AWS_REGION")
		}
		cfg = &providerConfig{region: region, partition: partitionOf(region), defaultTags: map[string]string{}}
	}
	sd := &seeding{c: &call{s: s, st: s.st, cfg: cfg}}
	var todo []*seedObj
	seen := map[string]bool{}
	for _, o := range objs {
		k := kinds[o.Type]
		if k == nil {
			return fmt.Errorf("standin: Seed: %w", unknownType(o.Type))
		}
		if seedKinds[o.Type] == nil {
			return fmt.Errorf("standin: Seed does not model %s: seed the objects CircleCI's Terraform installer makes "+
				"(network interfaces come with their instance, rules with their security group)", o.Type)
		}
		if o.ID == "" {
			return fmt.Errorf("standin: Seed %s: an object needs its id", o.Type)
		}
		if seen[key(o.Type, o.ID)] || s.st.get(o.Type, o.ID) != nil {
			return fmt.Errorf("standin: Seed %s %s: an object with this id exists already", o.Type, o.ID)
		}
		seen[key(o.Type, o.ID)] = true
		ins, err := seedMap(o.Inputs)
		if err != nil {
			return fmt.Errorf("standin: Seed %s %s: Inputs: %w", o.Type, o.ID, err)
		}
		outs, err := seedMap(o.Outputs)
		if err != nil {
			return fmt.Errorf("standin: Seed %s %s: Outputs: %w", o.Type, o.ID, err)
		}
		todo = append(todo, &seedObj{typ: o.Type, id: o.ID, k: k, ins: ins, outs: outs})
	}
	sort.SliceStable(todo, func(i, j int) bool { return seedKinds[todo[i].typ].order < seedKinds[todo[j].typ].order })
	rulesDone := false
	for _, o := range todo {
		if !rulesDone && seedKinds[o.typ].order > rulesOrder {
			if err := sd.seedRules(); err != nil {
				sd.undo()
				return err
			}
			rulesDone = true
		}
		if err := sd.seedOne(o); err != nil {
			sd.undo()
			return fmt.Errorf("standin: Seed %s %s: %w", o.typ, o.id, err)
		}
	}
	if !rulesDone {
		if err := sd.seedRules(); err != nil {
			sd.undo()
			return err
		}
	}
	for _, r := range sd.added {
		s.logf("seed %s %s", r.typ, r.id)
	}
	return nil
}

func (sd *seeding) seedOne(o *seedObj) error {
	sk := seedKinds[o.typ]
	if err := checkReadInputs(o, sk); err != nil {
		return err
	}
	for k, v := range o.outs {
		if iv, ok := o.ins[k]; ok && !equalValues(iv, v) {
			return fmt.Errorf("%s is %v in Inputs but %v in Outputs", k, plain(iv), plain(v))
		}
	}
	if err := sk.seed(sd, o); err != nil {
		return err
	}
	// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go,
	// applyDefaults: what Read did not find, the object holds at its schema
	// default.
	for k, v := range o.k.defaults {
		sd.fill(o, k, v)
	}
	sd.commit(o)
	return nil
}

// commit stores the object: Read returns ins as its inputs, and ins and outs
// as its outputs.
// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go,
// ExtractInputsFromOutputs and extractSchemaInputs (an import's inputs get an
// empty __defaults list).
func (sd *seeding) commit(o *seedObj) *record {
	ins := o.ins.Copy()
	ins[defaultsKey] = pv([]string{})
	// Where both have a property they agree (seedOne), but for the nested
	// blocks whose full form only the outputs carry (see extract).
	outs := o.ins.Copy()
	for k, v := range o.outs {
		outs[k] = v
	}
	// Source: terraform-provider-aws internal/provider/intercept.go,
	// tagsResourceInterceptor (Read sets tags_all to the object's tags, the
	// "aws:" ones left out).
	if o.k.tags {
		outs["tagsAll"] = tagsAll(&providerConfig{}, outs)
		if t := outs["tags"]; t.IsObject() || t.IsSecret() {
			outs["tags"] = withoutSystemTags(t)
		}
	}
	markSecrets(o.k, ins)
	markSecrets(o.k, outs)
	sd.c.st.seeARNs(ins)
	urn := string(resource.NewURN("seed", "seed", "", tokens.Type(o.typ), o.id))
	r := &record{typ: o.typ, urn: urn, id: o.id, inputs: ins, outputs: outs}
	sd.c.st.put(r)
	sd.added = append(sd.added, r)
	return r
}

func (sd *seeding) undo() {
	st := sd.c.st
	for _, r := range sd.added {
		st.remove(r.typ, r.id)
	}
	for _, g := range sd.groups {
		delete(side(st).launched, g)
	}
	for _, i := range sd.notes {
		delete(seedSideOf(st).launchedFrom, i)
	}
}

// value is a property as the object holds it: its input, else its output.
func (o *seedObj) value(k string) resource.PropertyValue {
	if v, ok := o.ins[resource.PropertyKey(k)]; ok {
		return v
	}
	return o.outs[resource.PropertyKey(k)]
}

func (o *seedObj) str(k string) string {
	if v := unwrap(o.value(k)); v.IsString() {
		return v.StringValue()
	}
	return ""
}

func (o *seedObj) has(k string) bool { return !o.value(k).IsNull() }

// fill sets a computed output the object does not have.
func (sd *seeding) fill(o *seedObj, k string, v any) {
	if !o.has(k) {
		o.outs[resource.PropertyKey(k)] = pv(v)
	}
}

// derive sets an Optional+Computed property the stand-in derives: Read
// reports it, so the import's inputs carry it too unless it is zero (a
// value the caller gave must agree).
// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go,
// extractSchemaInputs (every Optional or Required property of the state,
// unless it is its schema default or zero).
func (sd *seeding) derive(o *seedObj, k string, v any) error {
	want := pv(v)
	if got := o.value(k); !got.IsNull() {
		if !equalValues(got, want) {
			return fmt.Errorf("%s is %v, but the object has %v", k, plain(got), plain(want))
		}
		return nil
	}
	o.outs[resource.PropertyKey(k)] = want
	if !isZero(want) {
		o.ins[resource.PropertyKey(k)] = want
	}
	return nil
}

// checkReadInputs refuses inputs the provider's Read, on an import, could
// not return.
// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go,
// extractSchemaInputs and isDefaultOrZeroValue (a property that is not
// Required is left out when it is its schema default, or, having none,
// zero).
func checkReadInputs(o *seedObj, sk *seedKind) error {
	for key, v := range o.ins {
		k := string(key)
		switch {
		case k == defaultsKey:
			return fmt.Errorf("the inputs carry %s: Seed adds it", defaultsKey)
		case contains(sk.providerOnly, k):
			return fmt.Errorf("%s is the provider's own argument, not the object's: an import does not find it", k)
		case contains(sk.required, k):
		case o.k.defaults[k] != nil:
			// With a schema default, only the default is left out.
			if equalValues(v, pv(o.k.defaults[k])) {
				return fmt.Errorf("%s is its schema default %v: Read's inputs leave it out (extractSchemaInputs)", k, plain(v))
			}
		case isZero(v):
			return fmt.Errorf("%s is %v: Read's inputs leave out a value that is zero (extractSchemaInputs)", k, plain(v))
		}
	}
	for _, k := range sk.required {
		if !o.has(k) {
			return fmt.Errorf("%s is required, and Read reports it", k)
		}
	}
	return nil
}

// isZero mirrors the bridge's zero values.
// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go,
// isDefaultOrZeroValue (null, false, 0, "", an empty list, an object with
// nothing but __defaults).
func isZero(v resource.PropertyValue) bool {
	v = unwrap(v)
	switch {
	case v.IsNull():
		return true
	case v.IsBool():
		return !v.BoolValue()
	case v.IsNumber():
		return v.NumberValue() == 0
	case v.IsString():
		return v.StringValue() == ""
	case v.IsArray():
		return len(v.ArrayValue()) == 0
	case v.IsObject():
		m := v.ObjectValue()
		_, d := m[defaultsKey]
		return len(m) == 0 || len(m) == 1 && d
	}
	return false
}

// extract is a nested block as Read's inputs carry it: without its
// computed-only attributes, its defaults and (where there is no default)
// its zero values.
// Source: extractSchemaInputs, which recurses into blocks.
// Assumption: unlike the bridge, no __defaults inside the block.
func extract(m resource.PropertyMap, computedOnly []string, defaults map[string]any) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range m {
		d, hasDefault := defaults[string(k)]
		switch {
		case contains(computedOnly, string(k)):
		case hasDefault && equalValues(v, pv(d)):
		case !hasDefault && isZero(v):
		default:
			out[k] = v
		}
	}
	return out
}

// seedMap converts plain Go values.
func seedMap(m map[string]any) (resource.PropertyMap, error) {
	out := resource.PropertyMap{}
	for k, v := range m {
		pvv, err := seedValue(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[resource.PropertyKey(k)] = pvv
	}
	return out, nil
}

func seedValue(x any) (resource.PropertyValue, error) {
	switch t := x.(type) {
	case nil, resource.PropertyValue, string, bool, int, float64, []string, map[string]string:
		return pv(t), nil
	case int64:
		return pv(float64(t)), nil
	case []any:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			v, err := seedValue(e)
			if err != nil {
				return v, err
			}
			arr[i] = v
		}
		return resource.NewArrayProperty(arr), nil
	case []map[string]any:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			m, err := seedMap(e)
			if err != nil {
				return resource.PropertyValue{}, err
			}
			arr[i] = resource.NewObjectProperty(m)
		}
		return resource.NewArrayProperty(arr), nil
	case map[string]any:
		m, err := seedMap(t)
		return resource.NewObjectProperty(m), err
	}
	return resource.PropertyValue{}, fmt.Errorf("cannot seed a %T", x)
}

// Resource ids: a prefix and 8 or 17 hexadecimal digits (instanceIDRE is in
// ec2_instance_lookups.go).
// Source: EC2 User Guide, "Resource IDs" (longer ids have 17 characters
// after the prefix).
var (
	groupIDRE = regexp.MustCompile(`^sg-[0-9a-f]{8}([0-9a-f]{9})?$`)
	eniIDRE   = regexp.MustCompile(`^eni-[0-9a-f]{8}([0-9a-f]{9})?$`)
	sha1HexRE = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// sameName refuses an id that is not the object's name, for the types whose
// id is their name.
func sameName(o *seedObj, prop, what string) error {
	if n := o.str(prop); n != o.id {
		return fmt.Errorf("%s is %q; the provider's id for %s is its %s", prop, n, what, prop)
	}
	return nil
}

// userDataRead refuses user data Read could not report.
// Source: resourceInstanceRead and resourceLaunchConfigurationRead (user_data
// is set to userDataHashSum of what AWS holds, the hex SHA-1 of the decoded
// data; user_data_base64 only when it is in the prior state, which an import
// has not).
func userDataRead(o *seedObj) error {
	if _, ok := o.ins["userDataBase64"]; ok {
		return fmt.Errorf("userDataBase64: Read sets it only when the prior state has it, which an import has not")
	}
	if ud := o.str("userData"); ud != "" && !sha1HexRE.MatchString(ud) {
		return fmt.Errorf("userData is %q: Read reports the SHA-1 (userDataHashSum) of the user data, not the data", ud)
	}
	return nil
}

// --- IAM ---------------------------------------------------------------------

// Source: role.go, resourceRoleCreate (d.SetId(roleName)) and
// resourceRoleRead (arn, unique_id, create_date); IAM User Guide, "IAM
// identifiers" (role ids begin AROA; names unique regardless of case).
func seedRole(sd *seeding, o *seedObj) error {
	if err := sameName(o, "name", "an IAM role"); err != nil {
		return err
	}
	if r := sd.c.st.iamNameTaken(tRole, o.id); r != nil {
		return fmt.Errorf("IAM names roles regardless of case, and role %s exists", r.id)
	}
	path := o.str("path")
	sd.fill(o, "arn", iamARN(sd.c, "role", path, o.id))
	sd.fill(o, "uniqueId", sd.c.st.upperID("AROA"))
	sd.fill(o, "createDate", createDate)
	return nil
}

// Source: iam_role_policy.go (d.SetId(role + ":" + name)).
func seedRolePolicy(sd *seeding, o *seedObj) error {
	if want := o.str("role") + ":" + o.str("name"); o.id != want {
		return fmt.Errorf("the provider's id for an IAM role policy is <role>:<name>, %q", want)
	}
	if sd.c.st.get(tRole, o.str("role")) == nil {
		return fmt.Errorf("role %s does not exist", o.str("role"))
	}
	return nil
}

// Source: instance_profile.go, resourceInstanceProfileCreate (d.SetId(name))
// and Read; IAM User Guide, "IAM identifiers" (ids begin AIPA).
func seedInstanceProfile(sd *seeding, o *seedObj) error {
	if err := sameName(o, "name", "an IAM instance profile"); err != nil {
		return err
	}
	if r := sd.c.st.iamNameTaken(tInstanceProfile, o.id); r != nil {
		return fmt.Errorf("IAM names instance profiles regardless of case, and instance profile %s exists", r.id)
	}
	if role := o.str("role"); role != "" && sd.c.st.get(tRole, role) == nil {
		return fmt.Errorf("role %s does not exist", role)
	}
	sd.fill(o, "arn", iamARN(sd.c, "instance-profile", o.str("path"), o.id))
	sd.fill(o, "uniqueId", sd.c.st.upperID("AIPA"))
	sd.fill(o, "createDate", createDate)
	return nil
}

// --- SQS, S3 -----------------------------------------------------------------

// Source: queue.go, resourceQueueCreate (d.SetId(QueueUrl)) and
// resourceQueueRead (kms_data_key_reuse_period_seconds 300 when unset;
// sqs_managed_sse_enabled from the attributes).
// Assumption: a queue made before SQS encrypted new queues by default (SQS
// Developer Guide, "Encryption at rest") reports sqsManagedSseEnabled false
// unless the seed says otherwise.
func seedQueue(sd *seeding, o *seedObj) error {
	name := o.str("name")
	if name == "" {
		return fmt.Errorf("name is required, and Read reports it")
	}
	url := "https://sqs." + sd.c.cfg.region + "." + sd.c.cfg.partition.dnsSuffix + "/" + Account + "/" + name
	if o.id != url {
		return fmt.Errorf("the provider's id for a queue is its URL, %s", url)
	}
	// Source: SQS Developer Guide, "Amazon SQS FIFO queues" (a FIFO queue's
	// name ends in .fifo).
	if strings.HasSuffix(name, ".fifo") != boolv(o.ins, "fifoQueue") {
		return fmt.Errorf("a queue is FIFO (fifoQueue) exactly when its name ends in .fifo")
	}
	sd.fill(o, "arn", sd.c.cfg.regional("sqs", name))
	sd.fill(o, "url", url)
	sd.fill(o, "sqsManagedSseEnabled", false)
	return sd.derive(o, "kmsDataKeyReusePeriodSeconds", 300)
}

// Source: bucket.go, resourceBucketRead (the same values bucketKind's create
// computes; request_payer Optional+Computed, BucketOwner); a bucket's CORS
// rules are its CORS configuration (S3 API Reference, GetBucketCors), which
// aws_s3_bucket_cors_configuration reads by the bucket's name: Seed makes
// that record too.
func seedBucket(sd *seeding, o *seedObj) error {
	b := o.id
	if err := sameName(o, "bucket", "a bucket"); err != nil {
		return err
	}
	if err := validBucketName(b, sd.c.cfg.region); err != nil || !s3BucketNameAllowed(b) {
		return fmt.Errorf("%q is not a bucket name S3 allows", b)
	}
	c := sd.c
	sd.fill(o, "arn", c.cfg.arn("s3", "", "", b))
	sd.fill(o, "bucketDomainName", b+".s3."+c.cfg.partition.dnsSuffix)
	sd.fill(o, "bucketRegionalDomainName", b+".s3."+c.cfg.region+"."+c.cfg.partition.dnsSuffix)
	sd.fill(o, "region", c.cfg.region)
	if zone := s3HostedZones[c.cfg.region]; zone != "" {
		sd.fill(o, "hostedZoneId", zone)
	}
	sd.fill(o, "objectLockEnabled", false)
	if err := sd.derive(o, "requestPayer", "BucketOwner"); err != nil {
		return err
	}
	rules := o.value("corsRules")
	if rules.IsNull() {
		return nil
	}
	// Source: bucket.go, schema cors_rule (Optional+Computed, ConfigMode
	// Attr): Read reports the rules, in outputs and inputs alike.
	o.ins["corsRules"], o.outs["corsRules"] = rules, rules
	if isZero(rules) {
		delete(o.ins, "corsRules")
		return nil
	}
	if sd.c.st.get(tBucketCors, b) != nil {
		return fmt.Errorf("a CORS configuration of bucket %s exists already", b)
	}
	cors := &seedObj{typ: tBucketCors, id: b, k: kinds[tBucketCors],
		ins: resource.PropertyMap{"bucket": pv(b), "corsRules": rules}, outs: resource.PropertyMap{}}
	sd.commit(cors)
	return nil
}

// --- security groups and their rules ---------------------------------------

// Source: vpc_security_group.go, resourceSecurityGroupRead (arn, owner_id,
// vpc_id, name, description; ingress and egress Optional+Computed, ConfigMode
// Attr: an import reports the group's rules, in outputs and inputs alike).
func seedSecurityGroup(sd *seeding, o *seedObj) error {
	if !groupIDRE.MatchString(o.id) {
		return fmt.Errorf("%q is not a security group id (sg- and 8 or 17 hex digits)", o.id)
	}
	name, vpcID := o.str("name"), o.str("vpcId")
	// Source: EC2 API Reference, CreateSecurityGroup (GroupName and
	// GroupDescription required, so Read always finds both).
	if name == "" || o.str("description") == "" {
		return fmt.Errorf("name and description are required, and Read reports them")
	}
	if sd.c.s.fx.vpc(vpcID) == nil {
		return fmt.Errorf("vpcId %q is not a fixture VPC", vpcID)
	}
	// Source: EC2 API Reference, CreateSecurityGroup (names unique per VPC).
	for _, g := range sd.c.st.all(tSecurityGroup) {
		if str(g.outputs, "name") == name && str(g.outputs, "vpcId") == vpcID {
			return fmt.Errorf("security group %s of VPC %s is named %s already", g.id, vpcID, name)
		}
	}
	sd.fill(o, "arn", sd.c.cfg.regional("ec2", "security-group/"+o.id))
	sd.fill(o, "ownerId", Account)
	for _, dir := range []resource.PropertyKey{"ingress", "egress"} {
		v := o.value(string(dir))
		if v.IsNull() {
			v = pv([]any{})
		}
		o.outs[dir] = v
		if isZero(v) {
			delete(o.ins, dir)
		} else {
			o.ins[dir] = v
		}
	}
	sd.sgs = append(sd.sgs, sd.pendingGroup(o))
	return nil
}

// pendingGroup is the group as it will be stored, for seedRules.
func (sd *seeding) pendingGroup(o *seedObj) *record {
	return &record{typ: tSecurityGroup, id: o.id, outputs: o.outs}
}

// seedRules makes the rule records of the seeded groups' inline rules: one
// rule per peer (CIDR, IPv6 CIDR, prefix list or group; self is the group
// itself), with an sgr- id.
// Source: EC2 API Reference, SecurityGroupRule (exactly one of CidrIpv4,
// CidrIpv6, PrefixListId, ReferencedGroupInfo per rule) and
// DescribeSecurityGroupRules; vpc_security_group_ingress_rule.go, Read (the
// ports of an import are null where EC2 reports -1) and securityGroupRuleARN.
// Assumption: the protocol as the inline rule reports it is EC2's.
func (sd *seeding) seedRules() error {
	for _, g := range sd.sgs {
		for _, dir := range []string{"ingress", "egress"} {
			typ := tIngressRule
			if dir == "egress" {
				typ = tEgressRule
			}
			for _, rule := range objs(g.outputs, dir) {
				if err := sd.seedRule(g.id, typ, rule); err != nil {
					return fmt.Errorf("standin: Seed %s %s: %s: %w", tSecurityGroup, g.id, dir, err)
				}
			}
		}
	}
	sd.sgs = nil
	return nil
}

func (sd *seeding) seedRule(group, typ string, rule resource.PropertyMap) error {
	proto := strings.ToLower(str(rule, "protocol"))
	if proto == "" {
		return fmt.Errorf("a rule needs its protocol")
	}
	base := resource.PropertyMap{"securityGroupId": pv(group), "ipProtocol": pv(proto)}
	if proto != "-1" && proto != "all" {
		from, _ := num(rule, "fromPort")
		to, _ := num(rule, "toPort")
		base["fromPort"], base["toPort"] = pv(from), pv(to)
	}
	if d := str(rule, "description"); d != "" {
		base["description"] = pv(d)
	}
	type peer struct{ key, value string }
	var peers []peer
	for _, p := range strs(rule, "cidrBlocks") {
		peers = append(peers, peer{"cidrIpv4", p})
	}
	for _, p := range strs(rule, "ipv6CidrBlocks") {
		peers = append(peers, peer{"cidrIpv6", p})
	}
	for _, p := range strs(rule, "prefixListIds") {
		peers = append(peers, peer{"prefixListId", p})
	}
	for _, p := range strs(rule, "securityGroups") {
		peers = append(peers, peer{"referencedSecurityGroupId", p})
	}
	if boolv(rule, "self") {
		peers = append(peers, peer{"referencedSecurityGroupId", group})
	}
	if len(peers) == 0 {
		return fmt.Errorf("a rule needs a peer (cidrBlocks, ipv6CidrBlocks, prefixListIds, securityGroups or self)")
	}
	for _, p := range peers {
		if p.key == "referencedSecurityGroupId" && sd.c.st.get(tSecurityGroup, p.value) == nil {
			return fmt.Errorf("security group %s does not exist", p.value)
		}
		if p.key == "cidrIpv4" {
			if ip, n, err := net.ParseCIDR(p.value); err != nil || ip.To4() == nil || n.String() != p.value {
				return fmt.Errorf("%q is not an IPv4 network", p.value)
			}
		}
		ins := base.Copy()
		ins[resource.PropertyKey(p.key)] = pv(p.value)
		id := sd.c.st.hexID("sgr", 17)
		o := &seedObj{typ: typ, id: id, k: kinds[typ], ins: ins, outs: resource.PropertyMap{
			"arn": pv(sd.c.cfg.regional("ec2", "security-group-rule/"+id)), "securityGroupRuleId": pv(id),
		}}
		sd.commit(o)
	}
	return nil
}

// --- launch configurations, instances, groups -----------------------------

// Source: resourceLaunchConfigurationRead (see launchConfigurationOutputs).
func seedLaunchConfiguration(sd *seeding, o *seedObj) error {
	c := sd.c
	if err := sameName(o, "name", "a launch configuration"); err != nil {
		return err
	}
	if err := userDataRead(o); err != nil {
		return err
	}
	if err := sd.launchParamsExist(o.str("imageId"), o.str("instanceType"), o.str("keyName"), o.str("iamInstanceProfile")); err != nil {
		return err
	}
	for _, sg := range strs(o.ins, "securityGroups") {
		if c.st.get(tSecurityGroup, sg) == nil {
			return fmt.Errorf("security group %s does not exist", sg)
		}
	}
	if err := sd.derive(o, "namePrefix", namePrefixFromName(o.id)); err != nil {
		return err
	}
	all := o.ins.Copy()
	for k, v := range o.outs {
		all[k] = v
	}
	for k, v := range launchConfigurationOutputs(c, o.id, all) {
		if !o.has(string(k)) || k == "rootBlockDevice" {
			o.outs[k] = v
		}
	}
	return nil
}

// launchParamsExist refuses an image, type, key pair or instance profile
// that cannot exist here.
func (sd *seeding) launchParamsExist(image, typ, keyName, profile string) error {
	c := sd.c
	switch {
	case !amiRE.MatchString(image):
		return fmt.Errorf("%q is not an image id", image)
	case c.s.fx.instanceType(typ) == nil:
		return fmt.Errorf("instance type %q is not in the fixtures", typ)
	case keyName != "" && !c.s.keyPairExists(keyName):
		return fmt.Errorf("key pair %s does not exist", keyName)
	case profile != "" && c.st.instanceProfile(profile) == nil:
		return fmt.Errorf("instance profile %s does not exist", profile)
	}
	return nil
}

// seedInstance places an instance made in a subnet, with the primary
// network interface EC2 made with it.
// Source: resourceInstanceRead (ami, instance_type, key_name,
// iam_instance_profile as a name, private_ip, public_ip, private_dns,
// public_dns, subnet_id, primary_network_interface_id and
// associate_public_ip_address from the primary network interface (its
// association), availability_zone, tenancy, vpc_security_group_ids,
// root_block_device, metadata_options, cpu options; network_interface only
// for the device indexes in the configuration ("configuredDeviceIndexes"),
// so an import has none; user_data as its SHA-1).
func seedInstance(sd *seeding, o *seedObj) error {
	c := sd.c
	if !instanceIDRE.MatchString(o.id) {
		return fmt.Errorf("%q is not an instance id (i- and 8 or 17 hex digits)", o.id)
	}
	if nis := o.value("networkInterfaces"); !isZero(nis) {
		return fmt.Errorf("networkInterfaces: Read sets network_interface only for the device indexes in the " +
			"configuration (resourceInstanceRead, configuredDeviceIndexes), and an import has none")
	}
	if err := userDataRead(o); err != nil {
		return err
	}
	sub := c.s.fx.subnet(o.str("subnetId"))
	if sub == nil {
		return fmt.Errorf("subnetId %q is not a fixture subnet", o.str("subnetId"))
	}
	if err := sd.launchParamsExist(o.str("ami"), o.str("instanceType"), o.str("keyName"), o.str("iamInstanceProfile")); err != nil {
		return err
	}
	groups := strs(o.ins, "vpcSecurityGroupIds")
	// Source: EC2 User Guide, "Security groups for your EC2 instances" (an
	// instance in a VPC has at least one; RunInstances uses the VPC's
	// default group otherwise, which the fixtures do not model).
	if len(groups) == 0 {
		return fmt.Errorf("vpcSecurityGroupIds: an instance in a VPC has at least one security group")
	}
	for _, sg := range groups {
		g := c.st.get(tSecurityGroup, sg)
		if g == nil {
			return fmt.Errorf("security group %s does not exist", sg)
		}
		if str(g.outputs, "vpcId") != sub.VPCID {
			return fmt.Errorf("security group %s is not in the VPC of subnet %s", sg, sub.ID)
		}
	}
	// The private address: the seed's, in the subnet and free, or the
	// subnet's next free one (ec2_addresses.go, allocateIP).
	ip := o.str("privateIp")
	if ip == "" {
		var err error
		if ip, err = c.allocateIP(sub); err != nil {
			return err
		}
	} else if parsed := net.ParseIP(ip); parsed == nil || !sub.cidr.Contains(parsed) {
		return fmt.Errorf("privateIp %s is not in subnet %s (%s)", ip, sub.ID, sub.CidrBlock)
	} else if c.st.usedIPs(sub.ID)[ip] {
		return fmt.Errorf("privateIp %s is in use in subnet %s", ip, sub.ID)
	}
	// The public address: the seed's, else one auto-assigned when the
	// instance asked for one or its subnet maps them (publicIPOnLaunch).
	pub := o.str("publicIp")
	if pub == "" && publicIPOnLaunch(o.value("associatePublicIpAddress"), sub) {
		pub = c.nextPublicIP()
	}
	eni := o.str("primaryNetworkInterfaceId")
	if eni == "" {
		eni = c.st.hexID("eni", 17)
	} else if !eniIDRE.MatchString(eni) {
		return fmt.Errorf("%q is not a network interface id", eni)
	}
	if c.st.get(tENI, eni) != nil {
		return fmt.Errorf("network interface %s exists already", eni)
	}
	t := c.s.fx.instanceType(o.str("instanceType"))
	for k, v := range map[string]any{"privateIp": ip, "availabilityZone": c.az(sub), "tenancy": "default",
		"associatePublicIpAddress": pub != "", "cpuCoreCount": t["defaultCores"], "cpuThreadsPerCore": t["defaultThreadsPerCore"]} {
		if err := sd.derive(o, k, v); err != nil {
			return err
		}
	}
	// The same values the instance kind's create computes.
	for k, v := range map[string]any{
		"arn": c.cfg.regional("ec2", "instance/"+o.id), "instanceState": "running", "privateDns": privateDNS(c, ip),
		"publicIp": pub, "publicDns": publicDNS(c, pub), "primaryNetworkInterfaceId": eni, "securityGroups": []string{},
		"outpostArn": "", "passwordData": "", "disableApiTermination": false, "disableApiStop": false,
	} {
		sd.fill(o, k, v)
	}
	// Source: ResourceInstance schema: root_block_device and metadata_options
	// Optional+Computed (device_name, volume_id, tags_all Computed only;
	// delete_on_termination Default true; http_endpoint Default "enabled",
	// http_protocol_ipv6 Default "disabled"), so Read's inputs carry them
	// without those.
	given := obj(o.outs, "rootBlockDevice")
	if v := obj(o.ins, "rootBlockDevice"); v != nil {
		given = v
	}
	root := c.rootDevice(given, given)
	o.outs["rootBlockDevice"] = root
	o.ins["rootBlockDevice"] = resource.NewObjectProperty(extract(root.ObjectValue(),
		[]string{"deviceName", "volumeId", "tagsAll"}, map[string]any{"deleteOnTermination": true}))
	given = obj(o.outs, "metadataOptions")
	if v := obj(o.ins, "metadataOptions"); v != nil {
		given = v
	}
	meta := metadataOptions(given)
	o.outs["metadataOptions"] = meta
	o.ins["metadataOptions"] = resource.NewObjectProperty(extract(meta.ObjectValue(), nil,
		map[string]any{"httpEndpoint": "enabled", "httpProtocolIpv6": "disabled"}))
	return sd.seedPrimaryInterface(o.id, eni, sub, ip, groups)
}

// seedPrimaryInterface records the network interface EC2 made with an
// instance, attached at device index 0, with the instance's groups and
// address.
// Source: EC2 User Guide, "Elastic network interfaces" / "primary network
// interface" (each instance has a default network interface, the primary
// network interface, at device index 0; it cannot be detached; it is
// created with the instance, with DeleteOnTermination true, and deleted
// with it); vpc_network_interface.go, resourceNetworkInterfaceRead
// (attachment with attachment_id, device_index, instance; private_ip,
// private_ips, private_ip_list, security_groups, interface_type, all
// Optional+Computed, so an import's inputs carry them).
// Assumption: the attachment id's form eni-attach-<17 hex>, the interface
// type "interface", and no description.
func (sd *seeding) seedPrimaryInterface(instance, id string, sub *subnetFixture, ip string, groups []string) error {
	c := sd.c
	attachment := map[string]any{"attachmentId": c.st.hexID("eni-attach", 17), "deviceIndex": 0, "instance": instance}
	n := c.st.next("mac")
	o := &seedObj{typ: tENI, id: id, k: kinds[tENI], ins: pmap(map[string]any{
		"subnetId": sub.ID, "securityGroups": groups, "privateIp": ip, "privateIps": []string{ip},
		"privateIpList": []string{ip}, "attachments": []any{attachment}, "interfaceType": "interface",
	}), outs: pmap(map[string]any{
		"arn": c.cfg.regional("ec2", "network-interface/"+id), "privateDnsName": privateDNS(c, ip),
		"macAddress": fmt.Sprintf("02:00:5e:00:%02x:%02x", n/256, n%256), "ownerId": Account,
	})}
	for k, v := range o.k.defaults {
		sd.fill(o, k, v)
	}
	sd.commit(o)
	return nil
}

// seedGroup places an auto scaling group and its running instances, from a
// launch configuration (or a launch template).
// Source: group.go, resourceGroupRead (the values groupKind's create
// computes; availability_zones, default_cooldown, health_check_type,
// service_linked_role_arn and desired_capacity Optional+Computed, so an
// import's inputs carry them); Auto Scaling API Reference,
// CreateAutoScalingGroup (DesiredCapacity defaults to the minimum size).
// Assumption: the instances are InService, spread over the subnets' zones
// as a launch spreads them (newInstance), and each has its own address.
func seedGroup(sd *seeding, o *seedObj) error {
	c := sd.c
	if err := sameName(o, "name", "an Auto Scaling group"); err != nil {
		return err
	}
	var subnets []*subnetFixture
	var azs []string
	for _, id := range strs(o.ins, "vpcZoneIdentifiers") {
		s := c.s.fx.subnet(id)
		if s == nil {
			return fmt.Errorf("vpcZoneIdentifiers: %q is not a fixture subnet", id)
		}
		subnets = append(subnets, s)
		if !contains(azs, c.az(s)) {
			azs = append(azs, c.az(s))
		}
	}
	if len(subnets) == 0 {
		return fmt.Errorf("vpcZoneIdentifiers: the stand-in models groups in fixture subnets only")
	}
	sort.Strings(azs)
	lc, lt := o.str("launchConfiguration"), obj(o.ins, "launchTemplate")
	if o.has("mixedInstancesPolicy") || (lc == "") == (lt == nil) {
		return fmt.Errorf("a group has a launchConfiguration or a launchTemplate (a mixed instances policy is not modelled)")
	}
	// What the instances are launched from, as newInstance reads launch data.
	tmpl, version := &record{}, 0
	var data resource.PropertyMap
	if lc != "" {
		l := c.st.get(tLaunchConfiguration, lc)
		if l == nil {
			return fmt.Errorf("launch configuration %s does not exist", lc)
		}
		// Source: Auto Scaling API Reference, CreateLaunchConfiguration,
		// AssociatePublicIpAddress (unset: the subnet's setting) and
		// SecurityGroups; see publicIPOnLaunch.
		// Assumption: false is unset (Read reports both as false, and its
		// inputs leave false out).
		ni := resource.PropertyMap{"deviceIndex": pv(0), "securityGroups": pv(strs(l.outputs, "securityGroups"))}
		if v, ok := l.inputs["associatePublicIpAddress"]; ok {
			ni["associatePublicIpAddress"] = v
		}
		data = resource.PropertyMap{"networkInterfaces": pv([]any{ni})}
	} else {
		var err error
		tmpl, version, data, err = c.groupTemplate(func(format string, args ...any) error {
			return fmt.Errorf(format, args...)
		}, o.ins)
		if err != nil {
			return err
		}
	}
	minSize, _ := num(o.ins, "minSize")
	maxSize, _ := num(o.ins, "maxSize")
	desired := minSize
	if v := unwrap(o.value("desiredCapacity")); v.IsNumber() {
		desired = v.NumberValue()
	}
	if minSize > maxSize || desired < minSize || desired > maxSize {
		return fmt.Errorf("desired capacity %v is not between the min size %v and the max size %v", desired, minSize, maxSize)
	}
	for k, v := range map[string]any{"availabilityZones": azs, "defaultCooldown": 300, "healthCheckType": "EC2",
		"desiredCapacity": desired, "serviceLinkedRoleArn": c.cfg.arn("iam", "", Account,
			"role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")} {
		if err := sd.derive(o, k, v); err != nil {
			return err
		}
	}
	uuid := groupUUID(c, o.id)
	for k, v := range map[string]any{
		"arn":               c.cfg.regional("autoscaling", "autoScalingGroup:"+uuid+":autoScalingGroupName/"+o.id),
		"predictedCapacity": 0, "warmPoolSize": 0, "desiredCapacityType": "units",
		"loadBalancers": []string{}, "targetGroupArns": []string{}, "defaultInstanceWarmup": 0,
	} {
		sd.fill(o, k, v)
	}
	cs := side(c.st)
	var placed []*simInst
	for i := 0; i < int(desired); i++ {
		inst, err := c.newInstance(tmpl, version, data, subnets, placed)
		if err != nil {
			return err
		}
		inst.LifecycleState = stateInService
		placed = append(placed, &simInst{LaunchedInstance: inst})
		// Launched now, the instances hold their addresses at once (usedIPs).
		cs.launched[o.id] = append(cs.launched[o.id], inst)
		if lc != "" {
			seedSideOf(c.st).launchedFrom[inst.ID] = lc
			sd.notes = append(sd.notes, inst.ID)
		}
	}
	if cs.launched[o.id] == nil {
		cs.launched[o.id] = []LaunchedInstance{}
	}
	sd.groups = append(sd.groups, o.id)
	return nil
}

// groupUUID is the uuid of a group's ARN, as groupKind's create makes it.
func groupUUID(c *call, name string) string {
	sum := sha256.Sum256([]byte(c.cfg.region + "/" + name))
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

// Source: lifecycle_hook.go, resourceLifecycleHookRead (heartbeat_timeout,
// default_result: PutLifecycleHook's defaults 3600 and ABANDON when unset;
// Auto Scaling API Reference, PutLifecycleHook); the id is the name.
func seedLifecycleHook(sd *seeding, o *seedObj) error {
	c := sd.c
	if err := sameName(o, "name", "a lifecycle hook"); err != nil {
		return err
	}
	if c.st.get(tGroup, o.str("autoscalingGroupName")) == nil {
		return fmt.Errorf("group %s does not exist", o.str("autoscalingGroupName"))
	}
	if t := o.str("notificationTargetArn"); t != "" && c.st.queueByARN(t) == nil {
		return fmt.Errorf("notification target %s is no queue that exists", t)
	}
	if r := o.str("roleArn"); r != "" && c.st.roleByARN(r) == nil {
		return fmt.Errorf("role %s does not exist", r)
	}
	if err := sd.derive(o, "heartbeatTimeout", 3600); err != nil {
		return err
	}
	return sd.derive(o, "defaultResult", "ABANDON")
}

// Source: record.go, resourceRecordCreate (the id zone_name_type) and Read
// (fqdn).
func seedRecord(sd *seeding, o *seedObj) error {
	zoneID := o.str("zoneId")
	zone := sd.c.s.fx.hostedZone(zoneID)
	if zone == "" {
		return fmt.Errorf("zoneId %q is not a fixture hosted zone", zoneID)
	}
	if want := zoneID + "_" + strings.TrimSuffix(strings.ToLower(o.str("name")), ".") + "_" + o.str("type"); o.id != want {
		return fmt.Errorf("the provider's id for a record is <zone>_<name>_<type>, %q", want)
	}
	sd.fill(o, "fqdn", fqdn(o.str("name"), zone))
	return nil
}

// --- hooks for the kinds' own files ------------------------------------------

// attachedInstance is the instance a seeded network interface is attached
// to, by its attachment: the primary interface of a seeded instance, which
// that instance's outputs do not name (see seedInstance).
func (st *state) attachedInstance(eni string) *record {
	e := st.get(tENI, eni)
	if e == nil {
		return nil
	}
	for _, a := range objs(e.outputs, "attachments") {
		if i := st.get(tInstance, str(a, "instance")); i != nil {
			return i
		}
	}
	return nil
}

// deleteOnTermination deletes the network interfaces that EC2 deletes with
// a terminated instance: the primary interface of a seeded instance
// (DeleteOnTermination true); its EIP is disassociated and stays allocated,
// as when an interface is deleted (ec2_network_interface.go).
// Source: EC2 User Guide, "Elastic network interfaces" (the primary network
// interface is deleted when the instance terminates).
func (st *state) deleteOnTermination(instance string) {
	for _, e := range st.all(tENI) {
		for _, a := range objs(e.outputs, "attachments") {
			if n, _ := num(a, "deviceIndex"); n == 0 && str(a, "instance") == instance {
				if ip := st.eipOn(e.id); ip != nil {
					disassociate(ip)
				}
				st.remove(tENI, e.id)
			}
		}
	}
}
