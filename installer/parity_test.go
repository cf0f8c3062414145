package installer_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/circleci-server-pulumi/installer/components"
)

// policyOf parses a policy document property.
func policyOf(t *testing.T, r registered, prop string) components.PolicyDocument {
	t.Helper()
	var doc components.PolicyDocument
	if err := json.Unmarshal([]byte(r.str(prop)), &doc); err != nil {
		t.Fatalf("%s: %s is not a JSON policy: %v\n%s", r, prop, err, r.str(prop))
	}
	return doc
}

// statement finds the statement that grants action, or fails.
func statement(t *testing.T, doc components.PolicyDocument, sid string) components.Statement {
	t.Helper()
	for _, s := range doc.Statement {
		if s.Sid == sid {
			return s
		}
	}
	t.Fatalf("policy has no statement %q: %+v", sid, doc)
	return components.Statement{}
}

func equalSets(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return strings.Join(a, "\n") == strings.Join(b, "\n")
}

func want[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func number(r registered, path string) float64 {
	v, ok := r.input(path)
	if !ok || !v.IsNumber() {
		return -1
	}
	return v.NumberValue()
}

func boolean(r registered, path string) bool {
	v, ok := r.input(path)
	return ok && v.IsBool() && v.BoolValue()
}

func strs(r registered, path string) []string {
	v, ok := r.input(path)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		for e.IsSecret() {
			e = e.SecretValue().Element
		}
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

// TestParity_DevStack checks every object of the Terraform installer's
// parity table (shared/docs/anchor-parity.md) for the committed example
// stack, row by row, with the improvements the project makes.
func TestParity_DevStack(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, devConfig(t))
	const queueARN = "arn:aws:sqs:eu-central-1:123456789012:circleci_shutdown_queue"
	const bucket = "circleci-bucket-0a1b2c3d4e5f67890"

	rows := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"row 1 subnet lookup feeds the subnet CIDR", func(t *testing.T) {
			var looked bool
			for _, c := range r.invokes {
				looked = looked || (c.Token == "aws:ec2/getSubnet:getSubnet" && c.Args["id"].StringValue() == "subnet-0f1e2d3c4b5a69788")
			}
			if !looked {
				t.Fatalf("the subnet was not looked up; invokes: %v", r.invokes)
			}
			rule := r.named(t, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "cidrIpv4", subnetCIDR)
			_ = rule
		}},
		{"row 2 shutdown queue", func(t *testing.T) {
			q := r.named(t, "aws:sqs/queue:Queue", "name", "circleci_shutdown_queue")
			want(t, "queue encryption", boolean(q, "sqsManagedSseEnabled"), true)
		}},
		{"row 3 shutdown queue role and policy", func(t *testing.T) {
			role := r.named(t, "aws:iam/role:Role", "name", "circleci_shutdown_queue_role")
			trust := policyOf(t, role, "assumeRolePolicy")
			want(t, "trusted service", trust.Statement[0].Principal["Service"], "autoscaling.amazonaws.com")
			pol := r.named(t, "aws:iam/rolePolicy:RolePolicy", "name", "circleci_shutdown_queue_role")
			s := statement(t, policyOf(t, pol, "policy"), "PostLifecycleMessages")
			if !equalSets(s.Action, []string{"sqs:GetQueueUrl", "sqs:SendMessage"}) || !equalSets(s.Resource, []string{queueARN}) {
				t.Errorf("queue policy = %+v", s)
			}
		}},
		{"row 4 bucket with CORS, encryption, no public access, owner-enforced", func(t *testing.T) {
			b := r.named(t, "aws:s3/bucketV2:BucketV2", "bucket", bucket)
			want(t, "forceDestroy (dev sets force_destroy_s3_bucket true)", boolean(b, "forceDestroy"), true)
			cors := r.only(t, "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2")
			want(t, "CORS bucket", cors.str("bucket"), bucket)
			want(t, "CORS methods", strings.Join(strs(cors, "corsRules[0].allowedMethods"), ","), "GET")
			want(t, "CORS origins", strings.Join(strs(cors, "corsRules[0].allowedOrigins"), ","), "*")
			want(t, "CORS max age", number(cors, "corsRules[0].maxAgeSeconds"), 3600)
			sse := r.only(t, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2")
			want(t, "SSE algorithm", sse.str("rules[0].applyServerSideEncryptionByDefault.sseAlgorithm"), "AES256")
			pab := r.only(t, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
			for _, p := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				want(t, "public access block "+p, boolean(pab, p), true)
			}
			own := r.only(t, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")
			want(t, "object ownership", own.str("rule.objectOwnership"), "BucketOwnerEnforced")
		}},
		{"row 5 instance role", func(t *testing.T) {
			role := r.named(t, "aws:iam/role:Role", "name", "circleci_role")
			want(t, "path", role.str("path"), "/")
			want(t, "trusted service", policyOf(t, role, "assumeRolePolicy").Statement[0].Principal["Service"], "ec2.amazonaws.com")
		}},
		{"row 6 instance role policy, statements (a) to (g)", func(t *testing.T) {
			pol := r.named(t, "aws:iam/rolePolicy:RolePolicy", "name", "circleci_policy")
			want(t, "attached to", pol.str("role"), "circleci_role")
			doc := policyOf(t, pol, "policy")
			cases := []struct {
				sid       string
				actions   []string
				resources []string
			}{
				{"ArtifactsBucket", []string{"s3:*"}, []string{"arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*"}},
				{"ShutdownQueue", []string{"sqs:*"}, []string{queueARN}},
				{"DescribeAndMetrics", []string{"ec2:Describe*", "ec2:CreateTags", "cloudwatch:*", "iam:GetUser", "autoscaling:CompleteLifecycleAction"}, []string{"*"}},
				{"LaunchVMs", []string{"ec2:RunInstances", "ec2:CreateVolume", "ec2:CreateTags"}, []string{"arn:aws:ec2:eu-central-1:*"}},
				{"DescribeEC2", []string{"ec2:Describe*"}, []string{"*"}},
				{"ManageOwnVMs", []string{"ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances", "ec2:AttachVolume", "ec2:DetachVolume", "ec2:DeleteVolume"}, []string{"arn:aws:ec2:eu-central-1:*:*/*"}},
				{"AssumeOwnRole", []string{"iam:GetRole", "sts:AssumeRole"}, []string{"arn:aws:iam::*:role/circleci_role"}},
				{"ReadPassphrase", []string{"ssm:GetParameter"}, []string{"arn:aws:ssm:eu-central-1:123456789012:parameter/circleci/circle_secret_passphrase"}},
			}
			for _, c := range cases {
				s := statement(t, doc, c.sid)
				if s.Effect != "Allow" || !equalSets(s.Action, c.actions) || !equalSets(s.Resource, c.resources) {
					t.Errorf("statement %s = %+v, want actions %v on %v", c.sid, s, c.actions, c.resources)
				}
			}
			want(t, "(f) condition", statement(t, doc, "ManageOwnVMs").Condition["StringEquals"]["ec2:ResourceTag/ManagedBy"], "circleci-vm-service")
		}},
		{"row 7 instance profile", func(t *testing.T) {
			p := r.named(t, "aws:iam/instanceProfile:InstanceProfile", "name", "circleci_profile")
			want(t, "role", p.str("role"), "circleci_role")
		}},
		{"rows 8-12, 18-19 security groups by name", func(t *testing.T) {
			for _, n := range []string{"circleci_builders_sg", "circleci_services_sg", "circleci_builders_admin_sg", "circleci_users_sg", "circleci_vm_sg", "circleci_nomad_sg", "circleci_ssh_sg"} {
				sg := r.named(t, "aws:ec2/securityGroup:SecurityGroup", "name", n)
				want(t, n+" VPC", sg.str("vpcId"), "vpc-0a1b2c3d4e5f67890")
			}
		}},
		{"row 13 services box", func(t *testing.T) {
			i := r.only(t, "aws:ec2/instance:Instance")
			want(t, "Name tag", i.str("tags.Name"), "circleci_services")
			want(t, "type", i.str("instanceType"), "m5.2xlarge")
			want(t, "AMI (looked up)", i.str("ami"), ubuntuAMI)
			want(t, "key pair", i.str("keyName"), "circleci-admin")
			want(t, "termination protection (dev: false)", boolean(i, "disableApiTermination"), false)
			want(t, "instance profile", i.str("iamInstanceProfile"), "circleci_profile")
			want(t, "root volume type (improvement: gp3)", i.str("rootBlockDevice.volumeType"), "gp3")
			want(t, "root volume size", number(i, "rootBlockDevice.volumeSize"), 150)
			want(t, "root volume encrypted", boolean(i, "rootBlockDevice.encrypted"), true)
			want(t, "root volume kept", boolean(i, "rootBlockDevice.deleteOnTermination"), false)
			eni := r.only(t, "aws:ec2/networkInterface:NetworkInterface")
			want(t, "ENI subnet", eni.str("subnetId"), "subnet-0f1e2d3c4b5a69788")
			wantGroups(t, r, "the services box's interface", strs(eni, "securityGroups"), components.Attachments.ServicesBox)
			want(t, "attached at device 0", number(i, "networkInterfaces[0].deviceIndex"), 0)
			if i.str("networkInterfaces[0].networkInterfaceId") == "" {
				t.Error("instance is not attached to the services ENI")
			}
			script := i.userData(t, "userDataBase64")
			for _, s := range []string{
				"https://sqs.eu-central-1.amazonaws.com/123456789012/circleci_shutdown_queue",
				"write_setting s3_bucket \"" + bucket + "\"",
				"write_setting aws_region \"eu-central-1\"",
				"write_setting subnet_id \"subnet-0f1e2d3c4b5a69788\"",
				"replicated_tag=2.38.6",
				`--name "/circleci/circle_secret_passphrase"`,
			} {
				if !strings.Contains(script, s) {
					t.Errorf("services boot script lacks %q", s)
				}
			}
		}},
		{"row 20 Nomad client launch template", func(t *testing.T) {
			lt := r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", "circleci_nomad_clients")
			want(t, "type", lt.str("instanceType"), "m5.2xlarge")
			want(t, "AMI as the services box", lt.str("imageId"), ubuntuAMI)
			want(t, "key pair", lt.str("keyName"), "circleci-admin")
			wantGroups(t, r, "Nomad clients", strs(lt, "networkInterfaces[0].securityGroups"), components.Attachments.NomadClients)
			if _, has := lt.input("vpcSecurityGroupIds"); has {
				t.Error("the groups must be on the network interface only: EC2 refuses them on both")
			}
			want(t, "public IP on the example stack's public subnet", lt.str("networkInterfaces[0].associatePublicIpAddress"), "true")
			want(t, "root device", lt.str("blockDeviceMappings[0].deviceName"), "/dev/sda1")
			want(t, "root size", number(lt, "blockDeviceMappings[0].ebs.volumeSize"), 200)
			want(t, "root type", lt.str("blockDeviceMappings[0].ebs.volumeType"), "gp3")
			want(t, "root encrypted", lt.str("blockDeviceMappings[0].ebs.encrypted"), "true")
			// Jobs run on the clients: their own role answers their lifecycle
			// hooks and nothing else (never the services box's role).
			want(t, "instance profile (the clients' own)", lt.str("iamInstanceProfile.name"), "circleci_nomad_client_profile")
			if script := lt.userData(t, "userData"); !strings.Contains(script, `servers = ["`+servicesENIIP+`:4647"]`) {
				t.Errorf("Nomad client config does not point at the services ENI %s", servicesENIIP)
			}
		}},
		{"row 21 Nomad client ASG", func(t *testing.T) {
			g := r.named(t, "aws:autoscaling/group:Group", "name", "circleci_nomad_clients_asg")
			want(t, "subnet", strings.Join(strs(g, "vpcZoneIdentifiers"), ","), "subnet-0f1e2d3c4b5a69788")
			want(t, "min", number(g, "minSize"), 0)
			want(t, "max (from max_clients_count)", number(g, "maxSize"), 2)
			want(t, "desired (from desired_clients_count)", number(g, "desiredCapacity"), 1)
			want(t, "force delete", boolean(g, "forceDelete"), true)
			want(t, "instance refresh", g.str("instanceRefresh.strategy"), "Rolling")
			// Not parity: the Terraform installer had no refresh. Launch before
			// terminating, and never wait for capacity at `up`.
			want(t, "min healthy", number(g, "instanceRefresh.preferences.minHealthyPercentage"), 100)
			want(t, "max healthy", number(g, "instanceRefresh.preferences.maxHealthyPercentage"), 200)
			want(t, "wait for capacity", g.str("waitForCapacityTimeout"), "0")
			tags := map[string]string{}
			v, _ := g.input("tags")
			for _, tag := range v.ArrayValue() {
				o := tag.ObjectValue()
				if !o["propagateAtLaunch"].BoolValue() {
					t.Errorf("tag %s is not propagated to instances", o["key"].StringValue())
				}
				tags[o["key"].StringValue()] = o["value"].StringValue()
			}
			want(t, "Name tag", tags["Name"], "circleci-nomad-client")
			want(t, "prefix tag", tags["circleci:prefix"], "circleci")
			want(t, "stack tag", tags["environment"], "dev")
		}},
		{"rows 14-17 absent: no Route53, no 1.0 builders in the dev stack", func(t *testing.T) {
			if n := len(r.ofType("aws:route53/record:Record")); n != 0 {
				t.Errorf("%d Route53 records, want none", n)
			}
			for _, h := range r.ofType("aws:autoscaling/lifecycleHook:LifecycleHook") {
				if g := h.str("autoscalingGroupName"); g != "circleci_nomad_clients_asg" {
					t.Errorf("lifecycle hook %s on group %s; only the Nomad clients' hooks belong to the dev stack", h.str("name"), g)
				}
			}
			if n := len(r.ofType("aws:autoscaling/group:Group")); n != 1 {
				t.Errorf("%d auto scaling groups, want only the Nomad clients'", n)
			}
		}},
		{"outputs as the Terraform installer printed them, and more", func(t *testing.T) {
			outs := map[string]string{
				"install_url":            "http://" + elasticIP + "/",
				"ssh_services":           "ssh ubuntu@" + elasticIP,
				"admin_console_url":      "http://" + elasticIP + ":8800",
				"services_private_ip":    servicesENIIP,
				"services_public_ip":     elasticIP,
				"bucket_name":            bucket,
				"shutdown_queue_url":     "https://sqs.eu-central-1.amazonaws.com/123456789012/circleci_shutdown_queue",
				"nomad_clients_asg_name": "circleci_nomad_clients_asg",
				"subnet_id":              "subnet-0f1e2d3c4b5a69788",
			}
			for k, v := range outs {
				want(t, "output "+k, r.outputs[k], any(v))
			}
			msg, _ := r.outputs["success_message"].(string)
			for _, s := range []string{"http://" + elasticIP + ":8800", "circleci-admin", "ssh ubuntu@" + elasticIP} {
				if !strings.Contains(msg, s) {
					t.Errorf("success_message lacks %q:\n%s", s, msg)
				}
			}
			if id, _ := r.outputs["vm_security_group_id"].(string); !strings.HasPrefix(id, "sg-") {
				t.Errorf("vm_security_group_id = %q", id)
			}
		}},
	}
	for _, row := range rows {
		t.Run(row.name, row.check)
	}
}
