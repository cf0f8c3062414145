package standin_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/tests/standin"
)

// repoRoot finds the module root from the test's working directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/circleci-server-pulumi/installer\n") {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod of github.com/circleci-server-pulumi/installer above the working directory")
		}
		dir = parent
	}
}

type queue struct {
	pulumi.CustomResourceState
	URL pulumi.StringOutput `pulumi:"url"`
	ARN pulumi.StringOutput `pulumi:"arn"`
}

type securityGroup struct {
	pulumi.CustomResourceState
	ARN pulumi.StringOutput `pulumi:"arn"`
}

// smokeProgram registers a provider, a queue and a security group with raw
// RegisterResource calls (no pulumi-aws SDK), and reads a subnet.
func smokeProgram(ctx *pulumi.Context) error {
	var prov pulumi.ProviderResourceState
	if err := ctx.RegisterResource("pulumi:providers:aws", "aws", pulumi.Map{
		"region":      pulumi.String("eu-central-1"),
		"defaultTags": pulumi.Map{"tags": pulumi.StringMap{"owner": pulumi.String("platform-team")}},
	}, &prov, pulumi.Version(standin.Version)); err != nil {
		return err
	}
	var subnet struct {
		CidrBlock string `pulumi:"cidrBlock"`
		VPCID     string `pulumi:"vpcId"`
	}
	if err := ctx.Invoke("aws:ec2/getSubnet:getSubnet", map[string]any{"id": "subnet-0f1e2d3c4b5a69788"}, &subnet,
		pulumi.Provider(&prov)); err != nil {
		return err
	}
	var q queue
	if err := ctx.RegisterResource("aws:sqs/queue:Queue", "shutdown-queue", pulumi.Map{
		"name":                 pulumi.String("standin_smoke_queue"),
		"sqsManagedSseEnabled": pulumi.Bool(true),
	}, &q, pulumi.Provider(&prov)); err != nil {
		return err
	}
	var sg securityGroup
	if err := ctx.RegisterResource("aws:ec2/securityGroup:SecurityGroup", "services-sg", pulumi.Map{
		"name":        pulumi.String("standin_smoke_sg"),
		"description": pulumi.String("Smoke test group for " + subnet.CidrBlock),
		"vpcId":       pulumi.String(subnet.VPCID),
		"tags":        pulumi.StringMap{"Name": pulumi.String("standin_smoke_sg")},
	}, &sg, pulumi.Provider(&prov)); err != nil {
		return err
	}
	ctx.Export("queueUrl", q.URL)
	ctx.Export("queueArn", q.ARN)
	ctx.Export("sgArn", sg.ARN)
	return nil
}

// TestEngineSmoke drives the real Pulumi CLI against the stand-in:
// preview, up, a second up that changes nothing, and destroy.
func TestEngineSmoke(t *testing.T) {
	root := repoRoot(t)
	cliRoot := filepath.Join(root, ".cache", "pulumi")
	if _, err := os.Stat(filepath.Join(cliRoot, "bin", "pulumi")); err != nil {
		t.Skipf("skipping: the Pulumi CLI is not built at %s/bin/pulumi (build it first): %v", cliRoot, err)
	}
	srv, err := standin.Start(standin.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()

	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: cliRoot, SkipVersionCheck: false})
	if err != nil {
		t.Fatalf("Pulumi CLI: %v", err)
	}
	tmp := t.TempDir()
	for _, d := range []string{"state", "home", "work"} {
		if err := os.MkdirAll(filepath.Join(tmp, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{
		"PULUMI_BACKEND_URL":                          "file://" + filepath.Join(tmp, "state"),
		"PULUMI_CONFIG_PASSPHRASE":                    "x",
		"PULUMI_HOME":                                 filepath.Join(tmp, "home"),
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PULUMI_DEBUG_PROVIDERS":                      srv.DebugProviders(),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", "standin-smoke", smokeProgram,
		auto.Pulumi(cmd), auto.WorkDir(filepath.Join(tmp, "work")), auto.EnvVars(env))
	if err != nil {
		t.Fatalf("stack: %v", err)
	}

	prev, err := stack.Preview(ctx, optpreview.SuppressProgress())
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	if got := prev.ChangeSummary[apitype.OpCreate]; got != 4 { // stack, provider, queue, group
		t.Errorf("preview plans %d creates, want 4: %v", got, prev.ChangeSummary)
	}
	if inv := srv.Inventory(); len(inv) != 0 {
		t.Fatalf("preview changed the stand-in's state: %v", inv)
	}

	up, err := stack.Up(ctx, optup.SuppressProgress())
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	if got := (*up.Summary.ResourceChanges)["create"]; got != 4 {
		t.Errorf("up created %d resources, want 4: %v", got, *up.Summary.ResourceChanges)
	}
	if url := up.Outputs["queueUrl"].Value; url != "https://sqs.eu-central-1.amazonaws.com/123456789012/standin_smoke_queue" {
		t.Errorf("queueUrl = %v", url)
	}
	if arn, _ := up.Outputs["sgArn"].Value.(string); !strings.HasPrefix(arn, "arn:aws:ec2:eu-central-1:123456789012:security-group/sg-") {
		t.Errorf("sgArn = %v", arn)
	}
	inv := srv.Inventory()
	if len(inv) != 2 {
		t.Fatalf("inventory after up: %v", inv)
	}
	for _, r := range inv {
		if r.Type == "aws:ec2/securityGroup:SecurityGroup" {
			tags, _ := r.Properties["tagsAll"].(map[string]any)
			if tags["owner"] != "platform-team" || tags["Name"] != "standin_smoke_sg" {
				t.Errorf("security group tagsAll = %v, want the provider's default tags merged in", tags)
			}
		}
	}

	again, err := stack.Up(ctx, optup.SuppressProgress())
	if err != nil {
		t.Fatalf("second up: %v", err)
	}
	for op, n := range *again.Summary.ResourceChanges {
		if op != "same" && n > 0 {
			t.Errorf("second up is not a no-op: %v", *again.Summary.ResourceChanges)
		}
	}

	if _, err := stack.Destroy(ctx, optdestroy.SuppressProgress()); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if inv := srv.Inventory(); len(inv) != 0 {
		t.Errorf("inventory after destroy: %v", inv)
	}
	var ops []string
	for _, o := range srv.Operations() {
		if !o.Preview {
			ops = append(ops, o.Op+" "+o.Name)
		}
	}
	sort.Strings(ops)
	if got, want := strings.Join(ops, "|"), "create services-sg|create shutdown-queue|delete services-sg|delete shutdown-queue"; got != want {
		t.Errorf("operations = %s, want %s", got, want)
	}
}
