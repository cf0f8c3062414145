package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optimport"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/circleci-server-pulumi/installer/adopt"
	"github.com/circleci-server-pulumi/installer/internal/offline"
	"github.com/circleci-server-pulumi/installer/tests/standin"
)

// Adoption of an installation made by CircleCI's Terraform installer,
// end to end: the Terraform-made objects are seeded into the stand-in as
// the provider's Read reports them, the adoption runs as cmd/adopt runs it,
// pulumi import reads them, and the first preview and up must neither
// replace nor delete what holds data.

// seedType is how one Terraform resource type becomes a stand-in object:
// the attributes Read reports as inputs (Terraform names; the Pulumi name
// is the camelCase form unless renamed), the MaxItems=1 blocks (objects in
// Pulumi), the schema defaults Read's inputs leave out (top level and inside
// blocks), the Required arguments kept even at zero, and the computed
// attributes given as outputs.
type seedType struct {
	typ      string
	inputs   []string
	rename   map[string]string
	objects  []string
	defaults map[string]any
	required []string
	outputs  []string
}

// seedTypes: pulumi-aws v6.83.4 names (sdk/v6/go/aws/<module>/<resource>.go).
// Every id is the Terraform id, which is the provider's: the queue URL,
// <role>:<name> for a role policy, <zone>_<name>_<type> for a record, the
// name for IAM objects, buckets, groups, launch configurations and hooks.
var seedTypes = map[string]seedType{
	"aws_sqs_queue": {typ: "aws:sqs/queue:Queue",
		inputs: []string{"name", "delay_seconds", "max_message_size", "message_retention_seconds", "receive_wait_time_seconds",
			"visibility_timeout_seconds", "fifo_queue", "content_based_deduplication", "kms_master_key_id",
			"kms_data_key_reuse_period_seconds", "policy", "redrive_policy", "tags"},
		defaults: map[string]any{"delay_seconds": 0, "max_message_size": 262144, "message_retention_seconds": 345600,
			"receive_wait_time_seconds": 0, "visibility_timeout_seconds": 30}},
	"aws_iam_role": {typ: "aws:iam/role:Role",
		inputs:   []string{"name", "assume_role_policy", "path", "max_session_duration", "description", "permissions_boundary", "tags"},
		defaults: map[string]any{"path": "/", "max_session_duration": 3600}, required: []string{"assume_role_policy"}},
	"aws_iam_role_policy": {typ: "aws:iam/rolePolicy:RolePolicy", inputs: []string{"name", "role", "policy"}, required: []string{"policy", "role"}},
	"aws_iam_instance_profile": {typ: "aws:iam/instanceProfile:InstanceProfile",
		inputs: []string{"name", "path", "role"}, defaults: map[string]any{"path": "/"}},
	"aws_s3_bucket": {typ: "aws:s3/bucketV2:BucketV2",
		inputs: []string{"bucket", "cors_rule", "policy", "acceleration_status", "request_payer", "tags"},
		rename: map[string]string{"cors_rule": "corsRules"}},
	"aws_security_group": {typ: "aws:ec2/securityGroup:SecurityGroup",
		inputs: []string{"name", "description", "vpc_id", "ingress", "egress", "tags"}},
	"aws_instance": {typ: "aws:ec2/instance:Instance",
		inputs: []string{"ami", "instance_type", "key_name", "iam_instance_profile", "subnet_id", "vpc_security_group_ids",
			"private_ip", "associate_public_ip_address", "availability_zone", "tenancy", "cpu_core_count", "cpu_threads_per_core",
			"disable_api_termination", "ebs_optimized", "monitoring", "source_dest_check", "hibernation", "placement_group",
			"instance_initiated_shutdown_behavior", "root_block_device", "metadata_options", "user_data", "tags"},
		objects:  []string{"root_block_device", "metadata_options"},
		defaults: map[string]any{"source_dest_check": true, "delete_on_termination": true},
		outputs:  []string{"public_ip", "primary_network_interface_id"}},
	"aws_launch_configuration": {typ: "aws:ec2/launchConfiguration:LaunchConfiguration",
		inputs: []string{"name", "image_id", "instance_type", "key_name", "iam_instance_profile", "security_groups",
			"associate_public_ip_address", "enable_monitoring", "ebs_optimized", "placement_tenancy", "spot_price",
			"root_block_device", "user_data"},
		objects:  []string{"root_block_device"},
		defaults: map[string]any{"enable_monitoring": true, "delete_on_termination": true},
		required: []string{"image_id", "instance_type"}},
	"aws_autoscaling_group": {typ: "aws:autoscaling/group:Group",
		inputs: []string{"name", "launch_configuration", "min_size", "max_size", "desired_capacity", "vpc_zone_identifier",
			"availability_zones", "default_cooldown", "health_check_type", "health_check_grace_period", "service_linked_role_arn",
			"max_instance_lifetime", "metrics_granularity", "protect_from_scale_in", "placement_group", "termination_policies",
			"suspended_processes", "enabled_metrics", "tag"},
		rename:   map[string]string{"vpc_zone_identifier": "vpcZoneIdentifiers", "tag": "tags"},
		defaults: map[string]any{"health_check_grace_period": 300, "metrics_granularity": "1Minute"},
		required: []string{"min_size", "max_size"}},
	"aws_autoscaling_lifecycle_hook": {typ: "aws:autoscaling/lifecycleHook:LifecycleHook",
		inputs: []string{"name", "autoscaling_group_name", "lifecycle_transition", "default_result", "heartbeat_timeout",
			"notification_metadata", "notification_target_arn", "role_arn"}},
	"aws_route53_record": {typ: "aws:route53/record:Record",
		inputs: []string{"name", "type", "zone_id", "ttl", "records", "set_identifier", "health_check_id", "alias"},
		rename: map[string]string{"alias": "aliases"}},
}

// seedObjects converts a Terraform state's managed objects; data sources
// are not seeded.
func seedObjects(st *adopt.State) ([]standin.SeedObject, error) {
	var out []standin.SeedObject
	for _, o := range st.Objects {
		if o.Mode != adopt.ModeManaged {
			continue
		}
		t, ok := seedTypes[o.Type]
		if !ok {
			return nil, fmt.Errorf("%s: no seed conversion for %s", o.Address, o.Type)
		}
		id, _ := o.Attributes["id"].(string)
		so := standin.SeedObject{Type: t.typ, ID: id, Inputs: map[string]any{}, Outputs: map[string]any{}}
		for _, a := range t.inputs {
			v := cleanValue(o.Attributes[a], t.defaults)
			if contains(t.objects, a) {
				if l, ok := v.([]any); ok && len(l) == 1 {
					v = l[0]
				}
			}
			if v == nil || (!contains(t.required, a) && (isZeroValue(v) || reflect.DeepEqual(v, t.defaults[a]))) {
				continue
			}
			so.Inputs[t.pulumiName(a)] = v
		}
		for _, a := range t.outputs {
			if v := cleanValue(o.Attributes[a], nil); v != nil && !isZeroValue(v) {
				so.Outputs[t.pulumiName(a)] = v
			}
		}
		out = append(out, so)
	}
	return out, nil
}

func (t seedType) pulumiName(a string) string {
	if n, ok := t.rename[a]; ok {
		return n
	}
	return camel(a)
}

func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// cleanValue converts a JSON value of the state: numbers to ints where
// whole, and inside blocks camelCase keys without their defaults and zero
// values (as Read's inputs carry nested blocks).
func cleanValue(v any, defaults map[string]any) any {
	switch x := v.(type) {
	case float64:
		if x == float64(int(x)) {
			return int(x)
		}
		return x
	case []any:
		out := []any{}
		for _, e := range x {
			if c := cleanValue(e, defaults); c != nil {
				out = append(out, c)
			}
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			c := cleanValue(e, defaults)
			if d, ok := defaults[k]; ok && reflect.DeepEqual(c, d) || c == nil || isZeroValue(c) {
				continue
			}
			out[camel(k)] = c
		}
		return out
	}
	return v
}

func isZeroValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case int:
		return x == 0
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// envSetter is the adoption's ConfigSetter on an offline stack.
type envSetter struct {
	ctx context.Context
	env *offline.Env
}

func (s envSetter) Set(key, value string, secret bool) error {
	if secret {
		return s.env.Set(s.ctx, nil, map[string]string{key: value})
	}
	return s.env.Set(s.ctx, map[string]string{key: value}, nil)
}

// standinRuleIDs answers RuleIDs from the stand-in, as AWSCLIRuleIDs
// answers them from DescribeSecurityGroupRules.
func standinRuleIDs(aws *standin.Server) adopt.RuleIDs {
	return func(groupID string, r adopt.Rule) (string, error) {
		var found []string
		for _, h := range aws.SecurityGroupRules(groupID) {
			if h.Egress != (r.Direction == adopt.Egress) || h.Protocol != r.Protocol ||
				h.CidrIPv4 != r.CIDR || h.CidrIPv6 != r.IPv6CIDR || h.PrefixListID != r.PrefixListID || h.ReferencedGroupID != r.SourceGroupID {
				continue
			}
			if r.Protocol != "-1" && (h.FromPort != r.FromPort || h.ToPort != r.ToPort) {
				continue
			}
			found = append(found, h.ID)
		}
		if len(found) != 1 {
			return "", fmt.Errorf("%s: %d rules match %s: %v", groupID, len(found), r, found)
		}
		return found[0], nil
	}
}

// Resource types whose deletion (or replacement) would lose the
// installation's data or its address.
var mustStay = []string{"aws:ec2/instance:Instance", "aws:ec2/networkInterface:NetworkInterface",
	"aws:s3/bucketV2:BucketV2", "aws:sqs/queue:Queue", "aws:iam/role:Role"}

// goLanguageHost answers for the go language plugin that `pulumi import`
// loads (engine installPlugins asks the project's language host which
// packages the program needs, inline program or not) and that
// .cache/pulumi does not hold: it reports none (the stand-in serves aws
// through PULUMI_DEBUG_PROVIDERS). Up and preview of the inline program
// do not use it.
type goLanguageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
}

func (goLanguageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(offline.CLIVersion, "v")}, nil
}

func (goLanguageHost) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (goLanguageHost) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (goLanguageHost) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func serveGoLanguageHost(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer()
	pulumirpc.RegisterLanguageRuntimeServer(g, goLanguageHost{})
	go func() { _ = g.Serve(l) }()
	t.Cleanup(g.Stop)
	t.Setenv("PULUMI_DEBUG_LANGUAGES", fmt.Sprintf("go:%d", l.Addr().(*net.TCPAddr).Port))
}

func TestAdopt(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-central-1")
	serveGoLanguageHost(t)
	for _, fixture := range []string{"default", "builders-route53"} {
		t.Run(fixture, func(t *testing.T) { testAdopt(t, filepath.Join("..", "..", "adopt", "testdata", fixture)) })
	}
}

func testAdopt(t *testing.T, dir string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	env, err := offline.New(ctx, t.TempDir(), offline.Options{Stack: "adopted",
		Config: map[string]string{"aws_region": "eu-central-1"}, Standin: standin.Options{Logf: t.Logf}})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	out := &syncBuffer{}

	st, err := adopt.LoadState(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	seeds, err := seedObjects(st)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.AWS.Seed(seeds); err != nil {
		t.Fatalf("seeding the Terraform-made objects: %v", err)
	}

	// The adoption, as cmd/adopt runs it.
	vars, err := adopt.LoadTFVars(filepath.Join(dir, "terraform.tfvars"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := adopt.Plan(st, vars)
	if err != nil {
		t.Fatal(err)
	}
	if err := adopt.WriteConfig(vars, a.Extra, envSetter{ctx, env}); err != nil {
		t.Fatal(err)
	}
	t.Logf("report:\n%s", a.Report())
	file, err := a.ImportFile(standinRuleIDs(env.AWS))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "import.json")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Stack.ImportResources(ctx, optimport.ImportFile(path), optimport.GenerateCode(false),
		optimport.ProgressStreams(out), optimport.ErrorProgressStreams(out)); err != nil {
		t.Fatalf("import failed: %v\n%s", err, out)
	}

	// The first preview: no replacement, no deletion of what holds data, and
	// every change one the report announced.
	ch := make(chan events.EngineEvent)
	var steps []apitype.StepEventMetadata
	done := make(chan struct{})
	go func() {
		for e := range ch {
			if e.ResourcePreEvent != nil {
				steps = append(steps, e.ResourcePreEvent.Metadata)
			}
		}
		close(done)
	}()
	pre, err := env.Stack.Preview(ctx, optpreview.ProgressStreams(out), optpreview.ErrorProgressStreams(out),
		optpreview.Diff(), optpreview.EventStreams(ch))
	<-done
	if err != nil {
		t.Fatalf("preview after the import failed: %v\n%s", err, out)
	}
	t.Logf("preview: %v", pre.ChangeSummary)
	for _, op := range []apitype.OpType{apitype.OpReplace, apitype.OpCreateReplacement, apitype.OpDeleteReplaced} {
		if n := pre.ChangeSummary[op]; n != 0 {
			t.Errorf("the preview plans %d %s", n, op)
		}
	}
	targets := map[string]adopt.Target{}
	for _, tg := range a.Targets {
		if tg.Name != "" {
			targets[tg.Type+"::"+tg.Name] = tg
		}
	}
	created := map[string]bool{}
	for _, c := range a.Created {
		created[c.Type+"::"+c.Name] = true
	}
	var unexpected, updates []string
	for _, s := range steps {
		if s.Op == apitype.OpUpdate {
			updates = append(updates, fmt.Sprintf("%s %s %v", s.Type, s.URN[strings.LastIndex(s.URN, "::")+2:], s.Diffs))
			// The bucket's CORS moves to its own resource; the bucket's
			// update must not take it away meanwhile.
			if s.Type == "aws:s3/bucketV2:BucketV2" && slices.Contains(s.Diffs, "corsRules") {
				t.Errorf("the bucket's update changes its inline CORS rules: %v", s.Diffs)
			}
		}
		name := s.URN[strings.LastIndex(s.URN, "::")+2:]
		key := s.Type + "::" + name
		switch s.Op {
		case apitype.OpSame, apitype.OpRead:
		case apitype.OpDelete, apitype.OpReplace, apitype.OpCreateReplacement, apitype.OpDeleteReplaced:
			if contains(mustStay, s.Type) {
				t.Errorf("the preview would %s %s (%s); diff: %v", s.Op, name, s.Type, s.Diffs)
			} else {
				unexpected = append(unexpected, fmt.Sprintf("%s %s %v", s.Op, key, s.Diffs))
			}
		case apitype.OpUpdate:
			if s.Type == "pulumi:providers:aws" {
				// The import made the provider without the stack's
				// credentials; they reach it now (adopt.ImportFile).
				continue
			}
			tg, ok := targets[key]
			if !ok || !(strings.HasPrefix(tg.FirstUp, "update in place") || strings.Contains(tg.FirstUp, "next to it")) {
				unexpected = append(unexpected, fmt.Sprintf("update %s %v (report: %q)", key, s.Diffs, tg.FirstUp))
			}
		case apitype.OpCreate:
			// Components hold nothing; a replace-next-to target is created
			// next to the Terraform object it replaces.
			if !created[key] && targets[key].Action != adopt.ActionReplaceNextTo && !strings.HasPrefix(s.Type, "circleci-server:") {
				unexpected = append(unexpected, "create "+key+" (not in the report's Created)")
			}
		default:
			unexpected = append(unexpected, fmt.Sprintf("%s %s", s.Op, key))
		}
	}
	sort.Strings(updates)
	t.Logf("the first up updates in place:\n  %s", strings.Join(updates, "\n  "))
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Errorf("a step the report does not announce: %s", u)
	}
	if t.Failed() {
		t.Fatalf("preview output:\n%s", out)
	}

	res, err := env.Up(ctx, out)
	if err != nil {
		t.Fatalf("the first up after the import failed: %v\n%s", err, out)
	}
	t.Logf("first up: %v", res.Summary.ResourceChanges)
	res, err = env.Up(ctx, out)
	if err != nil {
		t.Fatalf("the second up failed: %v\n%s", err, out)
	}
	if ch := res.Summary.ResourceChanges; ch != nil {
		for op, n := range *ch {
			if op != string(apitype.OpSame) && n != 0 {
				t.Errorf("the second up made changes: %v\n%s", *ch, out)
				break
			}
		}
	}
}
