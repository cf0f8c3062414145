package standin_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/circleci-server-pulumi/installer/tests/standin"
)

// base builds what the reference tests refer to.
func base(t *testing.T) (*harness, map[string]*live) {
	h := newHarness(t, "eu-central-1")
	r := map[string]*live{}
	r["sg"] = h.sg("nomad")
	r["otherSG"] = h.up(tSG, "other-vpc-sg", map[string]any{"name": "other", "vpcId": otherVPC})
	r["queue"] = h.up(tQueue, "queue", map[string]any{"name": "circleci_shutdown_queue"})
	r["role"] = h.up(tRole, "role", map[string]any{"name": "circleci_role", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
	r["profile"] = h.up(tProfile, "profile", map[string]any{"name": "circleci_profile", "role": "circleci_role"})
	r["eni"] = h.up(tENI, "eni", map[string]any{"subnetId": subnetID, "securityGroups": []string{r["sg"].id}})
	r["lt"] = h.up(tLT, "lt", ltProps("circleci_nomad_clients", map[string]any{"vpcSecurityGroupIds": []string{r["sg"].id}}))
	r["group"] = h.up(tGroup, "group", map[string]any{"name": "circleci_nomad_clients_asg", "minSize": 0, "maxSize": 2,
		"desiredCapacity": 1, "vpcZoneIdentifiers": []string{subnetID}, "launchTemplate": map[string]any{"id": r["lt"].id, "version": "1"}})
	r["bucket"] = h.up(tBucket, "bucket", map[string]any{"bucket": "circleci-bucket"})
	return h, r
}

func TestMissingReferences(t *testing.T) {
	h, r := base(t)
	const missingSG = "sg-0123456789abcdef0"
	instance := func(extra map[string]any) map[string]any {
		p := map[string]any{"ami": ami, "instanceType": "m5.2xlarge", "keyName": "circleci-admin"}
		for k, v := range extra {
			p[k] = v
		}
		return p
	}
	for i, tc := range []struct {
		name  string
		typ   string
		props map[string]any
		err   string
	}{
		{"security group in unknown VPC", tSG, map[string]any{"name": "x", "vpcId": "vpc-0123456789abcdef0"},
			"InvalidVpcID.NotFound: The vpc ID 'vpc-0123456789abcdef0' does not exist"},
		{"interface in unknown subnet", tENI, map[string]any{"subnetId": "subnet-0123456789abcdef0"},
			"InvalidSubnetID.NotFound: The subnet ID 'subnet-0123456789abcdef0' does not exist"},
		{"interface with unknown group", tENI, map[string]any{"subnetId": subnetID, "securityGroups": []string{missingSG}},
			"InvalidGroup.NotFound: The security group '" + missingSG + "' does not exist"},
		{"interface with a group of another VPC", tENI, map[string]any{"subnetId": subnetID, "securityGroups": []string{r["otherSG"].id}},
			"belong to different networks"},
		{"instance on unknown interface", tInstance, instance(map[string]any{"networkInterfaces": []any{
			map[string]any{"deviceIndex": 0, "networkInterfaceId": "eni-0123456789abcdef0"}}}),
			"InvalidNetworkInterfaceID.NotFound: The networkInterface ID 'eni-0123456789abcdef0' does not exist"},
		{"instance with unknown profile", tInstance, instance(map[string]any{"subnetId": subnetID, "iamInstanceProfile": "nope"}),
			"Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"},
		{"instance with unknown group", tInstance, instance(map[string]any{"subnetId": subnetID, "vpcSecurityGroupIds": []string{missingSG}}),
			"InvalidGroup.NotFound"},
		{"instance in unknown subnet", tInstance, instance(map[string]any{"subnetId": "subnet-0123456789abcdef0"}),
			"InvalidSubnetID.NotFound"},
		{"instance with unknown key pair", tInstance, instance(map[string]any{"subnetId": subnetID, "keyName": "nobody"}),
			"InvalidKeyPair.NotFound: The key pair 'nobody' does not exist"},
		{"instance of unknown type", tInstance, instance(map[string]any{"subnetId": subnetID, "instanceType": "m5.2xlarg"}),
			"Invalid value 'm5.2xlarg' for InstanceType."},
		{"instance of malformed image", tInstance, instance(map[string]any{"subnetId": subnetID, "ami": "ubuntu-16.04"}),
			"InvalidAMIID.Malformed"},
		{"instance with interface and subnet", tInstance, instance(map[string]any{"subnetId": subnetID, "networkInterfaces": []any{
			map[string]any{"deviceIndex": 0, "networkInterfaceId": r["eni"].id}}}), `"network_interface": conflicts with subnet_id`},
		{"launch template with unknown group", tLT, ltProps("lt-missing-sg", map[string]any{"vpcSecurityGroupIds": []string{missingSG}}),
			"InvalidGroup.NotFound"},
		{"group with unknown launch template", tGroup, map[string]any{"name": "g1", "minSize": 0, "maxSize": 1, "vpcZoneIdentifiers": []string{subnetID},
			"launchTemplate": map[string]any{"id": "lt-0123456789abcdef0", "version": "1"}},
			"ValidationError: You must use a valid fully-formed launch template. The specified launch template, with template ID lt-0123456789abcdef0, does not exist."},
		{"group with unknown template version", tGroup, map[string]any{"name": "g2", "minSize": 0, "maxSize": 1, "vpcZoneIdentifiers": []string{subnetID},
			"launchTemplate": map[string]any{"id": r["lt"].id, "version": "2"}}, "version 2 does not exist"},
		{"group in unknown subnet", tGroup, map[string]any{"name": "g3", "minSize": 0, "maxSize": 1, "vpcZoneIdentifiers": []string{"subnet-0123456789abcdef0"},
			"launchTemplate": map[string]any{"id": r["lt"].id, "version": "$Latest"}}, "The subnet ID 'subnet-0123456789abcdef0' does not exist"},
		{"group desired above max", tGroup, map[string]any{"name": "g4", "minSize": 0, "maxSize": 1, "desiredCapacity": 2, "vpcZoneIdentifiers": []string{subnetID},
			"launchTemplate": map[string]any{"id": r["lt"].id}}, "Desired capacity:2 must be between the specified min size:0 and max size:1"},
		{"role policy of unknown role", tPolicy, map[string]any{"name": "p", "role": "nope", "policy": allowPolicy("s3:*", "*")},
			"NoSuchEntity: The role with name nope cannot be found."},
		{"instance profile of unknown role", tProfile, map[string]any{"name": "p", "role": "nope"},
			"NoSuchEntity: The role with name nope cannot be found."},
		{"encryption of unknown bucket", tSSE, map[string]any{"bucket": "nope-bucket", "rules": []any{
			map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}}},
			"NoSuchBucket: The specified bucket does not exist"},
		{"public access block of unknown bucket", tPAB, map[string]any{"bucket": "nope-bucket"}, "NoSuchBucket"},
		{"ownership of unknown bucket", tOwner, map[string]any{"bucket": "nope-bucket", "rule": map[string]any{"objectOwnership": "BucketOwnerEnforced"}}, "NoSuchBucket"},
		{"CORS of unknown bucket", tCors, map[string]any{"bucket": "nope-bucket", "corsRules": []any{
			map[string]any{"allowedMethods": []string{"GET"}, "allowedOrigins": []string{"*"}}}}, "NoSuchBucket"},
		{"CORS method", tCors, map[string]any{"bucket": "circleci-bucket", "corsRules": []any{
			map[string]any{"allowedMethods": []string{"PATCH"}, "allowedOrigins": []string{"*"}}}}, "Unsupported method is PATCH"},
		{"hook on unknown group", tHook, map[string]any{"name": "h1", "autoscalingGroupName": "nope",
			"lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING"}, "ValidationError: Group nope not found"},
		{"hook to unknown queue", tHook, map[string]any{"name": "h2", "autoscalingGroupName": "circleci_nomad_clients_asg",
			"lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING", "roleArn": r["role"].str("arn"),
			"notificationTargetArn": "arn:aws:sqs:eu-central-1:123456789012:nope"}, "Unable to publish test message to notification target"},
		{"hook with unknown role", tHook, map[string]any{"name": "h3", "autoscalingGroupName": "circleci_nomad_clients_asg",
			"lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING", "roleArn": "arn:aws:iam::123456789012:role/nope",
			"notificationTargetArn": r["queue"].str("arn")}, "Unable to publish test message"},
		{"EIP on unknown interface", tEIP, map[string]any{"domain": "vpc", "networkInterface": "eni-0123456789abcdef0"},
			"InvalidNetworkInterfaceID.NotFound"},
		{"record in unknown zone", tRecord, map[string]any{"zoneId": "Z9999999999", "name": "circleci.example.com", "type": "A", "ttl": 300,
			"records": []string{"198.51.100.1"}}, "NoSuchHostedZone: No hosted zone found with ID: Z9999999999"},
		{"record of no address", tRecord, map[string]any{"zoneId": "Z0123456789ABCDEFGHIJ", "name": "circleci", "type": "A", "ttl": 300,
			"records": []string{""}}, "ARRDATAIllegalIPv4Address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := fmt.Sprintf("ref-%d", i)
			// The provider refuses some inputs at Check, EC2 others at create.
			_, failures, err := h.check(tc.typ, name, tc.props)
			if err != nil {
				t.Fatal(err)
			}
			if len(failures) > 0 {
				if !strings.Contains(failures[0].Reason, tc.err) {
					t.Fatalf("check failures %v, expected one with %q", failures, tc.err)
				}
				return
			}
			_, err = h.tryUp(tc.typ, name, tc.props)
			wantErr(t, err, tc.err)
		})
	}
}

func TestLifecycleHookNeedsARoleThatCanPost(t *testing.T) {
	h, r := base(t)
	queueARN := r["queue"].str("arn")
	hookRole := h.up(tRole, "hook-role", map[string]any{"name": "circleci_shutdown_queue_role",
		"assumeRolePolicy": trustPolicy("autoscaling.amazonaws.com")})
	hook := map[string]any{"name": "circleci_builders_shutdown_hook", "autoscalingGroupName": "circleci_nomad_clients_asg",
		"lifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING", "heartbeatTimeout": 3600, "defaultResult": "CONTINUE",
		"notificationTargetArn": queueARN, "roleArn": hookRole.str("arn")}
	// The role exists, but may not post yet.
	_, err := h.tryUp(tHook, "hook", hook)
	wantErr(t, err, "Unable to publish test message to notification target "+queueARN)
	h.up(tPolicy, "hook-policy", map[string]any{"name": "circleci_shutdown_queue_role", "role": "circleci_shutdown_queue_role",
		"policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:GetQueueUrl","sqs:SendMessage"],"Resource":["` + queueARN + `"]}]}`})
	h.up(tHook, "hook", hook)
	// A role EC2 assumes is not one Auto Scaling can use.
	hook["name"], hook["roleArn"] = "other-hook", r["role"].str("arn")
	_, err = h.tryUp(tHook, "other-hook", hook)
	wantErr(t, err, "Unable to publish test message")
	// Hooks go with their group. Its delete drains the group through the
	// terminating hook, whose CircleCI side (the services box reading the
	// queue) is not here: an agent answers for it.
	h.srv.SetAgent("circleci_nomad_clients_asg", func(string, standin.LaunchedInstance, string, string) standin.AgentAnswer {
		return standin.AgentAnswer{Result: "CONTINUE", After: time.Minute}
	})
	if err := h.delete("group"); err != nil {
		t.Fatal(err)
	}
	if hooks := h.srv.Find(tHook); len(hooks) != 0 {
		t.Errorf("hooks outlived their group: %v", hooks)
	}
}

func TestDuplicateNames(t *testing.T) {
	h, _ := base(t)
	for i, tc := range []struct {
		typ   string
		props map[string]any
		err   string
	}{
		{tSG, map[string]any{"name": "circleci_nomad", "vpcId": vpcID}, "InvalidGroup.Duplicate: The security group 'circleci_nomad' already exists for VPC '" + vpcID + "'"},
		{tRole, map[string]any{"name": "circleci_role", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")}, "EntityAlreadyExists: Role with name circleci_role already exists."},
		{tProfile, map[string]any{"name": "circleci_profile"}, "EntityAlreadyExists"},
		{tBucket, map[string]any{"bucket": "circleci-bucket"}, "BucketAlreadyOwnedByYou"},
		{tLT, ltProps("circleci_nomad_clients", nil), "InvalidLaunchTemplateName.AlreadyExistsException"},
		{tGroup, map[string]any{"name": "circleci_nomad_clients_asg", "minSize": 0, "maxSize": 1, "vpcZoneIdentifiers": []string{subnetID},
			"launchTemplate": map[string]any{"name": "circleci_nomad_clients"}}, "AlreadyExists"},
		// SQS returns the existing queue for the same attributes; other
		// attributes are refused.
		{tQueue, map[string]any{"name": "circleci_shutdown_queue", "visibilityTimeoutSeconds": 60}, "QueueAlreadyExists"},
	} {
		_, err := h.tryUp(tc.typ, fmt.Sprintf("dup-%d", i), tc.props)
		wantErr(t, err, tc.err)
	}
	// The same name in another VPC is another group.
	h.up(tSG, "nomad-elsewhere", map[string]any{"name": "circleci_nomad", "vpcId": otherVPC})
}
