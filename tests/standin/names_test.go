package standin_test

import (
	"fmt"
	"strings"
	"testing"
)

// corsRules is n valid CORS rules.
func corsRules(n int) []any {
	var out []any
	for i := 0; i < n; i++ {
		out = append(out, map[string]any{"allowedMethods": []string{"GET"}, "allowedOrigins": []string{fmt.Sprintf("https://%d.example.com", i)}})
	}
	return out
}

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
		// The provider checks only a bucket name's length in preview; the
		// naming rules it and S3 apply at create time (TestCreateTimeNames).
		{"bucket ok", tBucket, map[string]any{"bucket": "circleci-bucket-0a1b2c3d4e5f67890"}, ""},
		{"bucket too short is no Check failure", tBucket, map[string]any{"bucket": "ab"}, ""},
		{"bucket too long", tBucket, map[string]any{"bucket": long(64)}, "expected length of bucket to be in the range (0 - 63)"},
		{"bucket upper case is no Check failure", tBucket, map[string]any{"bucket": "CircleCI-bucket"}, ""},
		{"directory bucket name", tBucket, map[string]any{"bucket": "circleci--use1-az4--x-s3"}, "must not be in the format [bucket_name]--[azid]--x-s3"},
		{"bucket prefix 38", tBucket, map[string]any{"bucketPrefix": long(38)}, "expected length of bucket_prefix to be in the range (0 - 37)"},
		{"role ok", tRole, map[string]any{"name": "circleci_role+=,.@-", "assumeRolePolicy": trust}, ""},
		{"role 64", tRole, map[string]any{"name": long(64), "assumeRolePolicy": trust}, ""},
		{"role 65", tRole, map[string]any{"name": long(65), "assumeRolePolicy": trust}, "range (1 - 64)"},
		{"role slash", tRole, map[string]any{"name": "circleci/role", "assumeRolePolicy": trust}, `invalid value for name (must match [\w+=,.@-])`},
		{"role 65 with slash fails twice", tRole, map[string]any{"name": long(64) + "/", "assumeRolePolicy": trust}, "range (1 - 64), got " + long(64) + "/\nname: invalid value for name"},
		{"role name prefix 39", tRole, map[string]any{"namePrefix": long(39), "assumeRolePolicy": trust}, "expected length of name_prefix to be in the range (1 - 38)"},
		{"role policy not JSON", tRole, map[string]any{"name": "r", "assumeRolePolicy": "{"}, `"assume_role_policy" contains an invalid JSON policy: unexpected end of JSON input`},
		{"role policy array", tRole, map[string]any{"name": "r", "assumeRolePolicy": "[]"}, "contains a JSON array, not a JSON object"},
		{"role policy leading space", tRole, map[string]any{"name": "r", "assumeRolePolicy": " {}"}, "leading space characters are not allowed"},
		{"role policy empty", tRole, map[string]any{"name": "r", "assumeRolePolicy": ""}, "is an empty string, which is not a valid JSON value"},
		// The provider checks only a role path's length; IAM its form (TestCreateTimeNames).
		{"role path is no Check failure", tRole, map[string]any{"name": "r", "path": "circleci", "assumeRolePolicy": trust}, ""},
		{"role path 513", tRole, map[string]any{"name": "r", "path": "/" + long(511) + "/", "assumeRolePolicy": trust}, "expected length of path to be in the range (0 - 512)"},
		{"role description 1001", tRole, map[string]any{"name": "r", "description": long(1001), "assumeRolePolicy": trust}, "expected length of description to be in the range (0 - 1000)"},
		{"role description curly quote", tRole, map[string]any{"name": "r", "description": "it’s “mine”", "assumeRolePolicy": trust}, "cannot contain specially formatted"},
		{"role session 43201", tRole, map[string]any{"name": "r", "maxSessionDuration": 43201, "assumeRolePolicy": trust}, "expected max_session_duration to be in the range (3600 - 43200)"},
		{"profile 128", tProfile, map[string]any{"name": long(128)}, ""},
		{"profile 129", tProfile, map[string]any{"name": long(129)}, "range (1 - 128)"},
		{"profile path is not checked", tProfile, map[string]any{"name": "p", "path": "nope"}, ""},
		{"role policy 129", tPolicy, map[string]any{"name": long(129), "role": "r", "policy": "{}"}, "range (1 - 128)"},
		{"role policy space", tPolicy, map[string]any{"name": "my policy", "role": "r", "policy": "{}"}, `must match [\w+=,.@-]`},
		{"role policy of an ARN", tPolicy, map[string]any{"name": "p", "role": "arn:aws:iam::123456789012:role/r", "policy": "{}"}, `"role" must be the role's name not its ARN`},
		// Queue names are checked while planning (TestPlanRefusals), not in Check.
		{"queue ok", tQueue, map[string]any{"name": "circleci_shutdown-queue"}, ""},
		{"queue 81 is no Check failure", tQueue, map[string]any{"name": long(81)}, ""},
		{"queue delay 901", tQueue, map[string]any{"name": "q", "delaySeconds": 901}, "expected delay_seconds to be in the range (0 - 900)"},
		{"queue receive wait 21 is no Check failure", tQueue, map[string]any{"name": "q", "receiveWaitTimeSeconds": 21}, ""},
		{"queue kms reuse 59", tQueue, map[string]any{"name": "q", "kmsDataKeyReusePeriodSeconds": 59}, "expected kms_data_key_reuse_period_seconds to be in the range (60 - 86400)"},
		{"queue kms key and managed sse false", tQueue, map[string]any{"name": "q", "kmsMasterKeyId": "alias/k", "sqsManagedSseEnabled": false}, `"sqs_managed_sse_enabled": conflicts with kms_master_key_id`},
		{"fifo queue", tQueue, map[string]any{"name": "q.fifo", "fifoQueue": true}, ""},
		{"launch template ok", tLT, map[string]any{"name": "circleci_nomad-clients(1)./x"}, ""},
		{"launch template short", tLT, map[string]any{"name": "ab"}, `"name" cannot be less than 3 characters`},
		{"launch template 126", tLT, map[string]any{"name": long(126)}, `"name" cannot be longer than 125 characters`},
		{"launch template space", tLT, map[string]any{"name": "nomad clients"}, "can only alphanumeric characters and ()./_- symbols"},
		{"group 255", tGroup, map[string]any{"name": long(255), "minSize": 0, "maxSize": 1, "launchTemplate": map[string]any{"id": "lt-1"}}, ""},
		{"group 256", tGroup, map[string]any{"name": long(256), "minSize": 0, "maxSize": 1, "launchTemplate": map[string]any{"id": "lt-1"}}, "expected length of name to be in the range (0 - 255)"},
		{"group without template", tGroup, map[string]any{"name": "g", "minSize": 0, "maxSize": 1}, "one of `launch_configuration,launch_template,mixed_instances_policy` must be specified"},
		{"security group 256", tSG, map[string]any{"name": long(256)}, "expected length of name to be in the range (0 - 255)"},
		{"security group description 256", tSG, map[string]any{"name": "sg", "description": long(256)}, "range (0 - 255)"},
		{"parameter ok", tParam, map[string]any{"name": "/circleci/circle_secret_passphrase", "type": "SecureString", "value": "x"}, ""},
		// SSM's naming rules are PutParameter's (TestCreateTimeNames).
		{"parameter aws prefix is no Check failure", tParam, map[string]any{"name": "aws-thing", "type": "String", "value": "x"}, ""},
		{"parameter 2049", tParam, map[string]any{"name": long(2049), "type": "String", "value": "x"}, "expected length of name to be in the range (1 - 2048)"},
		{"parameter type", tParam, map[string]any{"name": "p", "type": "Secret", "value": "x"}, "to be one of"},
		{"parameter without value", tParam, map[string]any{"name": "p", "type": "String"}, `"value": one of ` + "`insecure_value,value`" + ` must be specified`},
		{"parameter with both values", tParam, map[string]any{"name": "p", "type": "String", "value": "x", "insecureValue": "y"}, "only one of `insecure_value,value` can be specified"},
		{"parameter data type", tParam, map[string]any{"name": "p", "type": "String", "value": "x", "dataType": "json"}, "expected data_type to be one of"},
		// The hook's owner moved its name rule out of Check.
		{"hook name", tHook, map[string]any{"name": "bad hook", "autoscalingGroupName": "g", "lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING"}, ""},
		{"hook transition", tHook, map[string]any{"name": "h", "autoscalingGroupName": "g", "lifecycleTransition": "TERMINATING"}, "to be one of"},
		{"hook heartbeat", tHook, map[string]any{"name": "h", "autoscalingGroupName": "g", "lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING", "heartbeatTimeout": 10}, "range (30 - 7200)"},
		// The provider validates no tags: it drops aws: keys (TestTags).
		{"aws tag key is no Check failure", tQueue, map[string]any{"name": "q", "tags": map[string]any{"aws:owner": "me"}}, ""},
		{"instance metadata tokens", tInstance, map[string]any{"ami": ami, "instanceType": "m5.large", "metadataOptions": map[string]any{"httpTokens": "sometimes"}}, "http_tokens to be one of"},
		{"instance hop limit", tInstance, map[string]any{"ami": ami, "instanceType": "m5.large", "metadataOptions": map[string]any{"httpPutResponseHopLimit": 65}}, "range (1 - 64)"},
		{"instance user data base64", tInstance, map[string]any{"ami": ami, "instanceType": "m5.large", "userDataBase64": "#!/bin/bash"}, "must be base64-encoded"},
		// Records without a TTL only Route 53 refuses (TestCreateTimeNames).
		{"record without ttl is no Check failure", tRecord, map[string]any{"name": "x", "type": "A", "zoneId": "Z0123456789ABCDEFGHIJ", "records": []string{"10.0.0.1"}}, ""},
		{"record ttl without records", tRecord, map[string]any{"name": "x", "type": "A", "zoneId": "Z0123456789ABCDEFGHIJ", "ttl": 60}, "\"ttl\": all of `records,ttl` must be specified"},
		{"record neither records nor alias", tRecord, map[string]any{"name": "x", "type": "A", "zoneId": "Z0123456789ABCDEFGHIJ"}, "\"records\": one of `alias,records` must be specified"},
		{"record alias and ttl", tRecord, map[string]any{"name": "x", "type": "A", "zoneId": "Z0123456789ABCDEFGHIJ", "ttl": 60,
			"aliases": []any{map[string]any{"name": "d.example.com", "zoneId": "Z1", "evaluateTargetHealth": false}}}, "\"alias\": conflicts with ttl"},
		{"record type", tRecord, map[string]any{"name": "x", "type": "ANY", "zoneId": "Z0123456789ABCDEFGHIJ", "ttl": 60, "records": []string{"x"}}, "expected type to be one of"},
		{"record type HTTPS", tRecord, map[string]any{"name": "x", "type": "HTTPS", "zoneId": "Z0123456789ABCDEFGHIJ", "ttl": 60, "records": []string{"1 . alpn=h2"}}, ""},
		{"cors 101 rules", tCors, map[string]any{"bucket": "b", "corsRules": corsRules(101)}, "Attribute supports 100 item maximum, config has 101 declared"},
		{"cors owner", tCors, map[string]any{"bucket": "b", "expectedBucketOwner": "1234", "corsRules": corsRules(1)}, `"expected_bucket_owner" doesn't look like AWS Account ID (exactly 12 digits): "1234"`},
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
