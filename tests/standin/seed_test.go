package standin_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/circleci-server-pulumi/installer/tests/standin"
)

const tLC = "aws:ec2/launchConfiguration:LaunchConfiguration"

// read is the provider's Read of an object by id, as `pulumi import` asks
// for it (no inputs, no state): its id ("" when it does not exist), its
// outputs and its inputs.
func (h *harness) read(typ, id string) (string, resource.PropertyMap, resource.PropertyMap) {
	h.t.Helper()
	resp, err := h.rp.Read(context.Background(), &pulumirpc.ReadRequest{Id: id, Urn: urnOf(typ, "imported"), Type: typ})
	if err != nil {
		h.t.Fatalf("read %s %s: %v", typ, id, err)
	}
	if resp.Id == "" {
		return "", nil, nil
	}
	return resp.Id, mustUnmarshal(h.t, resp.Properties), mustUnmarshal(h.t, resp.Inputs)
}

// adopt imports an object under a name, as `pulumi import` records it: the
// inputs and outputs Read returned. The harness can then diff, update and
// delete it as the program's.
func (h *harness) adopt(typ, name, id string) *live {
	h.t.Helper()
	rid, outs, ins := h.read(typ, id)
	if rid == "" {
		h.t.Fatalf("read %s %s: it does not exist", typ, id)
	}
	l := &live{typ: typ, urn: urnOf(typ, name), id: rid, inputs: ins, outputs: outs}
	h.res[name] = l
	return l
}

// sha1hex is what the provider's Read reports as user_data (userDataHashSum).
func sha1hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// The ids of a Terraform-made installation (anchor-parity.md, objects 2-21)
// in eu-central-1.
const (
	tfRegion     = "eu-central-1"
	tfQueueURL   = "https://sqs.eu-central-1.amazonaws.com/" + standin.Account + "/circleci_shutdown_queue"
	tfQueueARN   = "arn:aws:sqs:eu-central-1:" + standin.Account + ":circleci_shutdown_queue"
	tfBucket     = "circleci-bucket-0a1b2c3d4e5f67890"
	tfBuildersSG = "sg-0b0000000000000b1"
	tfServicesSG = "sg-0b0000000000000b2"
	tfUsersSG    = "sg-0b0000000000000b3"
	tfNomadSG    = "sg-0b0000000000000b4"
	tfSSHSG      = "sg-0b0000000000000b5"
	tfInstance   = "i-0aaaaaaaaaaaaaaa1"
	tfNomadLC    = "circleci_nomad_clients-20190701120000123400000001"
	tfBuilderLC  = "circleci_builders-20190701120000123400000002"
	tfNomadASG   = "circleci_nomad_clients_asg"
	tfBuilderASG = "circleci_builders_asg"
	tfHook       = "circleci_builders_shutdown_hook"
	tfQueueRole  = "circleci_shutdown_queue_role"
)

var tfUserData = sha1hex("#!/bin/bash\necho services\n")

func allTraffic(peer map[string]any) map[string]any {
	r := map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0}
	for k, v := range peer {
		r[k] = v
	}
	return r
}

func tcp(from, to int, peer map[string]any) map[string]any {
	r := map[string]any{"protocol": "tcp", "fromPort": from, "toPort": to}
	for k, v := range peer {
		r[k] = v
	}
	return r
}

var anywhere = map[string]any{"cidrBlocks": []any{"0.0.0.0/0"}}

func sgSeed(id, name string, ingress, egress []any) standin.SeedObject {
	ins := map[string]any{"name": name, "description": name, "vpcId": vpcID}
	if len(ingress) > 0 {
		ins["ingress"] = ingress
	}
	if len(egress) > 0 {
		ins["egress"] = egress
	}
	return standin.SeedObject{Type: tSG, ID: id, Inputs: ins}
}

// terraformInstallation is what CircleCI's Terraform installer leaves, as
// pulumi-aws's Read reports it on an import.
func terraformInstallation() []standin.SeedObject {
	roleARN := "arn:aws:iam::" + standin.Account + ":role/" + tfQueueRole
	return []standin.SeedObject{
		{Type: tQueue, ID: tfQueueURL, Inputs: map[string]any{"name": "circleci_shutdown_queue"}},
		{Type: tRole, ID: tfQueueRole, Inputs: map[string]any{"name": tfQueueRole,
			"assumeRolePolicy": trustPolicy("autoscaling.amazonaws.com")}},
		{Type: tPolicy, ID: tfQueueRole + ":" + tfQueueRole, Inputs: map[string]any{"name": tfQueueRole,
			"role": tfQueueRole, "policy": allowPolicy("sqs:SendMessage", tfQueueARN)}},
		{Type: tRole, ID: "circleci_role", Inputs: map[string]any{"name": "circleci_role",
			"assumeRolePolicy": trustPolicy("ec2.amazonaws.com")}},
		{Type: tProfile, ID: "circleci_profile", Inputs: map[string]any{"name": "circleci_profile", "role": "circleci_role"}},
		{Type: tBucket, ID: tfBucket, Inputs: map[string]any{"bucket": tfBucket,
			"corsRules": []any{map[string]any{"allowedMethods": []any{"GET"}, "allowedOrigins": []any{"*"}, "maxAgeSeconds": 3600}}}},
		sgSeed(tfBuildersSG, "circleci_builders_sg",
			[]any{allTraffic(map[string]any{"self": true})}, []any{allTraffic(anywhere)}),
		sgSeed(tfServicesSG, "circleci_services_sg",
			[]any{allTraffic(map[string]any{"securityGroups": []any{tfBuildersSG}})}, []any{allTraffic(anywhere)}),
		sgSeed(tfUsersSG, "circleci_users_sg", []any{
			tcp(22, 22, anywhere), tcp(80, 80, anywhere), tcp(443, 443, anywhere), tcp(8800, 8800, anywhere),
			tcp(64535, 65535, anywhere), tcp(4647, 4647, map[string]any{"cidrBlocks": []any{"10.0.1.0/24"}}),
		}, nil),
		sgSeed(tfNomadSG, "circleci_nomad_sg", []any{
			tcp(4646, 4648, map[string]any{"cidrBlocks": []any{"10.0.1.0/24"}}), tcp(64535, 65535, anywhere),
		}, []any{allTraffic(anywhere)}),
		// Its rules given as state only: Read reports them as inputs too.
		{Type: tSG, ID: tfSSHSG, Inputs: map[string]any{"name": "circleci_ssh_sg", "description": "circleci_ssh_sg", "vpcId": vpcID},
			Outputs: map[string]any{"ingress": []any{tcp(22, 22, anywhere)}, "egress": []any{allTraffic(anywhere)}}},
		{Type: tInstance, ID: tfInstance, Inputs: map[string]any{
			"ami": ami, "instanceType": "m5.2xlarge", "subnetId": subnetID, "keyName": "circleci-admin",
			"vpcSecurityGroupIds": []any{tfServicesSG, tfUsersSG}, "iamInstanceProfile": "circleci_profile",
			"disableApiTermination": true, "userData": tfUserData, "tags": map[string]any{"Name": "circleci_services"},
			"rootBlockDevice": map[string]any{"volumeSize": 150, "volumeType": "gp2", "iops": 450, "deleteOnTermination": false},
		}},
		{Type: tLC, ID: tfNomadLC, Inputs: map[string]any{
			"name": tfNomadLC, "namePrefix": "circleci_nomad_clients-", "imageId": ami, "instanceType": "m5.2xlarge",
			"keyName": "circleci-admin", "securityGroups": []any{tfNomadSG, tfSSHSG}, "userData": sha1hex("nomad"),
			"rootBlockDevice": map[string]any{"volumeSize": 200, "volumeType": "gp2"},
		}},
		{Type: tLC, ID: tfBuilderLC, Inputs: map[string]any{
			"name": tfBuilderLC, "namePrefix": "circleci_builders-", "imageId": ami, "instanceType": "r5.2xlarge",
			"keyName": "circleci-admin", "iamInstanceProfile": "circleci_profile",
			"securityGroups": []any{tfBuildersSG, tfUsersSG}, "userData": sha1hex("builder"),
		}},
		{Type: tGroup, ID: tfNomadASG, Inputs: map[string]any{
			"name": tfNomadASG, "minSize": 0, "maxSize": 2, "desiredCapacity": 1, "launchConfiguration": tfNomadLC,
			"vpcZoneIdentifiers": []any{subnetID},
			"tags":               []any{map[string]any{"key": "Name", "value": "circleci-nomad-client", "propagateAtLaunch": true}},
		}},
		{Type: tGroup, ID: tfBuilderASG, Inputs: map[string]any{
			"name": tfBuilderASG, "minSize": 0, "maxSize": 2, "launchConfiguration": tfBuilderLC,
			"vpcZoneIdentifiers": []any{subnetID},
		}},
		{Type: tHook, ID: tfHook, Inputs: map[string]any{
			"name": tfHook, "autoscalingGroupName": tfBuilderASG, "lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
			"notificationTargetArn": tfQueueARN, "roleArn": roleARN,
		}},
	}
}

func seeded(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, tfRegion)
	if err := h.srv.Seed(terraformInstallation()); err != nil {
		t.Fatal(err)
	}
	return h
}

func pstr(m resource.PropertyMap, path ...string) string {
	v := resource.NewObjectProperty(m)
	for _, p := range path {
		if !v.IsObject() {
			return ""
		}
		v = v.ObjectValue()[resource.PropertyKey(p)]
	}
	if v.IsString() {
		return v.StringValue()
	}
	return fmt.Sprint(fromPV(v))
}

func TestSeed_TerraformInstallationReadsBack(t *testing.T) {
	h := seeded(t)
	for _, o := range terraformInstallation() {
		id, outs, ins := h.read(o.Type, o.ID)
		if id != o.ID {
			t.Fatalf("read %s %s: id %q", o.Type, o.ID, id)
		}
		// Source: extractSchemaInputs: an import's inputs have an empty
		// __defaults, so nothing counts as defaulted at the next Check.
		if got := fmt.Sprint(fromPV(ins["__defaults"])); got != "[]" {
			t.Errorf("%s %s: __defaults %s, want []", o.Type, o.ID, got)
		}
		for k, v := range o.Inputs {
			if got, want := fmt.Sprint(fromPV(ins[resource.PropertyKey(k)])), fmt.Sprint(fromPV(toPV(v))); got != want {
				t.Errorf("%s %s: input %s = %s, want %s", o.Type, o.ID, k, got, want)
			}
			if !outs.HasValue(resource.PropertyKey(k)) {
				t.Errorf("%s %s: output %s missing", o.Type, o.ID, k)
			}
		}
	}
	if id, _, _ := h.read(tInstance, "i-0fffffffffffffff9"); id != "" {
		t.Errorf("read of an instance nobody seeded found %s", id)
	}

	t.Run("instance", func(t *testing.T) {
		_, outs, ins := h.read(tInstance, tfInstance)
		if ins.HasValue("networkInterfaces") || outs.HasValue("networkInterfaces") {
			t.Errorf("networkInterfaces %v: Read reports none on an import", fromPV(outs["networkInterfaces"]))
		}
		ip := pstr(ins, "privateIp")
		if !strings.HasPrefix(ip, "10.0.1.") || pstr(outs, "privateIp") != ip {
			t.Errorf("privateIp input %q output %q, want one address of %s in both", ip, pstr(outs, "privateIp"), subnetID)
		}
		for k, want := range map[string]string{
			"availabilityZone": tfRegion + "a", "associatePublicIpAddress": "true", "tenancy": "default",
			"rootBlockDevice": "map[deleteOnTermination:false iops:450 volumeSize:150 volumeType:gp2]",
		} {
			if got := pstr(ins, k); got != want {
				t.Errorf("input %s = %s, want %s (Read reports it)", k, got, want)
			}
		}
		if pub := pstr(outs, "publicIp"); !strings.HasPrefix(pub, "192.0.2.") || pstr(outs, "publicDns") == "" {
			t.Errorf("publicIp %q publicDns %q: the subnet maps public addresses", pub, pstr(outs, "publicDns"))
		}
		if v := pstr(outs, "rootBlockDevice", "volumeId"); !strings.HasPrefix(v, "vol-") {
			t.Errorf("rootBlockDevice.volumeId %q", v)
		}

		eni := pstr(outs, "primaryNetworkInterfaceId")
		id, eouts, eins := h.read(tENI, eni)
		if id != eni || !strings.HasPrefix(eni, "eni-") {
			t.Fatalf("primary network interface %q: Read found %q", eni, id)
		}
		for k, want := range map[string]string{
			"subnetId": subnetID, "privateIp": ip, "securityGroups": fmt.Sprint([]any{tfServicesSG, tfUsersSG}),
			"interfaceType": "interface",
		} {
			if got := pstr(eins, k); got != want {
				t.Errorf("interface input %s = %s, want %s", k, got, want)
			}
		}
		if pstr(eouts, "sourceDestCheck") != "true" || !strings.HasPrefix(pstr(eouts, "arn"), "arn:aws:ec2:"+tfRegion) {
			t.Errorf("interface outputs %v", fromPM(eouts))
		}
		atts, _ := fromPV(eins["attachments"]).([]any)
		if len(atts) != 1 {
			t.Fatalf("interface attachments %v", atts)
		}
		a := atts[0].(map[string]any)
		if a["instance"] != tfInstance || a["deviceIndex"] != 0.0 || !strings.HasPrefix(fmt.Sprint(a["attachmentId"]), "eni-attach-") {
			t.Errorf("attachment %v, want the instance at device index 0", a)
		}

		// The address is the subnet's: a new interface gets another.
		l := h.up(tENI, "next", map[string]any{"subnetId": subnetID})
		if l.str("privateIp") == ip || l.str("privateIp") == "" {
			t.Errorf("a new interface in %s got %s; the seeded instance holds %s", subnetID, l.str("privateIp"), ip)
		}
		// The instance's groups are held by its interface.
		if err := h.delete("next"); err != nil {
			t.Fatal(err)
		}
		h.adopt(tSG, "users", tfUsersSG)
		wantErr(t, h.delete("users"), "DependencyViolation", eni)
	})

	t.Run("rules", func(t *testing.T) {
		for _, tc := range []struct {
			group string
			want  []string // direction protocol from-to peer
		}{
			{tfBuildersSG, []string{"ingress -1 -1--1 " + tfBuildersSG, "egress -1 -1--1 0.0.0.0/0"}},
			{tfServicesSG, []string{"ingress -1 -1--1 " + tfBuildersSG, "egress -1 -1--1 0.0.0.0/0"}},
			{tfUsersSG, []string{"ingress tcp 22-22 0.0.0.0/0", "ingress tcp 80-80 0.0.0.0/0", "ingress tcp 443-443 0.0.0.0/0",
				"ingress tcp 8800-8800 0.0.0.0/0", "ingress tcp 64535-65535 0.0.0.0/0", "ingress tcp 4647-4647 10.0.1.0/24"}},
		} {
			rules := h.srv.SecurityGroupRules(tc.group)
			var got []string
			for _, r := range rules {
				dir, typ := "ingress", tIngress
				if r.Egress {
					dir, typ = "egress", tEgress
				}
				peer := r.CidrIPv4 + r.ReferencedGroupID
				got = append(got, fmt.Sprintf("%s %s %d-%d %s", dir, r.Protocol, r.FromPort, r.ToPort, peer))
				if !strings.HasPrefix(r.ID, "sgr-") || r.GroupID != tc.group {
					t.Errorf("rule %+v", r)
				}
				// Each is a rule record that Read returns as the rule
				// resource's import does.
				id, outs, ins := h.read(typ, r.ID)
				if id != r.ID || pstr(ins, "securityGroupId") != tc.group || pstr(ins, "ipProtocol") != r.Protocol ||
					pstr(outs, "securityGroupRuleId") != r.ID || pstr(outs, "arn") != "arn:aws:ec2:"+tfRegion+":"+standin.Account+":security-group-rule/"+r.ID {
					t.Errorf("rule record %s: id %q inputs %v outputs %v", r.ID, id, fromPM(ins), fromPM(outs))
				}
				if r.Protocol == "-1" && (ins.HasValue("fromPort") || ins.HasValue("toPort")) {
					t.Errorf("rule %s: ports %v; an import of an all-traffic rule has none", r.ID, fromPM(ins))
				}
			}
			if strings.Join(got, "; ") != strings.Join(tc.want, "; ") {
				t.Errorf("rules of %s:\n got %v\nwant %v", tc.group, got, tc.want)
			}
		}
		// A rule the program adds that is one of them is a duplicate.
		_, err := h.tryUp(tIngress, "dup", map[string]any{"securityGroupId": tfUsersSG, "ipProtocol": "tcp",
			"fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"})
		wantErr(t, err, "InvalidPermission.Duplicate")
		// The group's inline rules stay in its outputs, and its inputs.
		_, outs, ins := h.read(tSG, tfUsersSG)
		if n := len(fromPV(outs["ingress"]).([]any)); n != 6 || len(fromPV(ins["ingress"]).([]any)) != 6 {
			t.Errorf("ingress outputs %d, inputs %v", n, fromPV(ins["ingress"]))
		}
		if got := fmt.Sprint(fromPV(outs["egress"])); got != "[]" || ins.HasValue("egress") {
			t.Errorf("egress outputs %s inputs %v, want [] and none", got, fromPV(ins["egress"]))
		}
		// Source: resourceSecurityGroup schema, ingress and egress
		// Optional+Computed: extractSchemaInputs keeps them.
		_, outs, ins = h.read(tSG, tfSSHSG)
		for _, dir := range []resource.PropertyKey{"ingress", "egress"} {
			if got, want := fmt.Sprint(fromPV(ins[dir])), fmt.Sprint(fromPV(outs[dir])); got != want || got == "[]" {
				t.Errorf("%s inputs %s, want the outputs' %s", dir, got, want)
			}
		}
		if n := len(h.srv.SecurityGroupRules(tfSSHSG)); n != 2 {
			t.Errorf("%s has %d rules, want 2", tfSSHSG, n)
		}
	})

	t.Run("bucket", func(t *testing.T) {
		id, outs, ins := h.read(tCors, tfBucket)
		if id != tfBucket || pstr(ins, "bucket") != tfBucket ||
			pstr(outs, "corsRules") != "[map[allowedMethods:[GET] allowedOrigins:[*] maxAgeSeconds:3600]]" {
			t.Errorf("CORS configuration %q: %v", id, fromPM(outs))
		}
		_, bouts, _ := h.read(tBucket, tfBucket)
		if pstr(bouts, "arn") != "arn:aws:s3:::"+tfBucket || pstr(bouts, "bucketRegionalDomainName") != tfBucket+".s3."+tfRegion+".amazonaws.com" {
			t.Errorf("bucket outputs %v", fromPM(bouts))
		}
	})

	t.Run("groups", func(t *testing.T) {
		insts := h.srv.GroupInstances(tfNomadASG)
		if len(insts) != 1 {
			t.Fatalf("nomad group instances %+v, want its desired capacity, 1", insts)
		}
		i := insts[0]
		if i.LifecycleState != "InService" || i.LaunchTemplateID != "" || i.SubnetID != subnetID ||
			strings.Join(i.SecurityGroupIDs, ",") != tfNomadSG+","+tfSSHSG || i.PublicIP == "" {
			t.Errorf("nomad instance %+v", i)
		}
		if lc := h.srv.LaunchConfigurationOf(i.ID); lc != tfNomadLC {
			t.Errorf("launched from %q, want %s", lc, tfNomadLC)
		}
		if n := len(h.srv.GroupInstances(tfBuilderASG)); n != 0 {
			t.Errorf("builders group has %d instances, want none (desired defaults to min size 0)", n)
		}
		_, outs, ins := h.read(tGroup, tfNomadASG)
		if pstr(ins, "availabilityZones") != "["+tfRegion+"a]" || pstr(outs, "launchConfiguration") != tfNomadLC ||
			pstr(ins, "healthCheckType") != "EC2" || ins.HasValue("forceDelete") {
			t.Errorf("group inputs %v", fromPM(ins))
		}
		_, louts, lins := h.read(tLC, tfNomadLC)
		if !strings.HasPrefix(pstr(louts, "arn"), "arn:aws:autoscaling:"+tfRegion+":"+standin.Account+":launchConfiguration:") ||
			pstr(lins, "namePrefix") != "circleci_nomad_clients-" || pstr(louts, "enableMonitoring") != "true" {
			t.Errorf("launch configuration outputs %v inputs %v", fromPM(louts), fromPM(lins))
		}
		_, houts, hins := h.read(tHook, tfHook)
		if pstr(hins, "heartbeatTimeout") != "3600" || pstr(houts, "defaultResult") != "ABANDON" {
			t.Errorf("hook %v", fromPM(houts))
		}
	})
}

// TestSeed_GroupMovesToLaunchTemplate: a group made from a launch
// configuration, updated to a launch template in place (resourceGroupUpdate
// sends LaunchTemplate; the group no longer uses the configuration); its
// instances run on until an instance refresh replaces them.
func TestSeed_GroupMovesToLaunchTemplate(t *testing.T) {
	for _, refresh := range []bool{true, false} {
		t.Run(fmt.Sprintf("refresh=%v", refresh), func(t *testing.T) {
			h := seeded(t)
			old := h.srv.GroupInstances(tfNomadASG)
			lt := h.up(tLT, "nomad", ltProps("circleci-nomad", map[string]any{"vpcSecurityGroupIds": []any{tfNomadSG, tfSSHSG}}))
			h.adopt(tGroup, "nomad", tfNomadASG)
			props := map[string]any{
				"name": tfNomadASG, "minSize": 0, "maxSize": 2, "desiredCapacity": 1, "vpcZoneIdentifiers": []any{subnetID},
				"launchTemplate": map[string]any{"id": lt.id, "version": "$Latest"}, "forceDelete": true,
			}
			if refresh {
				props["instanceRefresh"] = map[string]any{"strategy": "Rolling", "preferences": map[string]any{"minHealthyPercentage": 0}}
			}
			if d := h.diff("nomad", props); len(d.Replaces) > 0 {
				t.Fatalf("moving to a launch template replaces %v", d.Replaces)
			}
			outs, err := h.update("nomad", props, false)
			if err != nil {
				t.Fatal(err)
			}
			if outs.HasValue("launchConfiguration") {
				t.Errorf("launchConfiguration %v after the move", fromPV(outs["launchConfiguration"]))
			}
			now := h.srv.GroupInstances(tfNomadASG)
			if len(now) != 1 {
				t.Fatalf("instances %+v", now)
			}
			if refresh {
				if now[0].ID == old[0].ID || now[0].LaunchTemplateID != lt.id {
					t.Errorf("after the refresh %+v, want a replacement of %s from %s", now[0], old[0].ID, lt.id)
				}
				if lc := h.srv.LaunchConfigurationOf(old[0].ID); lc != "" {
					t.Errorf("the replaced instance is still noted as launched from %s", lc)
				}
				refreshed := false
				for _, o := range h.srv.Operations() {
					refreshed = refreshed || o.Op == "instance-refresh" && o.ID == tfNomadASG
				}
				if !refreshed {
					t.Errorf("no instance refresh: %+v", h.srv.Operations())
				}
			} else if now[0].ID != old[0].ID || now[0].LaunchTemplateID != "" {
				t.Errorf("without a refresh %+v, want %s running on", now[0], old[0].ID)
			}
			// The configuration is no longer attached: it can go.
			h.adopt(tLC, "nomad-lc", tfNomadLC)
			if err := h.delete("nomad-lc"); err != nil {
				t.Fatalf("deleting the launch configuration the group left: %v", err)
			}
			if id, _, _ := h.read(tLC, tfNomadLC); id != "" {
				t.Errorf("launch configuration %s still there", id)
			}
		})
	}
}

func TestSeed_LaunchConfigurationInUseIsNotDeleted(t *testing.T) {
	h := seeded(t)
	h.adopt(tLC, "nomad-lc", tfNomadLC)
	wantErr(t, h.delete("nomad-lc"), "deleting Auto Scaling Launch Configuration ("+tfNomadLC+")",
		"Auto Scaling: DeleteLaunchConfiguration", "StatusCode: 400", "ResourceInUse",
		"Cannot delete launch configuration "+tfNomadLC+" because it is attached to AutoScalingGroup")
	if id, _, _ := h.read(tLC, tfNomadLC); id == "" {
		t.Error("the refused delete deleted it")
	}
	// Once its group is gone, it can go.
	h.adopt(tGroup, "nomad", tfNomadASG)
	if _, err := h.update("nomad", map[string]any{"name": tfNomadASG, "minSize": 0, "maxSize": 2,
		"launchConfiguration": tfNomadLC, "vpcZoneIdentifiers": []any{subnetID}, "forceDelete": true}, false); err != nil {
		t.Fatal(err)
	}
	if err := h.delete("nomad"); err != nil {
		t.Fatal(err)
	}
	if err := h.delete("nomad-lc"); err != nil {
		t.Errorf("delete after its group: %v", err)
	}
}

// with returns the installation with one object changed (or added when no
// object has the type and id).
func with(typ, id string, change func(o *standin.SeedObject)) []standin.SeedObject {
	objs := terraformInstallation()
	for i := range objs {
		if objs[i].Type == typ && objs[i].ID == id {
			change(&objs[i])
			return objs
		}
	}
	o := standin.SeedObject{Type: typ, ID: id, Inputs: map[string]any{}}
	change(&o)
	return append(objs, o)
}

func TestSeed_RefusesBadSeeds(t *testing.T) {
	for _, tc := range []struct {
		name string
		objs []standin.SeedObject
		want []string
	}{
		{"unknown type", with("aws:ec2/vpc:Vpc", "vpc-1", func(*standin.SeedObject) {}),
			[]string{"does not implement resource type \"aws:ec2/vpc:Vpc\""}},
		{"type Seed does not make", with(tEIP, "eipalloc-1", func(*standin.SeedObject) {}),
			[]string{"Seed does not model aws:ec2/eip:Eip"}},
		{"interface on its own", with(tENI, "eni-0aaaaaaaaaaaaaaa1", func(*standin.SeedObject) {}),
			[]string{"Seed does not model " + tENI, "network interfaces come with their instance"}},
		{"duplicate id", append(terraformInstallation(), terraformInstallation()[1]),
			[]string{tfQueueRole, "an object with this id exists already"}},
		{"no id", with(tRole, "", func(*standin.SeedObject) {}), []string{"needs its id"}},
		{"subnet that is no fixture", with(tInstance, tfInstance, func(o *standin.SeedObject) {
			o.Inputs["subnetId"] = "subnet-0123456789abcdef0"
		}), []string{tInstance, tfInstance, "subnetId \"subnet-0123456789abcdef0\" is not a fixture subnet"}},
		{"launch configuration not seeded", with(tGroup, tfNomadASG, func(o *standin.SeedObject) {
			o.Inputs["launchConfiguration"] = "circleci_gone"
		}), []string{"launch configuration circleci_gone does not exist"}},
		{"instance with network interfaces", with(tInstance, tfInstance, func(o *standin.SeedObject) {
			o.Inputs["networkInterfaces"] = []any{map[string]any{"deviceIndex": 0, "networkInterfaceId": "eni-0aaaaaaaaaaaaaaa1"}}
		}), []string{"configuredDeviceIndexes"}},
		{"rule naming a group that does not exist", with(tSG, tfServicesSG, func(o *standin.SeedObject) {
			o.Inputs["ingress"] = []any{allTraffic(map[string]any{"securityGroups": []any{"sg-0ffffffffffffff99"}})}
		}), []string{tfServicesSG, "ingress", "security group sg-0ffffffffffffff99 does not exist"}},
		{"instance in a group that does not exist", with(tInstance, tfInstance, func(o *standin.SeedObject) {
			o.Inputs["vpcSecurityGroupIds"] = []any{"sg-0ffffffffffffff99"}
		}), []string{"security group sg-0ffffffffffffff99 does not exist"}},
		{"profile of a role that does not exist", with(tProfile, "circleci_profile", func(o *standin.SeedObject) {
			o.Inputs["role"] = "nobody"
		}), []string{"role nobody does not exist"}},
		{"hook of a group that does not exist", with(tHook, tfHook, func(o *standin.SeedObject) {
			o.Inputs["autoscalingGroupName"] = "nobody"
		}), []string{"group nobody does not exist"}},
		{"zero value in the inputs", with(tInstance, tfInstance, func(o *standin.SeedObject) {
			o.Inputs["disableApiStop"] = false
		}), []string{"disableApiStop is false", "extractSchemaInputs"}},
		{"schema default in the inputs", with(tQueue, tfQueueURL, func(o *standin.SeedObject) {
			o.Inputs["visibilityTimeoutSeconds"] = 30
		}), []string{"visibilityTimeoutSeconds is its schema default"}},
		{"provider's own argument", with(tGroup, tfNomadASG, func(o *standin.SeedObject) {
			o.Inputs["forceDelete"] = true
		}), []string{"forceDelete is the provider's own argument"}},
		{"user data as given, not as Read reports it", with(tInstance, tfInstance, func(o *standin.SeedObject) {
			o.Inputs["userData"] = "#!/bin/bash"
		}), []string{"userDataHashSum"}},
		{"inputs and outputs disagree", with(tInstance, tfInstance, func(o *standin.SeedObject) {
			o.Outputs = map[string]any{"ami": "ami-0fffffffffffffff1"}
		}), []string{"ami is " + ami + " in Inputs but ami-0fffffffffffffff1 in Outputs"}},
		{"address in use", with(tInstance, "i-0aaaaaaaaaaaaaaa2", func(o *standin.SeedObject) {
			o.Inputs = map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": subnetID,
				"vpcSecurityGroupIds": []any{tfSSHSG}, "privateIp": "10.0.1.4"}
		}), []string{"privateIp 10.0.1.4 is in use"}},
		{"name that is not the id", with(tLC, tfNomadLC, func(o *standin.SeedObject) {
			o.Inputs["name"] = "other"
		}), []string{"the provider's id for a launch configuration is its name"}},
		{"queue URL of another region", with(tQueue, tfQueueURL, func(o *standin.SeedObject) {
			o.ID = strings.Replace(tfQueueURL, tfRegion, "us-east-1", 1)
		}), []string{"the provider's id for a queue is its URL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tfRegion)
			err := h.srv.Seed(tc.objs)
			wantErr(t, err, tc.want...)
			// Nothing of a refused seed is left.
			if inv := h.srv.Inventory(); len(inv) != 0 {
				var left []string
				for _, r := range inv {
					left = append(left, r.Type+" "+r.ID)
				}
				sort.Strings(left)
				t.Errorf("left after the refusal: %v", left)
			}
			if n := len(h.srv.GroupInstances(tfNomadASG)); n != 0 {
				t.Errorf("group instances left after the refusal: %d", n)
			}
		})
	}
}

func TestSeed_Region(t *testing.T) {
	h := newHarness(t, "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	wantErr(t, h.srv.Seed(terraformInstallation()[1:2]), "Seed needs the region")
	t.Setenv("AWS_REGION", "us-gov-west-1")
	if err := h.srv.Seed(terraformInstallation()[1:2]); err != nil {
		t.Fatal(err)
	}
	h.configure("us-gov-west-1")
	if _, outs, _ := h.read(tRole, tfQueueRole); pstr(outs, "arn") != "arn:aws-us-gov:iam::"+standin.Account+":role/"+tfQueueRole {
		t.Errorf("arn %s, want the partition of AWS_REGION", pstr(outs, "arn"))
	}
}

// EC2 deletes a seeded instance's primary interface with it, and refuses
// to let the interface go while the instance lives.
func TestSeed_PrimaryInterfaceLivesAndDiesWithItsInstance(t *testing.T) {
	h := seeded(t)
	_, outs, _ := h.read(tInstance, tfInstance)
	eni := pstr(outs, "primaryNetworkInterfaceId")
	if eni == "" {
		t.Fatal("the seeded instance reports no primary interface")
	}
	h.adopt(tENI, "eni", eni)
	if err := h.delete("eni"); err == nil {
		t.Error("the primary interface of a running instance was deleted")
	}
	if id, _, _ := h.read(tENI, eni); id == "" {
		t.Fatal("the refused delete deleted the interface")
	}
	h.adopt(tInstance, "box", tfInstance)
	if err := h.delete("box"); err != nil {
		t.Fatal(err)
	}
	if id, _, _ := h.read(tENI, eni); id != "" {
		t.Errorf("the primary interface %s outlived its terminated instance", eni)
	}
}

// A group cannot name a launch configuration that does not exist.
func TestSeed_GroupNeedsItsLaunchConfiguration(t *testing.T) {
	h := seeded(t)
	h.adopt(tGroup, "nomad", tfNomadASG)
	_, err := h.update("nomad", map[string]any{"name": tfNomadASG, "minSize": 0, "maxSize": 2,
		"launchConfiguration": "no-such-lc", "vpcZoneIdentifiers": []any{subnetID}}, false)
	wantErr(t, err, "ValidationError", "Launch configuration no-such-lc not found")
}

// After an import, the provider diffs the program's inputs against the
// state: defaults and Optional+Computed values the program leaves unset are
// no change (terraform-plugin-sdk schemaMap.diff), even though the inputs
// Read extracted hold none of the defaults and all of the computed values.
func TestSeed_ImportedObjectsDiffAgainstTheirState(t *testing.T) {
	h := seeded(t)
	h.adopt(tQueue, "queue", tfQueueURL)
	if d := h.diff("queue", map[string]any{"name": "circleci_shutdown_queue", "fifoQueue": false}); len(d.Replaces) != 0 || len(d.Diffs) != 0 {
		t.Errorf("queue: diffs %v, replaces %v; want none: fifoQueue false is the state's default", d.Diffs, d.Replaces)
	}
	h.adopt(tInstance, "box", tfInstance)
	d := h.diff("box", map[string]any{
		"ami": ami, "instanceType": "m5.2xlarge", "subnetId": subnetID, "keyName": "circleci-admin",
		"vpcSecurityGroupIds": []any{tfServicesSG, tfUsersSG}, "iamInstanceProfile": "circleci_profile",
		"disableApiTermination": true, "tags": map[string]any{"Name": "circleci_services"},
		"rootBlockDevice": map[string]any{"volumeSize": 150, "volumeType": "gp3", "deleteOnTermination": false},
	}, "userData")
	if len(d.Replaces) != 0 {
		t.Errorf("instance: replaces %v; the computed privateIp, availabilityZone and tenancy left unset keep the state's", d.Replaces)
	}
	if len(d.Diffs) != 1 || d.Diffs[0] != "rootBlockDevice" {
		t.Errorf("instance: diffs %v; want only rootBlockDevice (gp2 → gp3)", d.Diffs)
	}
}

// A lifecycle hook is imported as <group>/<hook> (resourceLifecycleHookImport).
func TestSeed_LifecycleHookImportID(t *testing.T) {
	h := seeded(t)
	for _, c := range []struct{ id, want string }{
		{tfBuilderASG + "/" + tfHook, tfHook},
		{"another_asg/" + tfHook, ""},
		{tfHook, tfHook},
	} {
		if got, _, _ := h.read(tHook, c.id); got != c.want {
			t.Errorf("import %q: read %q, want %q", c.id, got, c.want)
		}
	}
}

// An update of an imported object keeps the Optional+Computed values the
// program leaves unset, as the provider's state does.
func TestSeed_UpdateKeepsWhatTheProgramLeavesUnset(t *testing.T) {
	h := seeded(t)
	_, outs, _ := h.read(tInstance, tfInstance)
	eni := pstr(outs, "primaryNetworkInterfaceId")
	_, before, _ := h.read(tENI, eni)
	h.adopt(tENI, "eni", eni)
	after, err := h.update("eni", map[string]any{"subnetId": subnetID, "securityGroups": []any{tfServicesSG, tfUsersSG},
		"description": "adopted"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pstr(after, "privateIp"), pstr(before, "privateIp"); got == "" || got != want {
		t.Errorf("privateIp after the update = %q, want the state's %q", got, want)
	}
}
