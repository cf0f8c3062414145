package standin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/circleci-server-pulumi/installer/tests/standin"
)

func lcProps(extra map[string]any) map[string]any {
	p := map[string]any{"imageId": ami, "instanceType": "m5.xlarge", "keyName": "circleci-admin"}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

func TestLaunchConfiguration_Create(t *testing.T) {
	h := newHarness(t, "us-east-1")
	sg := h.sg("nomad")
	l := h.up(tLC, "nomad", lcProps(map[string]any{"namePrefix": "circleci_nomad-", "securityGroups": []any{sg.id}}))
	// Source: resourceLaunchConfigurationCreate (create.Name: the prefix and
	// a 26-character unique id; d.SetId(name)); Read sets name_prefix from
	// the name.
	if !strings.HasPrefix(l.id, "circleci_nomad-") || len(l.id) != len("circleci_nomad-")+26 || l.str("name") != l.id {
		t.Errorf("id %q name %q, want the prefix and a 26-character suffix", l.id, l.str("name"))
	}
	if l.str("namePrefix") != "circleci_nomad-" {
		t.Errorf("namePrefix %q", l.str("namePrefix"))
	}
	if want := "arn:aws:autoscaling:us-east-1:" + standin.Account + ":launchConfiguration:"; !strings.HasPrefix(l.str("arn"), want) ||
		!strings.HasSuffix(l.str("arn"), ":launchConfigurationName/"+l.id) {
		t.Errorf("arn %q", l.str("arn"))
	}
	if got := fromPV(l.outputs["enableMonitoring"]); got != true {
		t.Errorf("enableMonitoring %v, want the schema default true", got)
	}
	named := h.up(tLC, "named", lcProps(map[string]any{"name": "circleci_builders",
		"rootBlockDevice": map[string]any{"volumeSize": 150, "volumeType": "gp2"}}))
	if named.id != "circleci_builders" || named.str("namePrefix") != "" {
		t.Errorf("id %q namePrefix %q", named.id, named.str("namePrefix"))
	}
	if got := fromPV(named.outputs["rootBlockDevice"]).(map[string]any)["deleteOnTermination"]; got != true {
		t.Errorf("rootBlockDevice.deleteOnTermination %v, want the schema default true", got)
	}

	// Source: CreateLaunchConfiguration, Errors (AlreadyExists).
	_, err := h.tryUp(tLC, "again", lcProps(map[string]any{"name": "circleci_builders"}))
	wantErr(t, err, "creating Auto Scaling Launch Configuration (circleci_builders)", "AlreadyExists")
	for name, extra := range map[string]map[string]any{
		"InvalidAMIID.Malformed":                               {"imageId": "ami-nope"},
		"InvalidKeyPair.NotFound":                              {"keyName": "nobody"},
		"Invalid IamInstanceProfile":                           {"iamInstanceProfile": "nobody"},
		"security group 'sg-0ffffffffffffff99' does not exist": {"securityGroups": []any{"sg-0ffffffffffffff99"}},
		"Invalid value 'm9.huge' for InstanceType":             {"instanceType": "m9.huge"},
	} {
		_, err := h.tryUp(tLC, "bad", lcProps(extra))
		wantErr(t, err, "Auto Scaling: CreateLaunchConfiguration", name)
	}
}

func TestLaunchConfiguration_NewAccountsCannotCreate(t *testing.T) {
	h := newHarness(t, "us-east-1")
	cutoff := time.Date(2024, time.October, 1, 0, 0, 0, 0, time.UTC)
	h.srv.SetAccountCreated(cutoff)
	_, err := h.tryUp(tLC, "nomad", lcProps(nil))
	wantErr(t, err, "creating Auto Scaling Launch Configuration (", "Auto Scaling: CreateLaunchConfiguration",
		"StatusCode: 400", "api error UnsupportedOperation: The Launch Configuration creation operation is not available in your account.")
	h.srv.SetAccountCreated(cutoff.Add(-time.Second))
	if _, err := h.tryUp(tLC, "nomad", lcProps(nil)); err != nil {
		t.Errorf("an account made the day before: %v", err)
	}
	// The default is an account older than the cut-off.
	h.srv.Reset()
	if _, err := h.tryUp(tLC, "old", lcProps(nil)); err != nil {
		t.Errorf("default account: %v", err)
	}
}

func TestLaunchConfiguration_Check(t *testing.T) {
	h := newHarness(t, "us-east-1")
	for _, tc := range []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"instanceType": "m5.xlarge"}, "imageId"},
		{map[string]any{"imageId": ami}, "instanceType"},
		{lcProps(map[string]any{"userData": "x", "userDataBase64": "eA=="}), "\"user_data_base64\": conflicts with user_data"},
		{lcProps(map[string]any{"userDataBase64": "not base64!"}), "user_data_base64: must be base64-encoded"},
		{lcProps(map[string]any{"metadataOptions": map[string]any{"httpTokens": "sometimes"}}), "http_tokens"},
		{lcProps(map[string]any{"name": strings.Repeat("n", 256)}), "name"},
	} {
		_, failures, err := h.check(tLC, "lc", tc.props)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range failures {
			found = found || strings.Contains(f.Reason+f.Property, tc.want)
		}
		if !found {
			t.Errorf("check %v: failures %v, want one about %s", tc.props, failures, tc.want)
		}
	}
}

// Every argument is ForceNew: any change replaces, and an explicit name
// deletes first.
func TestLaunchConfiguration_Replaces(t *testing.T) {
	h := newHarness(t, "us-east-1")
	h.up(tLC, "lc", lcProps(map[string]any{"name": "circleci_nomad", "rootBlockDevice": map[string]any{"volumeSize": 200}}))
	for prop, v := range map[string]any{
		"instanceType": "m5.2xlarge", "userData": "#!/bin/bash", "associatePublicIpAddress": true, "enableMonitoring": false,
		"rootBlockDevice": map[string]any{"volumeSize": 300},
	} {
		d := h.diff("lc", lcProps(map[string]any{"name": "circleci_nomad", "rootBlockDevice": map[string]any{"volumeSize": 200}, prop: v}))
		if strings.Join(d.Replaces, ",") != prop || !d.DeleteBeforeReplace {
			t.Errorf("changing %s: replaces %v, delete first %v", prop, d.Replaces, d.DeleteBeforeReplace)
		}
	}
}

func TestLaunchConfiguration_DeleteRefusedWhileAGroupUsesIt(t *testing.T) {
	h := newHarness(t, "us-east-1")
	h.up(tLC, "lc", lcProps(map[string]any{"name": "circleci_nomad"}))
	h.up(tGroup, "asg", map[string]any{"name": "circleci_nomad_asg", "minSize": 0, "maxSize": 1,
		"launchConfiguration": "circleci_nomad", "vpcZoneIdentifiers": []any{subnetID}})
	wantErr(t, h.delete("lc"), "ResourceInUse", "Cannot delete launch configuration circleci_nomad because it is attached to AutoScalingGroup")
	if err := h.delete("asg"); err != nil {
		t.Fatal(err)
	}
	if err := h.delete("lc"); err != nil {
		t.Errorf("delete with no group: %v", err)
	}
}
