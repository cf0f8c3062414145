package standin_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/circleci-server-pulumi/installer/tests/standin"
)

// Fixture ids.
const (
	vpcID         = "vpc-0a1b2c3d4e5f67890"
	subnetID      = "subnet-0f1e2d3c4b5a69788" // 10.0.1.0/24, internet gateway
	privateSubnet = "subnet-0aaaaaaaaaaaaaaa1" // 10.0.2.0/24, NAT
	s3Subnet      = "subnet-0ddddddddddddddd1" // 10.0.3.0/24, NAT and an S3 gateway endpoint
	isolatedSub   = "subnet-0eeeeeeeeeeeeeee1" // 10.0.4.0/24, local route only
	publicRT      = "rtb-0a1b2c3d4e5f60002"    // subnetID's
	privateRT     = "rtb-0a1b2c3d4e5f60003"    // privateSubnet's
	s3RT          = "rtb-0a1b2c3d4e5f60004"    // s3Subnet's, with the route of s3Endpoint
	isolatedRT    = "rtb-0a1b2c3d4e5f60005"    // isolatedSub's
	s3Endpoint    = "vpce-0ddddddddddddddd1"
	noDNSVPC      = "vpc-0bbbbbbbbbbbbbbb2"
	noDNSSubnet   = "subnet-0bbbbbbbbbbbbbbb3"
	otherVPC      = "vpc-0ccccccccccccccc4"
	otherSubnet   = "subnet-0ccccccccccccccc5"
	ami           = "ami-0123456789abcdef0"
)

var wire = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true}

// secretV and unknownV mark values in test property maps.
type secretV struct{ v any }

type unknownT struct{}

var unknownV = unknownT{}

func toPV(x any) resource.PropertyValue {
	switch t := x.(type) {
	case nil:
		return resource.NewNullProperty()
	case secretV:
		return resource.MakeSecret(toPV(t.v))
	case unknownT:
		return resource.MakeComputed(resource.NewStringProperty(""))
	case string:
		return resource.NewStringProperty(t)
	case bool:
		return resource.NewBoolProperty(t)
	case int:
		return resource.NewNumberProperty(float64(t))
	case float64:
		return resource.NewNumberProperty(t)
	case []string:
		var a []resource.PropertyValue
		for _, s := range t {
			a = append(a, resource.NewStringProperty(s))
		}
		return resource.NewArrayProperty(a)
	case []any:
		var a []resource.PropertyValue
		for _, e := range t {
			a = append(a, toPV(e))
		}
		return resource.NewArrayProperty(a)
	case map[string]string:
		m := resource.PropertyMap{}
		for k, v := range t {
			m[resource.PropertyKey(k)] = resource.NewStringProperty(v)
		}
		return resource.NewObjectProperty(m)
	case map[string]any:
		return resource.NewObjectProperty(toPM(t))
	case resource.PropertyValue:
		return t
	}
	panic(fmt.Sprintf("toPV: %T", x))
}

func toPM(m map[string]any) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range m {
		out[resource.PropertyKey(k)] = toPV(v)
	}
	return out
}

func mustMarshal(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(m, wire)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustUnmarshal(t *testing.T, s *structpb.Struct) resource.PropertyMap {
	t.Helper()
	m, err := plugin.UnmarshalProperties(s, wire)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// live is a resource the harness created.
type live struct {
	typ, urn, id string
	inputs       resource.PropertyMap
	outputs      resource.PropertyMap
}

func (l *live) str(k string) string {
	v := l.outputs[resource.PropertyKey(k)]
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// harness talks gRPC to a stand-in, as the engine does, without the engine.
type harness struct {
	t   *testing.T
	srv *standin.Server
	rp  pulumirpc.ResourceProviderClient
	res map[string]*live
}

func newHarness(t *testing.T, region string) *harness {
	t.Helper()
	srv, err := standin.Start(standin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", srv.Port()), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		srv.Stop()
	})
	h := &harness{t: t, srv: srv, rp: pulumirpc.NewResourceProviderClient(conn), res: map[string]*live{}}
	if region != "" {
		h.configure(region)
	}
	return h
}

func (h *harness) configure(region string) {
	h.t.Helper()
	resp, err := h.rp.Configure(context.Background(), &pulumirpc.ConfigureRequest{
		Args:          mustMarshal(h.t, toPM(map[string]any{"region": region, "version": standin.Version})),
		AcceptSecrets: true, AcceptResources: true,
	})
	if err != nil {
		h.t.Fatalf("configure %s: %v", region, err)
	}
	if !resp.AcceptSecrets || !resp.SupportsPreview || !resp.AcceptResources {
		h.t.Fatalf("configure answered %v", resp)
	}
}

func urnOf(typ, name string) string {
	return string(resource.NewURN("dev", "installer", "", tokens.Type(typ), name))
}

// check runs Check and returns the checked inputs and the failures.
func (h *harness) check(typ, name string, props map[string]any) (resource.PropertyMap, []*pulumirpc.CheckFailure, error) {
	h.t.Helper()
	var olds *structpb.Struct
	if l := h.res[name]; l != nil {
		olds = mustMarshal(h.t, l.inputs)
	}
	resp, err := h.rp.Check(context.Background(), &pulumirpc.CheckRequest{
		Urn: urnOf(typ, name), Type: typ, Name: name, Olds: olds, News: mustMarshal(h.t, toPM(props)),
	})
	if err != nil {
		return nil, nil, err
	}
	return mustUnmarshal(h.t, resp.Inputs), resp.Failures, nil
}

// checked runs Check and fails the test on any failure.
func (h *harness) checked(typ, name string, props map[string]any) resource.PropertyMap {
	h.t.Helper()
	ins, failures, err := h.check(typ, name, props)
	if err != nil {
		h.t.Fatalf("check %s %s: %v", typ, name, err)
	}
	if len(failures) > 0 {
		h.t.Fatalf("check %s %s: failures %v", typ, name, failures)
	}
	return ins
}

// tryUp checks and creates a resource (not a preview).
func (h *harness) tryUp(typ, name string, props map[string]any) (*live, error) {
	h.t.Helper()
	ins := h.checked(typ, name, props)
	resp, err := h.rp.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urnOf(typ, name), Type: typ, Name: name, Properties: mustMarshal(h.t, ins),
	})
	if err != nil {
		return nil, err
	}
	l := &live{typ: typ, urn: urnOf(typ, name), id: resp.Id, inputs: ins, outputs: mustUnmarshal(h.t, resp.Properties)}
	h.res[name] = l
	return l, nil
}

func (h *harness) up(typ, name string, props map[string]any) *live {
	h.t.Helper()
	l, err := h.tryUp(typ, name, props)
	if err != nil {
		h.t.Fatalf("create %s %s: %v", typ, name, err)
	}
	return l
}

// diff checks new inputs for a live resource and diffs them.
func (h *harness) diff(name string, props map[string]any, ignore ...string) *pulumirpc.DiffResponse {
	h.t.Helper()
	l := h.res[name]
	news := h.checked(l.typ, name, props)
	resp, err := h.rp.Diff(context.Background(), &pulumirpc.DiffRequest{
		Id: l.id, Urn: l.urn, Type: l.typ, Name: name, OldInputs: mustMarshal(h.t, l.inputs),
		Olds: mustMarshal(h.t, l.outputs), News: mustMarshal(h.t, news), IgnoreChanges: ignore,
	})
	if err != nil {
		h.t.Fatalf("diff %s: %v", name, err)
	}
	return resp
}

// update checks and updates a live resource.
func (h *harness) update(name string, props map[string]any, preview bool) (resource.PropertyMap, error) {
	h.t.Helper()
	l := h.res[name]
	news := h.checked(l.typ, name, props)
	resp, err := h.rp.Update(context.Background(), &pulumirpc.UpdateRequest{
		Id: l.id, Urn: l.urn, Type: l.typ, Name: name, OldInputs: mustMarshal(h.t, l.inputs),
		Olds: mustMarshal(h.t, l.outputs), News: mustMarshal(h.t, news), Preview: preview,
	})
	if err != nil {
		return nil, err
	}
	outs := mustUnmarshal(h.t, resp.Properties)
	if !preview {
		l.inputs, l.outputs = news, outs
	}
	return outs, nil
}

func (h *harness) delete(name string) error {
	h.t.Helper()
	l := h.res[name]
	_, err := h.rp.Delete(context.Background(), &pulumirpc.DeleteRequest{
		Id: l.id, Urn: l.urn, Type: l.typ, Name: name, Properties: mustMarshal(h.t, l.outputs), OldInputs: mustMarshal(h.t, l.inputs),
	})
	if err == nil {
		delete(h.res, name)
	}
	return err
}

func (h *harness) invoke(tok string, args map[string]any) (resource.PropertyMap, error) {
	h.t.Helper()
	resp, err := h.rp.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: tok, Args: mustMarshal(h.t, toPM(args))})
	if err != nil {
		return nil, err
	}
	return mustUnmarshal(h.t, resp.Return), nil
}

func wantErr(t *testing.T, err error, substrs ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("succeeded, want an error with %q", substrs)
	}
	for _, s := range substrs {
		if !strings.Contains(err.Error(), s) {
			t.Fatalf("error %q does not contain %q", err, s)
		}
	}
}

// --- a small installation to build tests on --------------------------------

const (
	tSG       = "aws:ec2/securityGroup:SecurityGroup"
	tIngress  = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tEgress   = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	tENI      = "aws:ec2/networkInterface:NetworkInterface"
	tEIP      = "aws:ec2/eip:Eip"
	tInstance = "aws:ec2/instance:Instance"
	tLT       = "aws:ec2/launchTemplate:LaunchTemplate"
	tGroup    = "aws:autoscaling/group:Group"
	tHook     = "aws:autoscaling/lifecycleHook:LifecycleHook"
	tQueue    = "aws:sqs/queue:Queue"
	tParam    = "aws:ssm/parameter:Parameter"
	tRole     = "aws:iam/role:Role"
	tPolicy   = "aws:iam/rolePolicy:RolePolicy"
	tProfile  = "aws:iam/instanceProfile:InstanceProfile"
	tBucket   = "aws:s3/bucketV2:BucketV2"
	tSSE      = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tPAB      = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tOwner    = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	tCors     = "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2"
	tRecord   = "aws:route53/record:Record"
	tEndpoint = "aws:ec2/vpcEndpoint:VpcEndpoint"
)

func (h *harness) sg(name string) *live {
	return h.up(tSG, name, map[string]any{"name": "circleci_" + name, "description": "group " + name, "vpcId": vpcID})
}

func trustPolicy(service string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + service + `"},"Action":["sts:AssumeRole"]}]}`
}

func allowPolicy(action, res string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["` + action + `"],"Resource":["` + res + `"]}]}`
}

const userData = "IyEvYmluL2Jhc2gKZWNobyBoZWxsbwo=" // #!/bin/bash\necho hello

func ltProps(name string, extra map[string]any) map[string]any {
	p := map[string]any{
		"name": name, "imageId": ami, "instanceType": "m5.xlarge", "keyName": "circleci-admin",
		"userData": userData, "updateDefaultVersion": true,
		"metadataOptions": map[string]any{"httpEndpoint": "enabled", "httpTokens": "required", "httpPutResponseHopLimit": 1},
	}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

// fromPV turns a property value back into the test's plain form.
func fromPV(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return secretV{fromPV(v.SecretValue().Element)}
	case v.IsComputed():
		return unknownV
	case v.IsObject():
		return fromPM(v.ObjectValue())
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, fromPV(e))
		}
		return out
	case v.IsNull():
		return nil
	}
	return v.V
}

func fromPM(m resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[string(k)] = fromPV(v)
	}
	return out
}
