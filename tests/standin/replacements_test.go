package standin_test

import (
	"encoding/base64"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func copyProps(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = copyProps(sub)
		}
		out[k] = v
	}
	return out
}

func TestReplacements(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	sg := h.sg("services")
	other := h.sg("users")
	eni := h.up(tENI, "eni", map[string]any{"subnetId": subnetID, "securityGroups": []string{sg.id}})
	h.up(tRole, "role", map[string]any{"name": "circleci_role", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
	h.up(tRole, "other-role", map[string]any{"name": "other", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
	h.up(tProfile, "profile", map[string]any{"name": "circleci_profile", "role": "circleci_role"})

	script := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho services\n"))
	instance := map[string]any{
		"ami": ami, "instanceType": "m5.2xlarge", "keyName": "circleci-admin", "disableApiTermination": false,
		"iamInstanceProfile": "circleci_profile", "userDataBase64": script,
		"networkInterfaces": []any{map[string]any{"deviceIndex": 0, "networkInterfaceId": eni.id}},
		"rootBlockDevice":   map[string]any{"volumeType": "gp3", "volumeSize": 150, "encrypted": true, "deleteOnTermination": false},
		"metadataOptions":   map[string]any{"httpEndpoint": "enabled", "httpTokens": "optional", "httpPutResponseHopLimit": 2},
		"tags":              map[string]any{"Name": "circleci_services"},
	}
	h.up(tInstance, "instance", instance)
	h.up(tSG, "sg", map[string]any{"name": "circleci_vm_sg", "description": "vm", "vpcId": vpcID})
	h.up(tIngress, "rule", map[string]any{"securityGroupId": sg.id, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "10.0.1.0/24"})
	h.up(tBucket, "bucket", map[string]any{"bucket": "circleci-bucket", "forceDestroy": false})
	h.up(tQueue, "queue", map[string]any{"name": "circleci_shutdown_queue"})
	h.up(tParam, "param", map[string]any{"name": "/circleci/p", "type": "SecureString", "value": secretV{"x"}})
	h.up(tRecord, "record", map[string]any{"zoneId": "Z0123456789ABCDEFGHIJ", "name": "circleci.example.com", "type": "A", "ttl": 300,
		"records": []string{"10.0.1.4"}})
	h.up(tEndpoint, "endpoint", map[string]any{"vpcId": vpcID, "serviceName": "com.amazonaws.eu-central-1.s3",
		"vpcEndpointType": "Gateway", "routeTableIds": []string{privateRT}, "tags": map[string]any{"Name": "circleci-s3"}})

	set := func(m map[string]any, path string, v any) map[string]any {
		m = copyProps(m)
		parts := strings.Split(path, ".")
		at := m
		for _, p := range parts[:len(parts)-1] {
			at = at[p].(map[string]any)
		}
		at[parts[len(parts)-1]] = v
		return m
	}
	live := func(name string) map[string]any {
		out := fromPM(h.res[name].inputs)
		delete(out, "__defaults")
		return out
	}
	for _, tc := range []struct {
		resource, path string
		value          any
		replace        bool
	}{
		{"instance", "ami", "ami-0fedcba9876543210", true},
		{"instance", "keyName", "ops", true},
		{"instance", "availabilityZone", "eu-central-1b", true},
		{"instance", "networkInterfaces", []any{}, true},
		{"instance", "rootBlockDevice.encrypted", false, true},
		{"instance", "rootBlockDevice.volumeSize", 200, false},
		{"instance", "rootBlockDevice.volumeType", "gp2", false},
		{"instance", "instanceType", "m5.4xlarge", false},
		{"instance", "disableApiTermination", true, false},
		{"instance", "iamInstanceProfile", "other", false},
		{"instance", "userDataBase64", base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\n")), false},
		{"instance", "userDataReplaceOnChange", true, false},
		{"instance", "metadataOptions.httpTokens", "required", false},
		{"instance", "tags.Name", "renamed", false},
		{"sg", "name", "circleci_vm_sg2", true},
		{"sg", "description", "virtual machines", true},
		{"sg", "vpcId", otherVPC, true},
		{"sg", "tags", map[string]any{"Name": "x"}, false},
		{"sg", "revokeRulesOnDelete", true, false},
		{"rule", "securityGroupId", other.id, true},
		{"rule", "cidrIpv4", "10.0.0.0/16", false},
		{"rule", "description", "SSH", false},
		{"bucket", "bucket", "circleci-bucket-2", true},
		{"bucket", "forceDestroy", true, false},
		{"bucket", "objectLockEnabled", true, true},
		{"role", "path", "/ci/", true},
		{"role", "maxSessionDuration", 7200, false},
		{"profile", "role", "other", false},
		{"profile", "path", "/ci/", true},
		{"param", "dataType", "aws:ec2:image", true},
		{"param", "type", "String", false},
		{"queue", "name", "circleci_shutdown_queue_2", true},
		{"queue", "visibilityTimeoutSeconds", 60, false},
		{"param", "name", "/circleci/q", true},
		{"param", "value", secretV{"y"}, false},
		{"eni", "subnetId", privateSubnet, true},
		{"eni", "securityGroups", []string{other.id}, false},
		{"record", "name", "ci.example.com", true},
		// Source: terraform-provider-aws route53/record.go: type is not
		// ForceNew (resourceRecordUpdate deletes and creates in one batch).
		{"record", "type", "AAAA", false},
		{"record", "setIdentifier", "blue", false},
		{"record", "zoneId", "Z2FDTNDATAQYW2", true},
		{"record", "records", []string{"10.0.1.5"}, false},
		{"record", "ttl", 60, false},
		{"endpoint", "vpcId", otherVPC, true},
		{"endpoint", "serviceName", "com.amazonaws.eu-central-1.dynamodb", true},
		{"endpoint", "vpcEndpointType", "Interface", true},
		{"endpoint", "routeTableIds", []string{isolatedRT}, false},
		{"endpoint", "tags.Name", "renamed", false},
	} {
		t.Run(tc.resource+"."+tc.path, func(t *testing.T) {
			d := h.diff(tc.resource, set(live(tc.resource), tc.path, tc.value))
			if d.Changes != pulumirpc.DiffResponse_DIFF_SOME {
				t.Fatalf("no change: %v", d)
			}
			if got := len(d.Replaces) > 0; got != tc.replace {
				t.Errorf("replace = %v (%v), want %v", got, d.Replaces, tc.replace)
			}
			top := strings.Split(tc.path, ".")[0]
			if !contains(d.Diffs, top) {
				t.Errorf("diffs %v lack %s", d.Diffs, top)
			}
			if k := d.DetailedDiff[tc.path].GetKind(); tc.replace && k != pulumirpc.PropertyDiff_UPDATE_REPLACE &&
				k != pulumirpc.PropertyDiff_DELETE_REPLACE && k != pulumirpc.PropertyDiff_ADD_REPLACE {
				t.Errorf("detailed diff %v", d.DetailedDiff)
			}
		})
	}

	// With userDataReplaceOnChange a new boot script is a new instance.
	withReplace := set(live("instance"), "userDataReplaceOnChange", true)
	if _, err := h.update("instance", withReplace, false); err != nil {
		t.Fatal(err)
	}
	d := h.diff("instance", set(withReplace, "userDataBase64", base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\n"))))
	if len(d.Replaces) != 1 || d.Replaces[0] != "userDataBase64" {
		t.Errorf("userData with userDataReplaceOnChange: %v", d)
	}
	// Ignored changes are no changes: the services box ignores its user data and AMI.
	d = h.diff("instance", set(set(withReplace, "userDataBase64", "IyEvYmluL3NoCg=="), "ami", "ami-0fedcba9876543210"), "userData", "userDataBase64", "ami")
	if d.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("ignored changes show: %v", d)
	}
}

func TestDeleteBeforeReplace(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	h.up(tSG, "named", map[string]any{"name": "circleci_users_sg", "description": "a", "vpcId": vpcID})
	h.up(tSG, "autonamed", map[string]any{"description": "a", "vpcId": vpcID})
	d := h.diff("named", map[string]any{"name": "circleci_users_sg", "description": "b", "vpcId": vpcID})
	if !d.DeleteBeforeReplace {
		t.Errorf("an explicitly named group must be deleted before its replacement: %v", d)
	}
	d = h.diff("autonamed", map[string]any{"description": "b", "vpcId": vpcID})
	if d.DeleteBeforeReplace || len(d.Replaces) != 1 {
		t.Errorf("an autonamed group is replaced create-first: %v", d)
	}
	// Create-first with the same name is what AWS refuses.
	_, err := h.tryUp(tSG, "named-2", map[string]any{"name": "circleci_users_sg", "description": "b", "vpcId": vpcID})
	wantErr(t, err, "InvalidGroup.Duplicate")
}

func contains(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}
