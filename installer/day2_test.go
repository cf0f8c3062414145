package installer_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/circleci-server-pulumi/installer/components"
	"github.com/circleci-server-pulumi/installer/config"
)

// scalar reads a string, number or boolean property as text; "" when absent.
func scalar(r registered, path string) string {
	v, ok := r.input(path)
	switch {
	case !ok:
		return ""
	case v.IsNumber():
		return strconv.FormatFloat(v.NumberValue(), 'f', -1, 64)
	case v.IsBool():
		return strconv.FormatBool(v.BoolValue())
	case v.IsString():
		return v.StringValue()
	}
	return ""
}

// runningBox is a services instance as getInstance reports it.
func runningBox(ami, key string) map[string]any {
	return map[string]any{
		"id": "i-0123456789abcdef0", "ami": ami, "keyName": key, "subnetId": "subnet-0f1e2d3c4b5a69788",
		"instanceType": "m5.2xlarge", "instanceState": "running",
	}
}

func TestServicesBox_AReplacingChangeFailsBeforeAnythingIsRegistered(t *testing.T) {
	cfg := devConfig(t)
	cfg["services_ami"] = "ami-0fedcba9876543210"
	env := publicAccount()
	env.servicesBox = runningBox("ami-0123456789abcdef0", cfg["aws_ssh_key_name"])
	r := deployIn(t, env, cfg, cfg["aws_vpc_id"])
	if r.err == nil {
		t.Fatal("want the program to refuse the AMI change, it succeeded")
	}
	for _, want := range []string{"would replace or delete the services box", "ami-0123456789abcdef0 to ami-0fedcba9876543210",
		"every CircleCI datastore", "Nothing has been changed", "create-image", "pulumi config set services_allow_replacement true"} {
		if !strings.Contains(r.err.Error(), want) {
			t.Errorf("the refusal should say %q; it says: %v", want, r.err)
		}
	}
	if n := len(r.custom()); n != 0 {
		t.Errorf("want no AWS resource registered before the refusal, found %d: %v", n, r.custom())
	}

	cfg["services_allow_replacement"] = "true"
	r = deployIn(t, env, cfg, cfg["aws_vpc_id"])
	if r.err != nil {
		t.Fatalf("with services_allow_replacement the program should go ahead: %v", r.err)
	}
	if inst := r.only(t, "aws:ec2/instance:Instance"); inst.Options.Protect || len(inst.Options.BeforeDelete) != 0 {
		t.Errorf("allowed: want the instance unprotected and without a delete hook, found protect=%v hooks=%v", inst.Options.Protect, inst.Options.BeforeDelete)
	}
}

func TestServicesBox_ANewKeyPairIsNotApplied(t *testing.T) {
	cfg := devConfig(t)
	env := publicAccount()
	env.servicesBox = runningBox(ubuntuAMI, "someone-elses-key")
	r := deployIn(t, env, cfg, cfg["aws_vpc_id"])
	if r.err != nil {
		t.Fatalf("a key change must not fail the program: %v", r.err)
	}
	inst := r.only(t, "aws:ec2/instance:Instance")
	if !slices.Contains(inst.Options.IgnoreChanges, "keyName") {
		t.Errorf("want the instance to ignore keyName changes, ignoreChanges = %v", inst.Options.IgnoreChanges)
	}
	if !inst.Options.Protect || len(inst.Options.BeforeDelete) != 1 {
		t.Errorf("want the instance protected with one delete hook, found protect=%v hooks=%v", inst.Options.Protect, inst.Options.BeforeDelete)
	}
	eni := r.only(t, "aws:ec2/networkInterface:NetworkInterface")
	if !eni.Options.Protect {
		t.Error("want the services box's network interface protected")
	}
}

func TestNomadClients_DrainAndJoinHooks(t *testing.T) {
	cfg := devConfig(t)
	r := mustDeploy(t, cfg)
	names := (&config.Config{Prefix: cfg["prefix"], AWSVPCID: cfg["aws_vpc_id"]}).Names()
	hooks := map[string]map[string]string{}
	for _, h := range r.ofType("aws:autoscaling/lifecycleHook:LifecycleHook") {
		hooks[h.str("name")] = map[string]string{
			"transition": h.str("lifecycleTransition"), "default": h.str("defaultResult"),
			"timeout": scalar(h, "heartbeatTimeout"), "group": h.str("autoscalingGroupName"),
		}
	}
	want := map[string]map[string]string{
		names.NomadJoinHook:  {"transition": "autoscaling:EC2_INSTANCE_LAUNCHING", "default": "ABANDON", "timeout": "1800", "group": names.NomadASG},
		names.NomadDrainHook: {"transition": "autoscaling:EC2_INSTANCE_TERMINATING", "default": "CONTINUE", "timeout": "600", "group": names.NomadASG},
	}
	for name, w := range want {
		got, ok := hooks[name]
		if !ok {
			t.Errorf("no lifecycle hook %s; found %v", name, hooks)
			continue
		}
		for k, v := range w {
			if got[k] != v {
				t.Errorf("hook %s: %s = %q, want %q", name, k, got[k], v)
			}
		}
	}

	group := r.named(t, "aws:autoscaling/group:Group", "name", names.NomadASG)
	for path, want := range map[string]string{
		"instanceRefresh.strategy":                         "Rolling",
		"instanceRefresh.preferences.minHealthyPercentage": "100",
		"instanceRefresh.preferences.maxHealthyPercentage": "200",
		"instanceRefresh.preferences.instanceWarmup":       "300",
		"waitForCapacityTimeout":                           "0",
	} {
		if got := scalar(group, path); got != want {
			t.Errorf("Nomad group %s = %q, want %q", path, got, want)
		}
	}

	lt := r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", names.NomadLaunchTemplate)
	if got := lt.str("iamInstanceProfile.name"); got != names.NomadInstanceProfile {
		t.Errorf("Nomad launch template's instance profile = %q, want %q", got, names.NomadInstanceProfile)
	}
	if got := scalar(lt, "metadataOptions.httpPutResponseHopLimit"); got != "1" {
		t.Errorf("Nomad clients' metadata hop limit = %s, want 1: job containers must not reach the role", got)
	}
	script := lt.userData(t, "userData")
	deadline := cfg["nomad_drain_deadline"]
	if deadline == "" {
		deadline = "1h" // the key's default
	}
	for _, want := range []string{names.NomadJoinHook, names.NomadDrainHook, names.NomadASG, "circleci-nomad-drain", deadline} {
		if !strings.Contains(script, want) {
			t.Errorf("the Nomad client script should mention %q", want)
		}
	}

	var doc components.PolicyDocument
	policy := r.named(t, "aws:iam/rolePolicy:RolePolicy", "name", names.NomadPolicy)
	if err := json.Unmarshal([]byte(policy.str("policy")), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Statement) != 1 {
		t.Fatalf("want one statement in the clients' policy, found %+v", doc.Statement)
	}
	s := doc.Statement[0]
	wantActions := []string{"autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"}
	wantResource := "arn:aws:autoscaling:" + cfg["aws_region"] + ":*:autoScalingGroup:*:autoScalingGroupName/" + names.NomadASG
	if !slices.Equal(s.Action, wantActions) || !slices.Equal(s.Resource, []string{wantResource}) {
		t.Errorf("clients' policy = %v on %v, want %v on %s", s.Action, s.Resource, wantActions, wantResource)
	}
}

func TestServicesSnapshots(t *testing.T) {
	for _, c := range []struct{ region, partition, principal string }{
		{"us-east-1", "aws", "dlm.amazonaws.com"},
		{"us-gov-west-1", "aws-us-gov", "dlm.amazonaws.com"},
		{"cn-north-1", "aws-cn", "dlm.amazonaws.com"},
	} {
		t.Run(c.region, func(t *testing.T) {
			cfg := devConfig(t)
			cfg["aws_region"] = c.region
			delete(cfg, "ubuntu_ami")
			r := mustDeploy(t, cfg)
			names := (&config.Config{Prefix: cfg["prefix"]}).Names()
			policy := r.only(t, "aws:dlm/lifecyclePolicy:LifecyclePolicy")
			for path, want := range map[string]string{
				"policyDetails.resourceTypes[0]":                       "INSTANCE",
				"policyDetails.targetTags." + names.SnapshotTag:        cfg["prefix"],
				"policyDetails.schedules[0].createRule.interval":       "24",
				"policyDetails.schedules[0].createRule.intervalUnit":   "HOURS",
				"policyDetails.schedules[0].createRule.times":          "03:00",
				"policyDetails.schedules[0].retainRule.count":          "7",
				"policyDetails.schedules[0].tagsToAdd.circleci:prefix": cfg["prefix"],
				"state": "ENABLED",
			} {
				if got := scalar(policy, path); got != want {
					t.Errorf("snapshot policy %s = %q, want %q", path, got, want)
				}
			}
			inst := r.only(t, "aws:ec2/instance:Instance")
			if got := inst.str("tags." + names.SnapshotTag); got != cfg["prefix"] {
				t.Errorf("services instance tag %s = %q, want %q: the policy finds it by that tag", names.SnapshotTag, got, cfg["prefix"])
			}
			role := r.named(t, "aws:iam/role:Role", "name", names.SnapshotRole)
			if !strings.Contains(role.str("assumeRolePolicy"), `"Service":"`+c.principal+`"`) {
				t.Errorf("snapshot role trusts %s, want %s", role.str("assumeRolePolicy"), c.principal)
			}
			rp := r.named(t, "aws:iam/rolePolicy:RolePolicy", "name", names.SnapshotPolicy)
			if !strings.Contains(rp.str("policy"), "arn:"+c.partition+":ec2:*::snapshot/*") {
				t.Errorf("snapshot role policy should tag snapshots in partition %s: %s", c.partition, rp.str("policy"))
			}
		})
	}
	t.Run("off", func(t *testing.T) {
		cfg := devConfig(t)
		cfg["services_snapshots"] = "false"
		r := mustDeploy(t, cfg)
		if n := len(r.ofType("aws:dlm/lifecyclePolicy:LifecyclePolicy")); n != 0 {
			t.Errorf("services_snapshots false: want no snapshot policy, found %d", n)
		}
	})
}
