package standin_test

import (
	"regexp"
	"strings"
	"testing"
)

const tDLM = "aws:dlm/lifecyclePolicy:LifecyclePolicy"

// dlmRole creates a role trusting service, with an inline policy.
func dlmRole(h *harness, name, service string) *live {
	h.t.Helper()
	r := h.up(tRole, name, map[string]any{"name": name, "assumeRolePolicy": trustPolicy(service)})
	h.up(tPolicy, name+"-policy", map[string]any{"name": "snapshots", "role": name,
		"policy": allowPolicy("ec2:CreateSnapshots", "*")})
	return r
}

// dlmProps is the installer's snapshot policy for the services box, edited.
func dlmProps(roleARN string, edit func(p, details, schedule map[string]any)) map[string]any {
	schedule := map[string]any{
		"name": "daily", "copyTags": true,
		"createRule": map[string]any{"interval": 24, "intervalUnit": "HOURS", "times": "03:00"},
		"retainRule": map[string]any{"count": 7},
		"tagsToAdd":  map[string]any{"SnapshotCreator": "DLM"},
	}
	details := map[string]any{
		"resourceTypes": []string{"INSTANCE"},
		"targetTags":    map[string]any{"circleci:snapshots": "circleci"},
		"schedules":     []any{schedule},
	}
	p := map[string]any{
		"description":      "CircleCI services box snapshots - circleci",
		"executionRoleArn": roleARN, "state": "ENABLED", "policyDetails": details,
		"tags": map[string]any{"Name": "circleci-snapshots"},
	}
	if edit != nil {
		edit(p, details, schedule)
	}
	return p
}

func TestDLMPolicyCheck(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	role := "arn:aws:iam::123456789012:role/dlm"
	for _, tc := range []struct {
		name         string
		edit         func(p, d, s map[string]any)
		prop, reason string // "" when Check passes
	}{
		{"the installer's policy", nil, "", ""},
		{"description with parentheses", func(p, d, s map[string]any) { p["description"] = "CircleCI services box snapshots (circleci)" },
			"description", "invalid value for description (see https://docs.aws.amazon.com/cli/latest/reference/dlm/create-lifecycle-policy.html)"},
		{"description of 501", func(p, d, s map[string]any) { p["description"] = strings.Repeat("a", 501) },
			"description", "expected length of description to be in the range (1 - 500)"},
		{"no description", func(p, d, s map[string]any) { delete(p, "description") }, "description", "Missing required property 'description'"},
		{"no policy details", func(p, d, s map[string]any) { delete(p, "policyDetails") }, "policyDetails", "Missing required property 'policyDetails'"},
		{"role name, not ARN", func(p, d, s map[string]any) { p["executionRoleArn"] = "dlm" },
			"executionRoleArn", `"execution_role_arn" (dlm) is an invalid ARN: arn: invalid prefix`},
		{"ARN of bad partition", func(p, d, s map[string]any) { p["executionRoleArn"] = "arn:AWS:iam::123456789012:role/dlm" },
			"executionRoleArn", "invalid partition value"},
		{"state", func(p, d, s map[string]any) { p["state"] = "PAUSED" }, "state", "expected state to be one of [ENABLED DISABLED], got PAUSED"},
		{"policy type", func(p, d, s map[string]any) { d["policyType"] = "SNAPSHOTS" }, "policyDetails.policyType",
			"expected policy_details.0.policy_type to be one of"},
		{"resource type", func(p, d, s map[string]any) { d["resourceTypes"] = []string{"SNAPSHOT"} }, "policyDetails.resourceTypes[0]",
			"expected policy_details.0.resource_types.0 to be one of [VOLUME INSTANCE], got SNAPSHOT"},
		{"two resource types", func(p, d, s map[string]any) { d["resourceTypes"] = []string{"VOLUME", "INSTANCE"} }, "policyDetails.resourceTypes",
			"policy_details.0.resource_types: attribute supports 1 item maximum, but config has 2 declared"},
		{"resource location", func(p, d, s map[string]any) { d["resourceLocations"] = "REGION" }, "policyDetails.resourceLocations",
			"expected policy_details.0.resource_locations to be one of [CLOUD OUTPOST]"},
		{"five schedules", func(p, d, s map[string]any) { d["schedules"] = []any{s, s, s, s, s} }, "policyDetails.schedules",
			"attribute supports 4 item maximum, but config has 5 declared"},
		{"interval 5", func(p, d, s map[string]any) { s["createRule"].(map[string]any)["interval"] = 5 },
			"policyDetails.schedules[0].createRule.interval",
			"expected policy_details.0.schedule.0.create_rule.0.interval to be one of [1 2 3 4 6 8 12 24], got 5"},
		{"interval unit", func(p, d, s map[string]any) { s["createRule"].(map[string]any)["intervalUnit"] = "DAYS" },
			"policyDetails.schedules[0].createRule.intervalUnit", "to be one of [HOURS], got DAYS"},
		{"time 3:00", func(p, d, s map[string]any) { s["createRule"].(map[string]any)["times"] = "3:00" },
			"policyDetails.schedules[0].createRule.times",
			"invalid value for policy_details.0.schedule.0.create_rule.0.times.0 (see https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html#dlm-Type-CreateRule-Times)"},
		{"time 24:00", func(p, d, s map[string]any) { s["createRule"].(map[string]any)["times"] = "24:00" },
			"policyDetails.schedules[0].createRule.times", "create_rule.0.times.0"},
		{"times as a list", func(p, d, s map[string]any) { s["createRule"].(map[string]any)["times"] = []string{"03:00"} },
			"policyDetails.schedules[0].createRule.times", "expected a string, not a list"},
		{"short cron", func(p, d, s map[string]any) { s["createRule"] = map[string]any{"cronExpression": "cron(0 3)"} },
			"policyDetails.schedules[0].createRule.cronExpression", "API_CreateRule.html"},
		{"location", func(p, d, s map[string]any) { s["createRule"].(map[string]any)["location"] = "REGION" },
			"policyDetails.schedules[0].createRule.location", "to be one of [CLOUD OUTPOST_LOCAL]"},
		{"keep none", func(p, d, s map[string]any) { s["retainRule"] = map[string]any{"count": 0} },
			"policyDetails.schedules[0].retainRule.count", "expected policy_details.0.schedule.0.retain_rule.0.count to be in the range (1 - 1000), got 0"},
		{"keep 1001", func(p, d, s map[string]any) { s["retainRule"] = map[string]any{"count": 1001} },
			"policyDetails.schedules[0].retainRule.count", "(1 - 1000), got 1001"},
		{"retain in hours", func(p, d, s map[string]any) { s["retainRule"] = map[string]any{"interval": 7, "intervalUnit": "HOURS"} },
			"policyDetails.schedules[0].retainRule.intervalUnit", "to be one of [DAYS WEEKS MONTHS YEARS], got HOURS"},
		{"retain 0 days", func(p, d, s map[string]any) { s["retainRule"] = map[string]any{"interval": 0, "intervalUnit": "DAYS"} },
			"policyDetails.schedules[0].retainRule.interval", "to be at least (1), got 0"},
		{"no schedule name", func(p, d, s map[string]any) { delete(s, "name") },
			"policyDetails.schedules[0].name", `"policy_details.0.schedule.0.name": required field is not set`},
		{"schedule name of 121", func(p, d, s map[string]any) { s["name"] = strings.Repeat("n", 121) },
			"policyDetails.schedules[0].name", "expected length of policy_details.0.schedule.0.name to be in the range (0 - 120)"},
		{"no create rule", func(p, d, s map[string]any) { delete(s, "createRule") },
			"policyDetails.schedules[0].createRule", `"policy_details.0.schedule.0.create_rule": required field is not set`},
		{"copy to a bad target", func(p, d, s map[string]any) {
			s["crossRegionCopyRules"] = []any{map[string]any{"target": "eu west 1", "encrypted": true}}
		}, "policyDetails.schedules[0].crossRegionCopyRules[0].target", "expected value of policy_details.0.schedule.0.cross_region_copy_rule.0.target to match"},
		{"share with a bad account", func(p, d, s map[string]any) { s["shareRule"] = map[string]any{"targetAccounts": []string{"1234"}} },
			"policyDetails.schedules[0].shareRule.targetAccounts", `doesn't look like AWS Account ID (exactly 12 digits): "1234"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, failures, err := h.check(tDLM, "snapshots", dlmProps(role, tc.edit))
			if err != nil {
				t.Fatal(err)
			}
			if tc.prop == "" {
				if len(failures) != 0 {
					t.Fatalf("expected no Check failures, found %v", failures)
				}
				return
			}
			for _, f := range failures {
				if f.Property == tc.prop && strings.Contains(f.Reason, tc.reason) {
					return
				}
			}
			t.Fatalf("expected a failure of %s containing %q, found %v", tc.prop, tc.reason, failures)
		})
	}
}

func TestDLMPolicyCreate(t *testing.T) {
	for _, tc := range []struct{ region, partition string }{
		{"us-east-1", "aws"}, {"us-gov-west-1", "aws-us-gov"}, {"cn-north-1", "aws-cn"},
	} {
		t.Run(tc.region, func(t *testing.T) {
			h := newHarness(t, tc.region)
			role := dlmRole(h, "circleci-dlm", "dlm.amazonaws.com")
			props := dlmProps(role.str("arn"), func(p, d, s map[string]any) { delete(p, "state") })

			// A preview knows neither the id nor the ARN, and creates nothing.
			planned, err := h.previewCreate(tDLM, "snapshots", props)
			if err != nil {
				t.Fatal(err)
			}
			if !planned["arn"].IsComputed() {
				t.Errorf("preview: expected arn unknown, found %v", planned["arn"])
			}
			if n := len(h.srv.Find(tDLM)); n != 0 {
				t.Errorf("preview: expected no policy, found %d", n)
			}

			p := h.up(tDLM, "snapshots", props)
			if !regexp.MustCompile(`^policy-[0-9a-f]{17}$`).MatchString(p.id) {
				t.Errorf("id: expected policy-<17 hex>, found %q", p.id)
			}
			if want := "arn:" + tc.partition + ":dlm:" + tc.region + ":123456789012:policy/" + p.id; p.str("arn") != want {
				t.Errorf("arn: expected %s, found %s", want, p.str("arn"))
			}
			if p.str("state") != "ENABLED" {
				t.Errorf("state: expected the default ENABLED, found %q", p.str("state"))
			}
			if tags := p.outputs["tagsAll"].ObjectValue(); tags["Name"].StringValue() != "circleci-snapshots" {
				t.Errorf("tagsAll: expected Name circleci-snapshots, found %v", tags)
			}
			if err := h.delete("snapshots"); err != nil {
				t.Errorf("delete: expected success, found %v", err)
			}
		})
	}
}

func TestDLMPolicyRefusals(t *testing.T) {
	const created = "creating DLM Lifecycle Policy: operation error DLM: CreateLifecyclePolicy, https response error StatusCode: 400"
	for _, tc := range []struct {
		name, region, trusted string
		role                  string // an ARN instead of the role's
		edit                  func(p, d, s map[string]any)
		err                   string // "" to succeed
	}{
		{"role trusting EC2", "eu-central-1", "ec2.amazonaws.com", "", nil, "InvalidRequestException: Unable to assume the role"},
		{"role trusting dlm in China", "cn-north-1", "dlm.amazonaws.com", "", nil, ""},
		{"role trusting a China-suffixed principal", "cn-north-1", "dlm.amazonaws.com.cn", "", nil, "dlm.amazonaws.com is a trusted entity"},
		{"role of GovCloud", "us-gov-east-1", "dlm.amazonaws.com", "", nil, ""},
		{"role that does not exist", "eu-central-1", "dlm.amazonaws.com", "arn:aws:iam::123456789012:role/nope", nil, "Unable to assume the role arn:aws:iam::123456789012:role/nope"},
		{"neither cron nor interval", "eu-central-1", "dlm.amazonaws.com", "", func(p, d, s map[string]any) { s["createRule"] = map[string]any{"times": "03:00"} },
			"Schedule daily: specify either CronExpression, or Interval"},
		{"cron and interval", "eu-central-1", "dlm.amazonaws.com", "", func(p, d, s map[string]any) {
			s["createRule"] = map[string]any{"cronExpression": "cron(0 3 * * ? *)", "interval": 24}
		}, "CronExpression cannot be specified with Interval"},
		{"cron alone", "eu-central-1", "dlm.amazonaws.com", "", func(p, d, s map[string]any) {
			s["createRule"] = map[string]any{"cronExpression": "cron(0 3 * * ? *)"}
		}, ""},
		{"retain nothing", "eu-central-1", "dlm.amazonaws.com", "", func(p, d, s map[string]any) { s["retainRule"] = map[string]any{} },
			"the retain rule must specify either Count, or Interval and IntervalUnit"},
		{"retain by count and age", "eu-central-1", "dlm.amazonaws.com", "", func(p, d, s map[string]any) {
			s["retainRule"] = map[string]any{"count": 7, "interval": 7, "intervalUnit": "DAYS"}
		}, "cannot specify both Count and Interval"},
		{"retain for 7 days", "eu-central-1", "dlm.amazonaws.com", "", func(p, d, s map[string]any) {
			s["retainRule"] = map[string]any{"interval": 7, "intervalUnit": "DAYS"}
		}, ""},
		{"variable tags on volumes", "eu-central-1", "dlm.amazonaws.com", "", func(p, d, s map[string]any) {
			d["resourceTypes"] = []string{"VOLUME"}
			s["variableTags"] = map[string]any{"instance-id": "$(instance-id)"}
		}, "VariableTags can only be used with the INSTANCE resource type"},
		{"no target tags", "eu-central-1", "dlm.amazonaws.com", "", func(p, d, s map[string]any) { delete(d, "targetTags") },
			"TargetTags is required for a EBS_SNAPSHOT_MANAGEMENT policy"},
		{"no schedule", "eu-central-1", "dlm.amazonaws.com", "", func(p, d, s map[string]any) { delete(d, "schedules") },
			"Schedules is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.region)
			arn := dlmRole(h, "circleci-dlm", tc.trusted).str("arn")
			if tc.role != "" {
				arn = tc.role
			}
			_, err := h.tryUp(tDLM, "snapshots", dlmProps(arn, tc.edit))
			if tc.err == "" {
				if err != nil {
					t.Fatalf("expected the policy created, found %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("expected %q, found the policy created", tc.err)
			}
			wantErr(t, err, created, tc.err)
		})
	}
}

func TestDLMPolicyUpdates(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	role := dlmRole(h, "circleci-dlm", "dlm.amazonaws.com").str("arn")
	ec2Role := dlmRole(h, "circleci-ec2", "ec2.amazonaws.com").str("arn")
	h.up(tDLM, "snapshots", dlmProps(role, nil))
	for _, tc := range []struct {
		name     string
		edit     func(p, d, s map[string]any)
		replaces bool
	}{
		{"copy tags false", func(p, d, s map[string]any) { s["copyTags"] = false }, true},
		{"copy tags left out", func(p, d, s map[string]any) { delete(s, "copyTags") }, false},
		{"a new schedule copying tags", func(p, d, s map[string]any) {
			d["schedules"] = []any{s, map[string]any{"name": "weekly", "copyTags": true,
				"createRule": map[string]any{"cronExpression": "cron(0 4 ? * SUN *)"}, "retainRule": map[string]any{"count": 4}}}
		}, true},
		{"a new schedule", func(p, d, s map[string]any) {
			d["schedules"] = []any{s, map[string]any{"name": "weekly",
				"createRule": map[string]any{"cronExpression": "cron(0 4 ? * SUN *)"}, "retainRule": map[string]any{"count": 4}}}
		}, false},
		{"description", func(p, d, s map[string]any) { p["description"] = "CircleCI services box snapshots" }, false},
		{"role", func(p, d, s map[string]any) { p["executionRoleArn"] = ec2Role }, false},
		{"resource type", func(p, d, s map[string]any) { d["resourceTypes"] = []string{"VOLUME"} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.diff("snapshots", dlmProps(role, tc.edit))
			if got := len(resp.Replaces) > 0; got != tc.replaces {
				t.Errorf("expected replacement %v, found %v (replaces %v, diffs %v)", tc.replaces, got, resp.Replaces, resp.Diffs)
			}
		})
	}

	// UpdateLifecyclePolicy refuses what cannot change in place and a role
	// DLM cannot assume.
	for _, tc := range []struct {
		name string
		edit func(p, d, s map[string]any)
		err  string
	}{
		{"resource type", func(p, d, s map[string]any) { d["resourceTypes"] = []string{"VOLUME"} },
			"The resource type of a lifecycle policy cannot be updated."},
		{"policy type", func(p, d, s map[string]any) { d["policyType"] = "IMAGE_MANAGEMENT" },
			"The policy type of a lifecycle policy cannot be updated."},
		{"role trusting EC2", func(p, d, s map[string]any) { p["executionRoleArn"] = ec2Role }, "Unable to assume the role " + ec2Role},
		{"no retention", func(p, d, s map[string]any) { s["retainRule"] = map[string]any{} }, "either Count"},
		{"keep 14", func(p, d, s map[string]any) { s["retainRule"] = map[string]any{"count": 14} }, ""},
	} {
		t.Run("update "+tc.name, func(t *testing.T) {
			id := h.res["snapshots"].id
			_, err := h.update("snapshots", dlmProps(role, tc.edit), false)
			if tc.err == "" {
				if err != nil {
					t.Fatalf("expected the update to succeed, found %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("expected %q, found the update done", tc.err)
			}
			wantErr(t, err, "updating DLM Lifecycle Policy ("+id+"): operation error DLM: UpdateLifecyclePolicy", "InvalidRequestException", tc.err)
		})
	}
}

func TestSnapshotPolicyTargets(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	role := dlmRole(h, "circleci-dlm", "dlm.amazonaws.com").str("arn")
	box := func(name string, tags, volumeTags map[string]any) *live {
		p := map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": privateSubnet}
		if tags != nil {
			p["tags"] = tags
		}
		if volumeTags != nil {
			p["rootBlockDevice"] = map[string]any{"tags": volumeTags}
		}
		return h.up(tInstance, name, p)
	}
	services := box("services", map[string]any{"circleci:snapshots": "circleci", "Name": "circleci-services"}, nil)
	box("nomad", map[string]any{"circleci:snapshots": "other"}, nil)
	box("plain", nil, nil)
	disk := box("disk", nil, map[string]any{"circleci:snapshots": "circleci"})
	backup := box("backup", map[string]any{"backup": "yes"}, nil)
	diskVolume := disk.outputs["rootBlockDevice"].ObjectValue()["volumeId"].StringValue()

	for _, tc := range []struct {
		name string
		edit func(p, d, s map[string]any)
		want []string
	}{
		{"instances", nil, []string{services.id}},
		{"volumes", func(p, d, s map[string]any) { d["resourceTypes"] = []string{"VOLUME"} }, []string{diskVolume}},
		{"any of two tags", func(p, d, s map[string]any) {
			d["targetTags"] = map[string]any{"circleci:snapshots": "circleci", "backup": "yes"}
		}, []string{services.id, backup.id}},
		{"no match", func(p, d, s map[string]any) { d["targetTags"] = map[string]any{"circleci:snapshots": "nope"} }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := h.up(tDLM, "snapshots-"+strings.ReplaceAll(tc.name, " ", "-"), dlmProps(role, tc.edit))
			got := h.srv.SnapshotPolicyTargets(p.id)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("expected targets %v, found %v", tc.want, got)
			}
		})
	}
	if got := h.srv.SnapshotPolicyTargets("policy-00000000000000000"); got != nil {
		t.Errorf("unknown policy: expected no targets, found %v", got)
	}
	// A deleted instance is no target any more.
	if err := h.delete("services"); err != nil {
		t.Fatal(err)
	}
	if got := h.srv.SnapshotPolicyTargets(h.res["snapshots-instances"].id); len(got) != 0 {
		t.Errorf("after the instance's delete: expected no targets, found %v", got)
	}
}
