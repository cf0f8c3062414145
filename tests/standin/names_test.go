package standin_test

import (
	"strings"
	"testing"
)

func TestNameRules(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	long := func(n int) string { return strings.Repeat("a", n) }
	trust := trustPolicy("ec2.amazonaws.com")
	for _, tc := range []struct {
		name  string
		typ   string
		props map[string]any
		fail  string // "" when valid
	}{
		{"bucket ok", tBucket, map[string]any{"bucket": "circleci-bucket-0a1b2c3d4e5f67890"}, ""},
		{"bucket too short", tBucket, map[string]any{"bucket": "ab"}, "between 3 and 63 characters"},
		{"bucket too long", tBucket, map[string]any{"bucket": long(64)}, "between 3 and 63 characters"},
		{"bucket upper case", tBucket, map[string]any{"bucket": "CircleCI-bucket"}, "only lowercase alphanumeric"},
		{"bucket underscore", tBucket, map[string]any{"bucket": "circleci_bucket"}, "only lowercase alphanumeric"},
		{"bucket ends with hyphen", tBucket, map[string]any{"bucket": "circleci-"}, "must start and end"},
		{"bucket adjacent periods", tBucket, map[string]any{"bucket": "circle..ci"}, "two adjacent periods"},
		{"bucket IP", tBucket, map[string]any{"bucket": "192.168.5.4"}, "IP address"},
		{"role ok", tRole, map[string]any{"name": "circleci_role+=,.@-", "assumeRolePolicy": trust}, ""},
		{"role 64", tRole, map[string]any{"name": long(64), "assumeRolePolicy": trust}, ""},
		{"role 65", tRole, map[string]any{"name": long(65), "assumeRolePolicy": trust}, "range (1 - 64)"},
		{"role slash", tRole, map[string]any{"name": "circleci/role", "assumeRolePolicy": trust}, "must only contain alphanumeric"},
		{"role policy not JSON", tRole, map[string]any{"name": "r", "assumeRolePolicy": "{"}, "invalid JSON policy"},
		{"role path", tRole, map[string]any{"name": "r", "path": "circleci", "assumeRolePolicy": trust}, "forward slash"},
		{"profile 128", tProfile, map[string]any{"name": long(128)}, ""},
		{"profile 129", tProfile, map[string]any{"name": long(129)}, "range (1 - 128)"},
		{"role policy 129", tPolicy, map[string]any{"name": long(129), "role": "r", "policy": "{}"}, "range (1 - 128)"},
		{"role policy space", tPolicy, map[string]any{"name": "my policy", "role": "r", "policy": "{}"}, "must only contain"},
		{"queue ok", tQueue, map[string]any{"name": "circleci_shutdown-queue"}, ""},
		{"queue 81", tQueue, map[string]any{"name": long(81)}, "invalid queue name"},
		{"queue period", tQueue, map[string]any{"name": "circleci.queue"}, "invalid queue name"},
		{"fifo queue without suffix", tQueue, map[string]any{"name": "q", "fifoQueue": true}, "must end with the .fifo suffix"},
		{"fifo queue", tQueue, map[string]any{"name": "q.fifo", "fifoQueue": true}, ""},
		{"launch template ok", tLT, map[string]any{"name": "circleci_nomad-clients(1)./x"}, ""},
		{"launch template short", tLT, map[string]any{"name": "ab"}, "range (3 - 128)"},
		{"launch template 129", tLT, map[string]any{"name": long(129)}, "range (3 - 128)"},
		{"launch template space", tLT, map[string]any{"name": "nomad clients"}, "alphanumeric characters, parentheses"},
		{"group 255", tGroup, map[string]any{"name": long(255), "minSize": 0, "maxSize": 1, "launchTemplate": map[string]any{"id": "lt-1"}}, ""},
		{"group 256", tGroup, map[string]any{"name": long(256), "minSize": 0, "maxSize": 1, "launchTemplate": map[string]any{"id": "lt-1"}}, "range (1 - 255)"},
		{"group without template", tGroup, map[string]any{"name": "g", "minSize": 0, "maxSize": 1}, "exactly one of"},
		{"security group 256", tSG, map[string]any{"name": long(256)}, "range (1 - 255)"},
		{"security group description 256", tSG, map[string]any{"name": "sg", "description": long(256)}, "range (0 - 255)"},
		{"parameter ok", tParam, map[string]any{"name": "/circleci/circle_secret_passphrase", "type": "SecureString", "value": "x"}, ""},
		{"parameter aws prefix", tParam, map[string]any{"name": "aws-thing", "type": "String", "value": "x"}, `prefixed with "aws" or "ssm"`},
		{"parameter ssm prefix", tParam, map[string]any{"name": "/SSM/thing", "type": "String", "value": "x"}, `prefixed with "aws" or "ssm"`},
		{"parameter space", tParam, map[string]any{"name": "/circleci/my secret", "type": "String", "value": "x"}, "may only contain"},
		{"parameter type", tParam, map[string]any{"name": "p", "type": "Secret", "value": "x"}, "to be one of"},
		{"hook name", tHook, map[string]any{"name": "bad hook", "autoscalingGroupName": "g", "lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING"}, "must only contain"},
		{"hook transition", tHook, map[string]any{"name": "h", "autoscalingGroupName": "g", "lifecycleTransition": "TERMINATING"}, "to be one of"},
		{"hook heartbeat", tHook, map[string]any{"name": "h", "autoscalingGroupName": "g", "lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING", "heartbeatTimeout": 10}, "range (30 - 7200)"},
		{"reserved tag key", tQueue, map[string]any{"name": "q", "tags": map[string]any{"aws:owner": "me"}}, `may not start with "aws:"`},
		{"instance metadata tokens", tInstance, map[string]any{"ami": ami, "instanceType": "m5.large", "metadataOptions": map[string]any{"httpTokens": "sometimes"}}, "http_tokens to be one of"},
		{"instance hop limit", tInstance, map[string]any{"ami": ami, "instanceType": "m5.large", "metadataOptions": map[string]any{"httpPutResponseHopLimit": 65}}, "range (1 - 64)"},
		{"instance user data base64", tInstance, map[string]any{"ami": ami, "instanceType": "m5.large", "userDataBase64": "#!/bin/bash"}, "must be base64-encoded"},
		{"record without ttl", tRecord, map[string]any{"name": "x", "type": "A", "zoneId": "Z0123456789ABCDEFGHIJ", "records": []string{"10.0.0.1"}}, "all of `records,ttl`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, failures, err := h.check(tc.typ, strings.ReplaceAll(tc.name, " ", "-"), tc.props)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range failures {
				got = append(got, f.Property+": "+f.Reason)
			}
			switch {
			case tc.fail == "" && len(got) > 0:
				t.Errorf("valid inputs failed: %v", got)
			case tc.fail != "" && !strings.Contains(strings.Join(got, "\n"), tc.fail):
				t.Errorf("failures %v, want one with %q", got, tc.fail)
			}
		})
	}
}
