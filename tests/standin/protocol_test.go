package standin_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/circleci-server-pulumi/installer/tests/standin"
)

func TestPluginInfoAndConfigure(t *testing.T) {
	h := newHarness(t, "")
	info, err := h.rp.GetPluginInfo(context.Background(), &emptypb.Empty{})
	if err != nil || info.Version != "6.83.4" {
		t.Fatalf("GetPluginInfo = %v, %v; want 6.83.4", info, err)
	}
	// Nothing works before Configure.
	_, _, err = h.check(tQueue, "q", map[string]any{"name": "q"})
	wantErr(t, err, "not configured")

	for _, tc := range []struct{ region, err string }{
		{"", "Missing region information"},
		{"Frankfurt", "invalid AWS Region: Frankfurt"},
	} {
		_, err := h.rp.Configure(context.Background(), &pulumirpc.ConfigureRequest{
			Args: mustMarshal(t, toPM(map[string]any{"region": tc.region})),
		})
		wantErr(t, err, tc.err)
	}
	// The legacy variables carry the region too.
	resp, err := h.rp.Configure(context.Background(), &pulumirpc.ConfigureRequest{
		//lint:ignore SA1019 the legacy path the stand-in still serves
		Variables: map[string]string{"aws:config:region": "eu-west-1"},
	})
	if err != nil || !resp.AcceptSecrets || !resp.SupportsPreview || !resp.AcceptResources {
		t.Fatalf("Configure = %v, %v", resp, err)
	}
	q := h.up(tQueue, "q", map[string]any{"name": "q"})
	if got := q.str("arn"); got != "arn:aws:sqs:eu-west-1:123456789012:q" {
		t.Errorf("arn = %s", got)
	}
}

func TestDiffConfig(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	diff := func(olds, news map[string]any) *pulumirpc.DiffResponse {
		resp, err := h.rp.DiffConfig(context.Background(), &pulumirpc.DiffRequest{
			Urn: urnOf("pulumi:providers:aws", "aws"), OldInputs: mustMarshal(t, toPM(olds)), News: mustMarshal(t, toPM(news)),
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	same := diff(map[string]any{"region": "eu-central-1", "version": "6.83.3"}, map[string]any{"region": "eu-central-1", "version": "6.83.4"})
	if same.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("version bump: %v", same)
	}
	moved := diff(map[string]any{"region": "eu-central-1"}, map[string]any{"region": "eu-west-1"})
	if moved.Changes != pulumirpc.DiffResponse_DIFF_SOME || len(moved.Replaces) != 1 || moved.Replaces[0] != "region" {
		t.Errorf("region change: %v", moved)
	}
}

func TestUnknownTokensFailLoudly(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	_, _, err := h.check("aws:ec2/vpc:Vpc", "vpc", map[string]any{"cidrBlock": "10.0.0.0/16"})
	wantErr(t, err, `"aws:ec2/vpc:Vpc"`, "does not implement")
	_, err = h.rp.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urnOf("aws:rds/instance:Instance", "db"), Properties: mustMarshal(t, resource.PropertyMap{}),
	})
	wantErr(t, err, `"aws:rds/instance:Instance"`)
	_, err = h.invoke("aws:ec2/getVpcs:getVpcs", nil)
	wantErr(t, err, `"aws:ec2/getVpcs:getVpcs"`, "does not implement")
}

func TestPreviewReturnsUnknownsAndChangesNothing(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	ins := h.checked(tSG, "sg", map[string]any{"name": "circleci_sg", "vpcId": vpcID})
	resp, err := h.rp.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urnOf(tSG, "sg"), Properties: mustMarshal(t, ins), Preview: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	outs := mustUnmarshal(t, resp.Properties)
	if resp.Id != "" || !outs["arn"].IsComputed() || outs["name"].StringValue() != "circleci_sg" {
		t.Errorf("preview create: id %q, outputs %v", resp.Id, outs)
	}
	if inv := h.srv.Inventory(); len(inv) != 0 {
		t.Fatalf("preview created %v", inv)
	}
	ops := h.srv.Operations()
	if len(ops) != 1 || !ops[0].Preview || ops[0].Op != "create" {
		t.Errorf("operations %v", ops)
	}

	// Unknown inputs (another resource's outputs) are fine in preview.
	ins = h.checked(tIngress, "rule", map[string]any{
		"securityGroupId": unknownV, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "10.0.0.0/16",
	})
	if !ins["securityGroupId"].IsComputed() {
		t.Errorf("check lost the unknown: %v", ins)
	}
	if _, err := h.rp.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urnOf(tIngress, "rule"), Properties: mustMarshal(t, ins), Preview: true,
	}); err != nil {
		t.Fatal(err)
	}

	// A preview of an update changes nothing either.
	h.up(tParam, "p", map[string]any{"name": "/circleci/x", "type": "SecureString", "value": secretV{"a"}})
	outs, err = h.update("p", map[string]any{"name": "/circleci/x", "type": "SecureString", "value": secretV{"b"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	if !outs["version"].IsComputed() {
		t.Errorf("preview of a value change should not know the version: %v", outs["version"])
	}
	if v := h.srv.Find(tParam)[0].Properties["value"]; v != "a" {
		t.Errorf("preview changed the parameter to %v", v)
	}
}

func TestSecretsStaySecret(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	p := h.up(tParam, "passphrase", map[string]any{
		"name": "/circleci/circle_secret_passphrase", "type": "SecureString", "value": secretV{"hunter2"},
	})
	if !p.outputs["value"].IsSecret() {
		t.Errorf("value output is not secret: %v", p.outputs["value"])
	}
	if p.str("arn") != "arn:aws:ssm:eu-central-1:123456789012:parameter/circleci/circle_secret_passphrase" {
		t.Errorf("arn = %s", p.str("arn"))
	}
	inv := h.srv.Find(tParam)
	if len(inv) != 1 || len(inv[0].Secrets) != 1 || inv[0].Secrets[0] != "value" || inv[0].Properties["value"] != "hunter2" {
		t.Errorf("inventory %+v", inv)
	}
	// A changed secret is an update, and bumps the version.
	d := h.diff("passphrase", map[string]any{"name": "/circleci/circle_secret_passphrase", "type": "SecureString", "value": secretV{"hunter3"}})
	if d.Changes != pulumirpc.DiffResponse_DIFF_SOME || len(d.Replaces) != 0 {
		t.Errorf("diff %v", d)
	}
	outs, err := h.update("passphrase", map[string]any{"name": "/circleci/circle_secret_passphrase", "type": "SecureString", "value": secretV{"hunter3"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if v := outs["version"]; !v.IsNumber() || v.NumberValue() != 2 || !outs["value"].IsSecret() {
		t.Errorf("after update: %v", outs)
	}
}

func TestSecondUpIsNoOp(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	props := map[string]any{"name": "circleci_shutdown_queue", "sqsManagedSseEnabled": true, "tags": map[string]any{"a": "b"}}
	h.up(tQueue, "queue", props)
	if d := h.diff("queue", props); d.Changes != pulumirpc.DiffResponse_DIFF_NONE || len(d.Diffs) != 0 {
		t.Errorf("unchanged inputs diff as %v", d)
	}
	// Ignored properties never show, even when they change.
	props["visibilityTimeoutSeconds"] = 60
	if d := h.diff("queue", props, "visibilityTimeoutSeconds"); d.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("ignored change diffs as %v", d)
	}
	if d := h.diff("queue", props); d.Changes != pulumirpc.DiffResponse_DIFF_SOME || d.Diffs[0] != "visibilityTimeoutSeconds" {
		t.Errorf("change diffs as %v", d)
	}
}

func TestOperationsAndInventory(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	h.up(tQueue, "q1", map[string]any{"name": "q1"})
	d := h.diff("q1", map[string]any{"name": "q1-renamed"})
	if len(d.Replaces) != 1 || !d.DeleteBeforeReplace {
		t.Fatalf("rename of an explicitly named queue: %v", d)
	}
	if err := h.delete("q1"); err != nil {
		t.Fatal(err)
	}
	h.up(tQueue, "q1", map[string]any{"name": "q1-renamed"})
	var got []standin.Operation
	for _, o := range h.srv.Operations() {
		got = append(got, standin.Operation{Op: o.Op, Name: o.Name})
	}
	want := []standin.Operation{{Op: "create", Name: "q1"}, {Op: "delete", Name: "q1"}, {Op: "replace", Name: "q1"}}
	if len(got) != len(want) {
		t.Fatalf("operations %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("operation %d = %v, want %v", i, got[i], want[i])
		}
	}
	inv := h.srv.Inventory()
	if len(inv) != 1 || inv[0].Properties["name"] != "q1-renamed" || inv[0].ID != "https://sqs.eu-central-1.amazonaws.com/123456789012/q1-renamed" {
		t.Errorf("inventory %v", inv)
	}
	h.srv.Reset()
	if len(h.srv.Inventory()) != 0 || len(h.srv.Operations()) != 0 {
		t.Error("Reset kept state")
	}
}

func TestAutonaming(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	q := h.up(tQueue, "builders-queue", map[string]any{})
	name := q.str("name")
	if len(name) != len("builders-queue-")+7 || name[:15] != "builders-queue-" {
		t.Errorf("autoname = %s", name)
	}
	// An autonamed resource is replaced create-first; the name is kept across checks.
	d := h.diff("builders-queue", map[string]any{"fifoQueue": false, "delaySeconds": 5})
	if d.Changes != pulumirpc.DiffResponse_DIFF_SOME || len(d.Replaces) != 0 {
		t.Errorf("diff %v", d)
	}
}
