package installer_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/components"
	"github.com/circleci-server-pulumi/installer/config"
	"github.com/circleci-server-pulumi/installer/installer"
	"github.com/circleci-server-pulumi/installer/internal/stackfile"
	"github.com/circleci-server-pulumi/installer/preflight"
)

const (
	project = "circleci-server"
	// demoPassphrase encrypts the example stack's secrets (see Pulumi.dev.yaml).
	demoPassphrase = "circleci-dev-example"
	subnetCIDR     = "10.0.1.0/24"
	servicesENIIP  = "10.0.1.10"
	elasticIP      = "198.51.100.10"
	ubuntuAMI      = "ami-0f0e0d0c0b0a09081"
)

var (
	devOnce sync.Once
	devCfg  *stackfile.Config
	devErr  error
)

// devConfig returns a copy of the committed example stack's configuration.
func devConfig(t *testing.T) map[string]string {
	t.Helper()
	devOnce.Do(func() { devCfg, devErr = stackfile.Load("../Pulumi.dev.yaml", project, demoPassphrase) })
	if devErr != nil {
		t.Fatalf("loading Pulumi.dev.yaml: %v", devErr)
	}
	out := map[string]string{}
	for k, v := range devCfg.Values {
		out[k] = v
	}
	return out
}

// resource is one resource the program registered.
type registered struct {
	Type, Name string
	ID         string // as the mocks answered
	URN        string
	Custom     bool
	Parent     string
	Inputs     resource.PropertyMap
	Options    struct {
		DeleteBeforeReplace bool
		Protect             bool
		IgnoreChanges       []string
		Providers           map[string]string
		Provider            string
		BeforeDelete        []string // delete hooks
		DependsOn           []string // URNs, explicit and from inputs
	}
}

func (r registered) String() string { return r.Type + " " + r.Name }

// input reads a property by path: "rootBlockDevice.volumeSize",
// "networkInterfaces[0].deviceIndex". Secrets are unwrapped.
func (r registered) input(path string) (resource.PropertyValue, bool) {
	v := resource.NewObjectProperty(r.Inputs)
	for _, part := range strings.Split(path, ".") {
		name, idx := part, -1
		if i := strings.Index(part, "["); i >= 0 {
			name = part[:i]
			idx, _ = strconv.Atoi(strings.TrimSuffix(part[i+1:], "]"))
		}
		for v.IsSecret() {
			v = v.SecretValue().Element
		}
		if !v.IsObject() {
			return resource.PropertyValue{}, false
		}
		var ok bool
		if v, ok = v.ObjectValue()[resource.PropertyKey(name)]; !ok {
			return resource.PropertyValue{}, false
		}
		if idx >= 0 {
			for v.IsSecret() {
				v = v.SecretValue().Element
			}
			if !v.IsArray() || idx >= len(v.ArrayValue()) {
				return resource.PropertyValue{}, false
			}
			v = v.ArrayValue()[idx]
		}
	}
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v, true
}

// str reads a string property; "" when absent.
func (r registered) str(path string) string {
	v, ok := r.input(path)
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

// userData decodes a base64 user data property.
func (r registered) userData(t *testing.T, path string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(r.str(path))
	if err != nil {
		t.Fatalf("%s: %s is not base64: %v", r, path, err)
	}
	return string(b)
}

// awsMocks answers the program's resources and invokes the way AWS would
// shape them, and records everything.
type awsMocks struct {
	mu        sync.Mutex
	partition string
	region    string
	subnetVPC string
	resources []registered
	invokes   []pulumi.MockCallArgs
	counter   int
	env       environment
}

// environment is the AWS account as the mocks describe it.
type environment struct {
	dnsSupport    bool
	routes        []map[string]any // of the subnet's route table
	ownS3Endpoint bool             // the S3 route is this installation's endpoint
	instanceTypes map[string]instanceType
	// missingFrom lists, per instance type, the zone suffixes that do not
	// offer it; every other of a, b and c does.
	missingFrom map[string][]string
	// noCanonicalImage, when set, is the error the lookup of Canonical's
	// Ubuntu 16.04 image gives: the region has none.
	noCanonicalImage string
	// servicesBox is the services instance AWS runs already (its
	// getInstance answer), or nil for a first install.
	servicesBox map[string]any
}

func (e environment) zonesOffering(instanceType string) []string {
	var out []string
	for _, z := range []string{"a", "b", "c"} {
		missing := false
		for _, m := range e.missingFrom[instanceType] {
			missing = missing || m == z
		}
		if !missing {
			out = append(out, z)
		}
	}
	return out
}

type instanceType struct {
	vcpus, cores, mib int
	ghz               float64
	arch              string
}

const s3PrefixList = "pl-6ea54007"

var (
	igwRoute = map[string]any{"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-0a1b2c3d4e5f60001"}
	natRoute = map[string]any{"cidrBlock": "0.0.0.0/0", "natGatewayId": "nat-0a1b2c3d4e5f60001"}
	s3Route  = map[string]any{"destinationPrefixListId": s3PrefixList, "vpcEndpointId": "vpce-0a1b2c3d4e5f60001"}
)

// publicAccount is the example stack's account: a public subnet in a VPC
// with DNS support, and AWS's figures for the instance types used.
func publicAccount() environment {
	return environment{
		dnsSupport: true,
		routes:     []map[string]any{{"cidrBlock": "10.0.0.0/16", "gatewayId": "local"}, igwRoute},
		instanceTypes: map[string]instanceType{
			"m5.2xlarge":  {8, 4, 32768, 3.1, "x86_64"},
			"m5.4xlarge":  {16, 8, 65536, 3.1, "x86_64"},
			"m5.xlarge":   {4, 2, 16384, 3.1, "x86_64"},
			"r5.2xlarge":  {8, 4, 65536, 3.1, "x86_64"},
			"m6g.2xlarge": {8, 8, 32768, 2.5, "arm64"},
		},
	}
}

func (m *awsMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counter++
	r := registered{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Parent = rpc.GetParent()
		r.Options.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		r.Options.Protect = rpc.GetProtect()
		r.Options.IgnoreChanges = rpc.GetIgnoreChanges()
		r.Options.Providers = rpc.GetProviders()
		r.Options.Provider = rpc.GetProvider()
		r.Options.BeforeDelete = rpc.GetHooks().GetBeforeDelete()
		r.Options.DependsOn = rpc.GetDependencies()
		r.URN = fmt.Sprintf("urn:pulumi:dev::%s::%s::%s", project, args.TypeToken, args.Name)
	}
	m.resources = append(m.resources, r)

	// Ids derive from the resource's name, not from the order of
	// registration, so that a plan can be compared across refactorings.
	n := nameHash(args.TypeToken + "::" + args.Name)
	id := fmt.Sprintf("%s-%04d", args.Name, n%10000)
	out := args.Inputs.Copy()
	arn := func(service, resourcePart string) resource.PropertyValue {
		return resource.NewStringProperty(fmt.Sprintf("arn:%s:%s:%s:123456789012:%s", m.partition, service, m.region, resourcePart))
	}
	name := r.str("name")
	switch args.TypeToken {
	case "aws:sqs/queue:Queue":
		out["url"] = resource.NewStringProperty("https://sqs." + m.region + ".amazonaws.com/123456789012/" + name)
		out["arn"] = arn("sqs", name)
	case "aws:iam/role:Role":
		out["arn"] = resource.NewStringProperty("arn:" + m.partition + ":iam::123456789012:role/" + name)
	case "aws:iam/instanceProfile:InstanceProfile":
		out["arn"] = resource.NewStringProperty("arn:" + m.partition + ":iam::123456789012:instance-profile/" + name)
	case "aws:ssm/parameter:Parameter":
		out["arn"] = arn("ssm", "parameter"+name)
	case "aws:s3/bucketV2:BucketV2":
		id = r.str("bucket")
		out["arn"] = resource.NewStringProperty("arn:" + m.partition + ":s3:::" + id)
	case "aws:ec2/securityGroup:SecurityGroup":
		id = fmt.Sprintf("sg-%017x", n)
	case "aws:ec2/networkInterface:NetworkInterface":
		id = fmt.Sprintf("eni-%017x", n)
		out["privateIp"] = resource.NewStringProperty(servicesENIIP)
	case "aws:ec2/eip:Eip":
		out["publicIp"] = resource.NewStringProperty(elasticIP)
	case "aws:ec2/instance:Instance":
		id = fmt.Sprintf("i-%017x", n)
		out["privateIp"] = resource.NewStringProperty(servicesENIIP)
		out["publicIp"] = resource.NewStringProperty(instancePublicIP)
	case "aws:ec2/launchTemplate:LaunchTemplate":
		id = fmt.Sprintf("lt-%017x", n)
		out["latestVersion"] = resource.NewNumberProperty(1)
	case "aws:route53/record:Record":
		out["fqdn"] = resource.NewStringProperty(r.str("name"))
	}
	m.resources[len(m.resources)-1].ID = id
	return id, out, nil
}

// nameHash is a stable 60-bit number for a resource.
// instancePublicIP is the address EC2 assigns an instance launched with one.
const instancePublicIP = "198.51.100.77"

func nameHash(s string) uint64 {
	sum := sha256.Sum256([]byte(s))
	return binary.BigEndian.Uint64(sum[:8]) >> 4
}

func (m *awsMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.invokes = append(m.invokes, args)
	switch args.Token {
	case "aws:ec2/getSubnet:getSubnet":
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": args.Args["id"].StringValue(), "cidrBlock": subnetCIDR, "vpcId": m.subnetVPC,
			"availabilityZone": m.region + "a",
		}), nil
	case "aws:ec2/getVpc:getVpc":
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": args.Args["id"].StringValue(), "cidrBlock": "10.0.0.0/16", "enableDnsSupport": m.env.dnsSupport,
		}), nil
	case "aws:ec2/getRouteTable:getRouteTable":
		routes := make([]any, len(m.env.routes))
		for i, r := range m.env.routes {
			routes[i] = r
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": "rtb-0a1b2c3d4e5f60002", "routeTableId": "rtb-0a1b2c3d4e5f60002", "routes": routes}), nil
	case "aws:ec2/getRouteTables:getRouteTables":
		// Only asked for the route table with the S3 endpoint's route.
		var ids []any
		for _, r := range m.env.routes {
			if r["destinationPrefixListId"] == s3PrefixList {
				ids = append(ids, "rtb-0a1b2c3d4e5f60002")
			}
		}
		return resource.NewPropertyMapFromMap(map[string]any{"ids": ids}), nil
	case "aws:ec2/getKeyPair:getKeyPair":
		if name := args.Args["keyName"].StringValue(); name != "circleci-admin" {
			return nil, fmt.Errorf("reading EC2 Key Pair: api error InvalidKeyPair.NotFound: The key pair '%s' does not exist", name)
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": "key-0123456789abcdef0", "keyName": "circleci-admin"}), nil
	case "aws:ec2/getVpcEndpoint:getVpcEndpoint":
		if !m.env.ownS3Endpoint {
			return nil, fmt.Errorf("no matching EC2 VPC Endpoint found")
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": "vpce-0123456789abcdef0"}), nil
	case "aws:ec2/getPrefixList:getPrefixList":
		return resource.NewPropertyMapFromMap(map[string]any{"id": s3PrefixList, "name": args.Args["name"].StringValue()}), nil
	case "aws:ec2/getInstanceType:getInstanceType":
		name := args.Args["instanceType"].StringValue()
		it, ok := m.env.instanceTypes[name]
		if !ok {
			return nil, fmt.Errorf("mocks: no instance type %s", name)
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"instanceType": name, "defaultVcpus": it.vcpus, "defaultCores": it.cores, "memorySize": it.mib,
			"sustainedClockSpeed": it.ghz, "supportedArchitectures": []any{it.arch},
		}), nil
	case "aws:ec2/getVpcEndpointService:getVpcEndpointService":
		return resource.NewPropertyMapFromMap(map[string]any{
			"serviceName": "com.amazonaws." + m.region + ".s3", "serviceType": "Gateway",
		}), nil
	case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings":
		var name string
		for _, f := range args.Args["filters"].ArrayValue() {
			if f.ObjectValue()["name"].StringValue() == "instance-type" {
				name = f.ObjectValue()["values"].ArrayValue()[0].StringValue()
			}
		}
		var zones []any
		for _, z := range m.env.zonesOffering(name) {
			zones = append(zones, m.region+z)
		}
		return resource.NewPropertyMapFromMap(map[string]any{"locations": zones, "instanceTypes": []any{name}}), nil
	case "aws:ec2/getInstances:getInstances":
		ids := []any{}
		if m.env.servicesBox != nil {
			ids = append(ids, m.env.servicesBox["id"])
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": m.region, "ids": ids}), nil
	case "aws:ec2/getInstance:getInstance":
		if m.env.servicesBox == nil {
			return nil, errors.New("Your query returned no results. Please change your search criteria and try again.")
		}
		return resource.NewPropertyMapFromMap(m.env.servicesBox), nil
	case "aws:ec2/getAmi:getAmi":
		if _, byOwner := args.Args["owners"]; byOwner && m.env.noCanonicalImage != "" {
			return nil, errors.New(m.env.noCanonicalImage)
		}
		id := ubuntuAMI
		for _, f := range args.Args["filters"].ArrayValue() {
			if f.ObjectValue()["name"].StringValue() == "image-id" {
				id = f.ObjectValue()["values"].ArrayValue()[0].StringValue()
			}
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": id, "rootDeviceName": "/dev/sda1"}), nil
	}
	return nil, fmt.Errorf("mocks: no answer for invoke %s", args.Token)
}

// run is the result of running the program once under mocks.
type run struct {
	*awsMocks
	err       error
	outputs   map[string]any
	preflight preflight.Result
}

// deploy runs installer.Program with the given stack configuration (bare
// keys) under mocks; keys named in secrets are marked secret, as
// `pulumi config set --secret` would.
func deploy(t *testing.T, cfg map[string]string, secrets ...string) *run {
	t.Helper()
	return deployIn(t, publicAccount(), cfg, cfg["aws_vpc_id"], secrets...)
}

// deployWithSubnetVPC is deploy where AWS says the subnet is in subnetVPC.
func deployWithSubnetVPC(t *testing.T, cfg map[string]string, subnetVPC string, secrets ...string) *run {
	t.Helper()
	return deployIn(t, publicAccount(), cfg, subnetVPC, secrets...)
}

// deployIn is deploy in an account described by env.
func deployIn(t *testing.T, env environment, cfg map[string]string, subnetVPC string, secrets ...string) *run {
	t.Helper()
	full := map[string]string{}
	for k, v := range cfg {
		full[project+":"+k] = v
	}
	var secretKeys []string
	for _, k := range append(secrets, "circle_secret_passphrase") {
		secretKeys = append(secretKeys, project+":"+k)
	}
	m := &awsMocks{partition: "aws", region: cfg["aws_region"], subnetVPC: subnetVPC, env: env}
	switch {
	case strings.HasPrefix(m.region, "us-gov-"):
		m.partition = "aws-us-gov"
	case strings.HasPrefix(m.region, "cn-"):
		m.partition = "aws-cn"
	}
	r := &run{awsMocks: m, outputs: map[string]any{}}
	var outMu sync.Mutex
	r.err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		in, err := installer.Program(ctx)
		if err != nil {
			return err
		}
		r.preflight = in.Preflight
		in.Outputs.ToMapOutput().ApplyT(func(o map[string]any) error {
			outMu.Lock()
			defer outMu.Unlock()
			for k, v := range o {
				r.outputs[k] = v
			}
			return nil
		})
		return nil
	}, pulumi.WithMocks(project, "dev", m), func(info *pulumi.RunInfo) {
		info.Config = full
		info.ConfigSecretKeys = secretKeys
	})
	return r
}

// mustDeploy is deploy for configurations that must succeed.
func mustDeploy(t *testing.T, cfg map[string]string, secrets ...string) *run {
	t.Helper()
	r := deploy(t, cfg, secrets...)
	if r.err != nil {
		t.Fatalf("program failed: %v", r.err)
	}
	return r
}

// custom lists the AWS resources (not components, not the provider).
func (r *run) custom() []registered {
	var out []registered
	for _, res := range r.resources {
		if res.Custom && !strings.HasPrefix(res.Type, "pulumi:providers:") {
			out = append(out, res)
		}
	}
	return out
}

// ofType lists the resources of a type.
func (r *run) ofType(typ string) []registered {
	var out []registered
	for _, res := range r.resources {
		if res.Type == typ {
			out = append(out, res)
		}
	}
	return out
}

// named returns the resource of a type whose AWS name property (or, for
// resources without one, Pulumi name) matches.
func (r *run) named(t *testing.T, typ, prop, name string) registered {
	t.Helper()
	var names []string
	for _, res := range r.ofType(typ) {
		if res.str(prop) == name {
			return res
		}
		names = append(names, res.str(prop))
	}
	t.Fatalf("no %s with %s %q; have %q", typ, prop, name, names)
	return registered{}
}

// only returns the single resource of a type.
func (r *run) only(t *testing.T, typ string) registered {
	t.Helper()
	rs := r.ofType(typ)
	if len(rs) != 1 {
		t.Fatalf("want exactly one %s, have %d: %v", typ, len(rs), rs)
	}
	return rs[0]
}

// groupNames names the security groups with these ids, in order.
func (r *run) groupNames(t *testing.T, ids []string) []string {
	t.Helper()
	byID := map[string]string{}
	for _, sg := range r.ofType("aws:ec2/securityGroup:SecurityGroup") {
		byID[sg.ID] = sg.str("name")
	}
	var out []string
	for _, id := range ids {
		n, ok := byID[id]
		if !ok {
			t.Fatalf("%s is not a security group of the installation", id)
		}
		out = append(out, n)
	}
	return out
}

// attached names the groups Attachments gives a machine, as the example
// stack's prefix names them.
func attached(keys ...components.GroupKey) []string {
	c := &config.Config{Prefix: "circleci", AWSVPCID: "vpc-0a1b2c3d4e5f67890"}
	groups, _ := components.SecurityGroupPlan(components.SecurityGroupsArgs{Names: c.Names(), EnableNomad: true, EnableBuilders: true})
	name := map[components.GroupKey]string{}
	for _, g := range groups {
		name[g.Key] = g.Name
	}
	var out []string
	for _, k := range keys {
		out = append(out, name[k])
	}
	return out
}

// wantGroups checks that a machine is in exactly the groups Attachments
// gives it, in that order.
func wantGroups(t *testing.T, r *run, machine string, ids []string, keys []components.GroupKey) {
	t.Helper()
	got, want := r.groupNames(t, ids), attached(keys...)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s is in the security groups %v; components.Attachments says %v", machine, got, want)
	}
}

// awsNames lists every AWS name-like string the program chose.
func (r *run) awsNames() []string {
	var out []string
	for _, res := range r.custom() {
		for _, p := range []string{"name", "bucket", "tags.Name"} {
			if s := res.str(p); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

var arnRE = regexp.MustCompile(`arn:[a-z-]+:[a-z0-9-]*:[a-z0-9-]*:[0-9*]*:[^"\s]*`)

// allStrings walks every string in every input, secrets included.
func (r *run) allStrings() []string {
	var out []string
	var walk func(v resource.PropertyValue)
	walk = func(v resource.PropertyValue) {
		switch {
		case v.IsString():
			out = append(out, v.StringValue())
		case v.IsSecret():
			walk(v.SecretValue().Element)
		case v.IsArray():
			for _, e := range v.ArrayValue() {
				walk(e)
			}
		case v.IsObject():
			for _, e := range v.ObjectValue() {
				walk(e)
			}
		}
	}
	for _, res := range r.resources {
		walk(resource.NewObjectProperty(res.Inputs))
	}
	return out
}
