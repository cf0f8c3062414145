// Package e2e drives the installer through the real Pulumi CLI and engine,
// offline, on copies of the committed Pulumi.yaml and Pulumi.dev.yaml:
// preview, up, update, destroy, with the AWS stand-in of tests/standin.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/circleci-server-pulumi/installer/components"
	"github.com/circleci-server-pulumi/installer/config"
	"github.com/circleci-server-pulumi/installer/internal/offline"
	"github.com/circleci-server-pulumi/installer/tests/standin"
)

// passphrase is circle_secret_passphrase of Pulumi.dev.yaml (encrypted there).
const passphrase = "Dev2x7gQm4Lr9VtKpW3s"

func TestMain(m *testing.M) {
	repo, err := offline.RepoRoot()
	if err == nil {
		if _, err = os.Stat(filepath.Join(offline.CLIRoot(repo), "bin", "pulumi")); err != nil {
			if os.Getenv("CI") != "" {
				panic("the Pulumi CLI is not built; .ci/run builds it through scripts/test.sh")
			}
			os.Stderr.WriteString("e2e: skipped: the Pulumi CLI is not built in .cache/pulumi (./scripts/test.sh builds it)\n")
			os.Exit(0)
		}
	}
	os.Exit(m.Run())
}

// syncBuffer collects the engine's output from its goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// stack is one offline stack with its engine output collected.
type stack struct {
	*offline.Env
	t   *testing.T
	ctx context.Context
	out *syncBuffer
}

func newStack(t *testing.T, config map[string]string) *stack {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	env, err := offline.New(ctx, t.TempDir(), offline.Options{Stack: "dev", Config: config, Standin: standin.Options{Logf: t.Logf}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	return &stack{Env: env, t: t, ctx: ctx, out: &syncBuffer{}}
}

func (s *stack) up() map[string]any {
	s.t.Helper()
	res, err := s.Up(s.ctx, s.out)
	if err != nil {
		s.t.Fatalf("up failed: %v\n%s", err, s.out)
	}
	outs := map[string]any{}
	for k, v := range res.Outputs {
		outs[k] = v.Value
	}
	return outs
}

func (s *stack) set(config map[string]string) {
	s.t.Helper()
	if err := s.Set(s.ctx, config, nil); err != nil {
		s.t.Fatal(err)
	}
}

// changed runs up and returns the operations it made, by resource name.
func (s *stack) changed() map[string][]string {
	s.t.Helper()
	before := len(s.AWS.Operations())
	s.up()
	ops := map[string][]string{}
	for _, op := range s.AWS.Operations()[before:] {
		if !op.Preview {
			ops[op.Name] = append(ops[op.Name], op.Op)
		}
	}
	return ops
}

func (s *stack) inventory(typ string) []standin.Resource {
	return s.AWS.Find(typ)
}

func TestDev_PreviewUpNoopDestroy(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil)

	pre, err := s.Preview(s.ctx, s.out)
	if err != nil {
		t.Fatalf("preview failed: %v\n%s", err, s.out)
	}
	if pre.ChangeSummary[apitype.OpCreate] < 40 {
		t.Errorf("preview plans %v; want the whole installation created", pre.ChangeSummary)
	}
	if n := len(s.AWS.Inventory()); n != 0 {
		t.Fatalf("preview created %d objects", n)
	}

	outs := s.up()
	ip, _ := outs["services_public_ip"].(string)
	if !strings.HasPrefix(ip, "198.51.100.") {
		t.Fatalf("services_public_ip = %q, want the Elastic IP", ip)
	}
	for k, want := range map[string]string{
		"install_url":            "http://" + ip + "/",
		"admin_console_url":      "http://" + ip + ":8800",
		"ssh_services":           "ssh ubuntu@" + ip,
		"bucket_name":            "circleci-bucket-0a1b2c3d4e5f67890",
		"shutdown_queue_url":     "https://sqs.eu-central-1.amazonaws.com/123456789012/circleci_shutdown_queue",
		"nomad_clients_asg_name": "circleci_nomad_clients_asg",
	} {
		if outs[k] != want {
			t.Errorf("output %s = %v, want %v", k, outs[k], want)
		}
	}
	if msg, _ := outs["success_message"].(string); !strings.Contains(msg, "http://"+ip+":8800") {
		t.Errorf("success_message = %q", msg)
	}
	groupID := map[string]string{}
	for _, g := range s.inventory("aws:ec2/securityGroup:SecurityGroup") {
		groupID[g.Properties["name"].(string)] = g.ID
	}
	// Which groups each machine gets is components.Attachments.
	nameOf := map[components.GroupKey]string{}
	groups, _ := components.SecurityGroupPlan(components.SecurityGroupsArgs{Names: (&config.Config{Prefix: "circleci"}).Names(), EnableNomad: true})
	for _, g := range groups {
		nameOf[g.Key] = g.Name
	}
	named := func(keys ...components.GroupKey) []string {
		var out []string
		for _, k := range keys {
			out = append(out, nameOf[k])
		}
		return out
	}
	for out, names := range map[string][]string{
		"vm_security_group_id":        named(components.Attachments.VM),
		"services_security_group_ids": named(components.Attachments.ServicesBox...),
		"nomad_security_group_ids":    named(components.Attachments.NomadClients...),
	} {
		var want []string
		for _, n := range names {
			want = append(want, groupID[n])
		}
		if got := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(outs[out])), " "), "[]"); got != strings.Join(want, " ") {
			t.Errorf("output %s = %v, want the ids of %v: %v", out, outs[out], names, want)
		}
	}

	if ops := s.changed(); len(ops) != 0 {
		t.Errorf("a second up changed %v; want nothing", ops)
	}

	s.teardown()
}

func TestUpdate_NomadVersionRollsOnlyTheClients(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil)
	before := s.up()

	s.set(map[string]string{"nomad_version": "0.9.4", "nomad_client_ami": "ami-0123456789abcdef0"})
	ops := s.changed()
	want := map[string][]string{
		"nomad-clients-launch-template": {"update"},
		"nomad-clients-asg":             {"update", "instance-refresh"},
	}
	for name, w := range want {
		if strings.Join(ops[name], ",") != strings.Join(w, ",") {
			t.Errorf("%s: operations %v, want %v", name, ops[name], w)
		}
	}
	for name := range ops {
		if _, expected := want[name]; !expected {
			t.Errorf("%s changed (%v); only the Nomad launch template and group may", name, ops[name])
		}
	}
	lt := s.inventory("aws:ec2/launchTemplate:LaunchTemplate")
	if len(lt) != 1 || lt[0].Properties["latestVersion"] != float64(2) {
		t.Errorf("launch template after the update: %+v; want version 2", lt)
	}
	group := s.inventory("aws:autoscaling/group:Group")[0]
	if v := group.Properties["launchTemplate"].(map[string]any)["version"]; v != "2" {
		t.Errorf("the group launches version %v, want 2", v)
	}
	after := s.up()
	for _, k := range []string{"services_private_ip", "services_public_ip", "bucket_name", "shutdown_queue_url"} {
		if before[k] != after[k] {
			t.Errorf("%s changed from %v to %v", k, before[k], after[k])
		}
	}
}

func TestPartitions_EveryARNInTheRightPartition(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ region, gov, partition string }{
		{"us-gov-west-1", "true", "aws-us-gov"},
		{"cn-north-1", "false", "aws-cn"},
	} {
		t.Run(c.region, func(t *testing.T) {
			t.Parallel()
			s := newStack(t, map[string]string{"aws_region": c.region, "enable_govcloud": c.gov, "desired_builders_count": "1"})
			s.up()
			arns := s.AWS.ARNs()
			for _, must := range []string{":role/circleci_role", ":circleci_shutdown_queue", ":parameter/circleci/circle_secret_passphrase", ":s3:::circleci-bucket-"} {
				found := false
				for _, a := range arns {
					found = found || strings.Contains(a, must)
				}
				if !found {
					t.Errorf("the stand-in saw no ARN with %q; saw %v", must, arns)
				}
			}
			for _, a := range arns {
				if !strings.HasPrefix(a, "arn:"+c.partition+":") {
					t.Errorf("ARN outside %s: %s", c.partition, a)
				}
			}
		})
	}
}

func TestLegacyBuildersAndRoute53(t *testing.T) {
	t.Parallel()
	s := newStack(t, map[string]string{
		"desired_builders_count": "1", "enable_route": "1",
		"route_name": "circleci.example.com", "route_zone_id": "Z0123456789ABCDEFGHIJ",
	})
	outs := s.up()
	if outs["builders_asg_name"] != "circleci_builders_asg" {
		t.Errorf("builders_asg_name = %v", outs["builders_asg_name"])
	}
	var shutdown []standin.Resource
	for _, h := range s.inventory("aws:autoscaling/lifecycleHook:LifecycleHook") {
		if h.Properties["autoscalingGroupName"] == "circleci_builders_asg" {
			shutdown = append(shutdown, h)
		}
	}
	if len(shutdown) != 1 || !strings.HasSuffix(shutdown[0].Properties["notificationTargetArn"].(string), ":circleci_shutdown_queue") {
		t.Errorf("the builders' lifecycle hook is not wired to the shutdown queue: %+v", shutdown)
	}
	records := s.inventory("aws:route53/record:Record")
	if len(records) != 1 || records[0].Properties["records"].([]any)[0] != outs["services_public_ip"] {
		t.Errorf("DNS record does not name the services box's address: %+v", records)
	}
	s.teardown()
}

// Whatever EC2 termination protection says, `pulumi destroy` refuses and
// deletes nothing until services_allow_replacement is set and applied, as
// the README's teardown runbook says.
func TestTeardown_RefusedUntilAllowed(t *testing.T) {
	t.Parallel()
	for _, protection := range []string{"true", "false"} {
		t.Run("termination protection "+protection, func(t *testing.T) {
			t.Parallel()
			s := newStack(t, map[string]string{"services_disable_api_termination": protection})
			s.up()
			count := len(s.AWS.Inventory())
			_, err := s.Destroy(s.ctx, s.out)
			if err == nil {
				t.Fatal("destroy of a protected installation succeeded")
			}
			t.Logf("destroy refused: %v", err)
			if !strings.Contains(err.Error()+s.out.String(), "services_allow_replacement") {
				t.Errorf("destroy failed without naming services_allow_replacement:\n%v\n%s", err, s.out)
			}
			if n := len(s.AWS.Inventory()); n != count {
				t.Errorf("the failed destroy deleted %d objects; it must refuse before deleting anything", count-n)
			}
			s.teardown()
		})
	}
}

// teardown follows the README's runbook: drain the clients, allow the
// services box to go, pulumi destroy; nothing may be left.
func (s *stack) teardown() {
	s.t.Helper()
	n := len(s.AWS.GroupEvents(nomadGroup))
	s.set(map[string]string{"desired_clients_count": "0"})
	s.up()
	drainedBeforeTerminated(s.t, s.AWS.GroupEvents(nomadGroup)[n:])
	s.set(map[string]string{"services_allow_replacement": "true"})
	s.up()
	if _, err := s.Destroy(s.ctx, s.out); err != nil {
		s.t.Fatalf("destroy after the runbook failed: %v\n%s", err, s.out)
	}
	if left := s.AWS.Inventory(); len(left) != 0 {
		s.t.Errorf("destroy left %d objects: %v", len(left), left)
	}
}

func TestBadConfig_PreviewFailsBeforeAnyCreate(t *testing.T) {
	t.Parallel()
	s := newStack(t, map[string]string{"prefix": "Circle CI", "desired_clients_count": "5"})
	_, err := s.Preview(s.ctx, s.out)
	if err == nil {
		t.Fatal("preview of a bad configuration succeeded")
	}
	text := err.Error() + s.out.String()
	for _, want := range []string{"invalid stack configuration", "prefix", "desired_clients_count", "max_clients_count"} {
		if !strings.Contains(text, want) {
			t.Errorf("preview error lacks %q:\n%s", want, text)
		}
	}
	if ops := s.AWS.Operations(); len(ops) != 0 {
		t.Errorf("the stand-in saw %d operations: %v", len(ops), ops)
	}
}

func TestSecrets_PassphraseNeverInStateOrOutput(t *testing.T) {
	t.Parallel()
	s := newStack(t, map[string]string{"desired_builders_count": "1"})
	if _, err := s.Preview(s.ctx, s.out); err != nil {
		t.Fatal(err)
	}
	s.up()
	path, err := s.StateFile()
	if err != nil {
		t.Fatal(err)
	}
	state, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(state) < 10000 {
		t.Fatalf("state file %s is suspiciously small (%d bytes)", path, len(state))
	}
	if bytes.Contains(state, []byte(passphrase)) {
		t.Errorf("the passphrase is in plaintext in the state file %s", path)
	}
	if strings.Contains(s.out.String(), passphrase) {
		t.Error("the passphrase is in the preview/up output")
	}
	// The stand-in did receive it, encrypted in transit as a secret, for the parameter.
	params := s.inventory("aws:ssm/parameter:Parameter")
	if len(params) != 1 || params[0].Properties["value"] != passphrase {
		t.Fatalf("SSM parameter does not hold the passphrase: %+v", params)
	}
}
