package adopt

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/components"
	"github.com/circleci-server-pulumi/installer/config"
	"github.com/circleci-server-pulumi/installer/internal/stackfile"
)

// install describes a synthetic installation of the Terraform installer,
// rendered as a state the way enterprise-setup (circleci.tf and its
// modules) and terraform-provider-aws leave it.
type install struct {
	prefix, vpc, subnet, cidr, region, account string
	builders                                   int  // desired 1.0 builders (the group exists always)
	nomad                                      bool // enable_nomad
	route                                      bool // enable_route
	extra                                      []tfResource
}

func defaultInstall() install {
	return install{prefix: "circleci", vpc: "vpc-0a1b2c3d4e5f67890", subnet: "subnet-0f1e2d3c4b5a69788", cidr: "10.0.1.0/24",
		region: "eu-central-1", account: "123456789012", nomad: true}
}

// tfResource is one resource of a state file (format version 4).
type tfResource struct {
	Module    string          `json:"module,omitempty"`
	Mode      string          `json:"mode"`
	Type      string          `json:"type"`
	Name      string          `json:"name"`
	Each      string          `json:"each,omitempty"`
	Provider  string          `json:"provider"`
	Instances []stateInstance `json:"instances"`
}

// stateInstance is one instance of a resource of a state file.
type stateInstance struct {
	IndexKey   any            `json:"index_key,omitempty"`
	Attributes map[string]any `json:"attributes"`
}

func managed(module, typ, name string, attrs map[string]any) tfResource {
	return tfResource{Module: module, Mode: "managed", Type: typ, Name: name, Provider: "provider.aws", Instances: []stateInstance{{Attributes: attrs}}}
}

func counted(module, typ, name string, attrs map[string]any) tfResource {
	r := managed(module, typ, name, attrs)
	r.Each = "list"
	r.Instances[0].IndexKey = 0
	return r
}

func dataSource(module, typ, name string, attrs map[string]any) tfResource {
	r := managed(module, typ, name, attrs)
	r.Mode = "data"
	return r
}

// sgRule is an inline rule block as terraform-provider-aws stores it.
func sgRule(proto string, from, to int, cidrs []string, groups []string, self bool) map[string]any {
	if cidrs == nil {
		cidrs = []string{}
	}
	if groups == nil {
		groups = []string{}
	}
	return map[string]any{"cidr_blocks": cidrs, "description": "", "from_port": from, "ipv6_cidr_blocks": []string{}, "prefix_list_ids": []string{},
		"protocol": proto, "security_groups": groups, "self": self, "to_port": to}
}

var anywhere = []string{"0.0.0.0/0"}

// Group ids of the synthetic installation.
const (
	sgBuilders      = "sg-0068404e558ff13cc"
	sgServices      = "sg-0004415360e55ba52"
	sgBuildersAdmin = "sg-0051a4f1a2b3c4d5e"
	sgUsers         = "sg-00214bea25b061b26"
	sgVM            = "sg-00a13f9a1f3ddad7a"
	sgNomad         = "sg-00e5984b2534d52cf"
	sgSSH           = "sg-009aee01ff9d8874f"
	instanceID      = "i-0123456789abcdef0"
	primaryENI      = "eni-0aa11bb22cc33dd44"
	oldPublicIP     = "203.0.113.77"
	nomadLC         = "terraform-20200710101010101000000001"
	buildersLC      = "terraform-20200710101010101000000002"
	zoneID          = "Z0123456789ABCDEFGHIJ"
	routeName       = "circleci.example.com"
	servicesAMI     = "ami-0a1b2c3d4e5f60718"
)

func (in install) resources() []tfResource {
	p, region, acct := in.prefix, in.region, in.account
	bucket := strings.ReplaceAll(p, "_", "-") + "-bucket-" + strings.TrimPrefix(in.vpc, "vpc-")
	queueARN := fmt.Sprintf("arn:aws:sqs:%s:%s:%s_shutdown_queue", region, acct, p)
	sg := func(name, desc, id string, ingress, egress []map[string]any) map[string]any {
		if egress == nil {
			egress = []map[string]any{}
		}
		return map[string]any{"id": id, "name": name, "description": desc, "vpc_id": in.vpc, "arn": fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", region, acct, id),
			"ingress": ingress, "egress": egress, "tags": nil, "revoke_rules_on_delete": false}
	}
	allOut := []map[string]any{sgRule("-1", 0, 0, anywhere, nil, false)}
	subnet := []string{in.cidr}
	rs := []tfResource{
		dataSource("", "aws_subnet", "subnet", map[string]any{"id": in.subnet, "cidr_block": in.cidr, "vpc_id": in.vpc, "availability_zone": region + "a"}),
		dataSource("", "template_file", "services_user_data", map[string]any{"id": "abc", "rendered": "#!/bin/bash\n...", "template": "...",
			"vars": map[string]any{config.KeyCircleSecretPassphrase: "sekrit-passphrase", "aws_region": region}}),
		dataSource("", "template_file", "circleci_policy", map[string]any{"id": "def", "rendered": "{}", "vars": map[string]any{"aws_region": region}}),
		managed("module.shutdown_sqs", "aws_sqs_queue", "mod_queue", map[string]any{
			"id": fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s_shutdown_queue", region, acct, p), "name": p + "_shutdown_queue", "arn": queueARN,
			"kms_master_key_id": "", "tags": nil}),
		managed("module.shutdown_sqs", "aws_iam_role", "mod_role", map[string]any{
			"id": p + "_shutdown_queue_role", "name": p + "_shutdown_queue_role", "arn": fmt.Sprintf("arn:aws:iam::%s:role/%s_shutdown_queue_role", acct, p), "path": "/", "description": "",
			"assume_role_policy": `{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":"autoscaling.amazonaws.com"},"Action":"sts:AssumeRole"}]}`}),
		managed("module.shutdown_sqs", "aws_iam_role_policy", "mod_role_policy", map[string]any{
			"id": p + "_shutdown_queue_role:" + p + "_shutdown_queue_role", "name": p + "_shutdown_queue_role", "role": p + "_shutdown_queue_role",
			"policy": `{"Version":"2012-10-17","Statement":[{"Action":["sqs:GetQueueUrl","sqs:SendMessage"],"Effect":"Allow","Resource":["` + queueARN + `"]}]}`}),
		managed("", "aws_s3_bucket", "circleci_bucket", map[string]any{
			"id": bucket, "bucket": bucket, "arn": "arn:aws:s3:::" + bucket, "region": region, "force_destroy": false, "acl": "private",
			"cors_rule": []map[string]any{{"allowed_headers": []string{}, "allowed_methods": []string{"GET"}, "allowed_origins": []string{"*"}, "expose_headers": []string{}, "max_age_seconds": 3600}}}),
		managed("", "aws_iam_role", "circleci_role", map[string]any{
			"id": p + "_role", "name": p + "_role", "arn": fmt.Sprintf("arn:aws:iam::%s:role/%s_role", acct, p), "path": "/", "description": "",
			"assume_role_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}`}),
		managed("", "aws_iam_role_policy", "circleci_policy", map[string]any{
			"id": p + "_role:" + p + "_policy", "name": p + "_policy", "role": p + "_role", "policy": installerPolicy(p, bucket, queueARN, region)}),
		managed("", "aws_iam_instance_profile", "circleci_profile", map[string]any{
			"id": p + "_profile", "name": p + "_profile", "role": p + "_role", "arn": fmt.Sprintf("arn:aws:iam::%s:instance-profile/%s_profile", acct, p), "path": "/"}),
		managed("", "aws_security_group", "circleci_builders_sg", sg(p+"_builders_sg", "SG for CircleCI Builder instances", sgBuilders,
			[]map[string]any{sgRule("-1", 0, 0, nil, nil, true)}, allOut)),
		managed("", "aws_security_group", "circleci_services_sg", sg(p+"_services_sg", "SG for CircleCI services/database instances", sgServices,
			[]map[string]any{sgRule("-1", 0, 0, nil, []string{sgBuilders}, false)}, allOut)),
		managed("", "aws_security_group", "circleci_builders_admin_sg", sg(p+"_builders_admin_sg", "SG for services to masters communication - avoids circular dependency", sgBuildersAdmin,
			[]map[string]any{sgRule("tcp", 443, 443, nil, []string{sgServices}, false)}, nil)),
		managed("", "aws_security_group", "circleci_users_sg", sg(p+"_users_sg", "SG representing users of CircleCI Enterprise", sgUsers, []map[string]any{
			sgRule("tcp", 22, 22, anywhere, nil, false), sgRule("tcp", 80, 80, anywhere, nil, false), sgRule("tcp", 443, 443, anywhere, nil, false),
			sgRule("tcp", 8800, 8800, anywhere, nil, false), sgRule("tcp", 4647, 4647, subnet, nil, false), sgRule("tcp", 8585, 8585, subnet, nil, false),
			sgRule("tcp", 7171, 7171, subnet, nil, false), sgRule("tcp", 3001, 3001, subnet, nil, false), sgRule("tcp", 64535, 65535, anywhere, nil, false),
		}, nil)),
		managed("", "aws_security_group", "circleci_vm_sg", sg(p+"_vm_sg", "SG for VMs allocated by CircleCI for Remote Docker and machine executor", sgVM, []map[string]any{
			sgRule("tcp", 22, 22, anywhere, nil, false), sgRule("tcp", 2376, 2376, anywhere, nil, false), sgRule("tcp", 54782, 54782, anywhere, nil, false),
		}, allOut)),
		managed("", "aws_instance", "services", map[string]any{
			"id": instanceID, "ami": servicesAMI, "instance_type": "m5.2xlarge", "key_name": "circleci-admin", "subnet_id": in.subnet,
			"availability_zone": region + "a", "public_ip": oldPublicIP, "private_ip": "10.0.1.10", "primary_network_interface_id": primaryENI,
			"associate_public_ip_address": true, "disable_api_termination": true, "iam_instance_profile": p + "_profile",
			"arn":                    fmt.Sprintf("arn:aws:ec2:%s:%s:instance/%s", region, acct, instanceID),
			"vpc_security_group_ids": []string{sgServices, sgUsers}, "tags": map[string]any{"Name": p + "_services"},
			"user_data":         "5f8d7c1f0e2a9b3c4d5e6f708192a3b4c5d6e7f8",
			"root_block_device": []map[string]any{{"volume_id": "vol-0123456789abcdef0", "volume_type": "gp2", "volume_size": 150, "delete_on_termination": false, "encrypted": false, "iops": 450}},
			"metadata_options":  []map[string]any{{"http_endpoint": "enabled", "http_tokens": "optional", "http_put_response_hop_limit": 1}},
		}),
		managed("module.legacy_builder", "aws_launch_configuration", "mod_lc", map[string]any{
			"id": buildersLC, "name": buildersLC, "image_id": "ami-0b1c2d3e4f5061728", "instance_type": "r5.2xlarge", "key_name": "circleci-admin",
			"iam_instance_profile": p + "_profile", "security_groups": []string{sgBuilders, sgBuildersAdmin, sgUsers}, "spot_price": "",
			"root_block_device": []map[string]any{{"volume_type": "gp2", "volume_size": 150, "delete_on_termination": false}}}),
		managed("module.legacy_builder", "aws_autoscaling_group", "mod_asg", map[string]any{
			"id": p + "_builders_asg", "name": p + "_builders_asg", "arn": fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:uuid:autoScalingGroupName/%s_builders_asg", region, acct, p),
			"launch_configuration": buildersLC, "max_size": 2, "min_size": 0, "desired_capacity": in.builders, "force_delete": true,
			"vpc_zone_identifier": []string{in.subnet}, "tag": []map[string]any{{"key": "Name", "value": p + "_builders", "propagate_at_launch": true}}}),
		managed("module.legacy_builder", "aws_autoscaling_lifecycle_hook", "mod_shutdown_hook", map[string]any{
			"id": p + "_builders_shutdown_hook", "name": p + "_builders_shutdown_hook", "autoscaling_group_name": p + "_builders_asg",
			"default_result": "ABANDON", "heartbeat_timeout": 3600, "lifecycle_transition": "autoscaling:EC2_INSTANCE_TERMINATING",
			"notification_target_arn": queueARN, "role_arn": fmt.Sprintf("arn:aws:iam::%s:role/%s_shutdown_queue_role", acct, p)}),
		dataSource("module.legacy_builder_user_data", "template_file", "mod", map[string]any{"id": "ghi", "rendered": "...",
			"vars": map[string]any{config.KeyCircleSecretPassphrase: "sekrit-passphrase"}}),
	}
	if in.nomad {
		rs = append(rs,
			counted("module.nomad", "aws_security_group", "nomad_sg", sg(p+"_nomad_sg", "SG for CircleCI nomad server/client", sgNomad, []map[string]any{
				sgRule("tcp", 4646, 4648, subnet, nil, false), sgRule("tcp", 64535, 65535, anywhere, nil, false),
			}, allOut)),
			counted("module.nomad", "aws_security_group", "ssh_sg", sg(p+"_ssh_sg", "SG for SSH access", sgSSH, []map[string]any{
				sgRule("tcp", 22, 22, anywhere, nil, false),
			}, allOut)),
			counted("module.nomad", "aws_launch_configuration", "clients_lc", map[string]any{
				"id": nomadLC, "name": nomadLC, "image_id": servicesAMI, "instance_type": "m5.2xlarge", "key_name": "circleci-admin",
				"security_groups": []string{sgNomad, sgSSH}, "spot_price": "",
				"root_block_device": []map[string]any{{"volume_type": "gp2", "volume_size": 200, "delete_on_termination": true}}}),
			counted("module.nomad", "aws_autoscaling_group", "clients_asg", map[string]any{
				"id": p + "_nomad_clients_asg", "name": p + "_nomad_clients_asg", "arn": fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:uuid:autoScalingGroupName/%s_nomad_clients_asg", region, acct, p),
				"launch_configuration": nomadLC, "max_size": 2, "min_size": 0, "desired_capacity": 1, "force_delete": true,
				"vpc_zone_identifier": []string{in.subnet}, "tag": []map[string]any{{"key": "Name", "value": p + "-nomad-client", "propagate_at_launch": true}}}),
			dataSource("module.nomad.module.cloudinit", "template_file", "nomad_user_data", map[string]any{"id": "jkl", "rendered": "...", "vars": map[string]any{"nomad_server": "10.0.1.10"}}),
		)
	}
	if in.route {
		rs = append(rs, counted("", "aws_route53_record", "services_route", map[string]any{
			"id": zoneID + "_" + routeName + "_A", "zone_id": zoneID, "name": routeName, "type": "A", "ttl": 300, "records": []string{oldPublicIP}, "fqdn": routeName}))
	}
	return append(rs, in.extra...)
}

// installerPolicy renders enterprise-setup's templates/circleci_policy.tpl.
func installerPolicy(p, bucket, queueARN, region string) string {
	b := "arn:aws:s3:::" + bucket
	return `{"Version":"2012-10-17","Statement":[` +
		`{"Action":["s3:*"],"Effect":"Allow","Resource":["` + b + `","` + b + `/*"]},` +
		`{"Action":["sqs:*"],"Effect":"Allow","Resource":["` + queueARN + `"]},` +
		`{"Action":["ec2:Describe*","ec2:CreateTags","cloudwatch:*","iam:GetUser","autoscaling:CompleteLifecycleAction"],"Resource":["*"],"Effect":"Allow"},` +
		`{"Action":["ec2:RunInstances","ec2:CreateVolume","ec2:CreateTags"],"Effect":"Allow","Resource":"arn:aws:ec2:` + region + `:*"},` +
		`{"Action":["ec2:Describe*"],"Effect":"Allow","Resource":"*"},` +
		`{"Action":["ec2:StartInstances","ec2:StopInstances","ec2:TerminateInstances","ec2:AttachVolume","ec2:DetachVolume","ec2:DeleteVolume"],"Effect":"Allow","Resource":"arn:aws:ec2:` + region + `:*:*/*","Condition":{"StringEquals":{"ec2:ResourceTag/ManagedBy":"circleci-vm-service"}}},` +
		`{"Action":["iam:GetRole","sts:AssumeRole"],"Resource":["arn:aws:iam::*:role/` + p + `_role"],"Effect":"Allow"}]}`
}

// stateFile renders the installation as terraform.tfstate (version 4).
func (in install) stateFile(t *testing.T) []byte {
	t.Helper()
	b, err := json.MarshalIndent(map[string]any{"version": 4, "terraform_version": "0.12.31", "serial": 42, "lineage": "9a8b7c6d",
		"outputs": map[string]any{}, "resources": in.resources()}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (in install) state(t *testing.T) *State {
	t.Helper()
	st, err := ParseState(in.stateFile(t), "terraform.tfstate")
	if err != nil {
		t.Fatalf("the synthetic state does not parse: %v", err)
	}
	return st
}

func mustPlan(t *testing.T, st *State, vars *TFVars) *Adoption {
	t.Helper()
	a, err := Plan(st, vars)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return a
}

func findTarget(a *Adoption, name string) (Target, bool) {
	for _, t := range a.Targets {
		if t.Name == name {
			return t, true
		}
	}
	return Target{}, false
}

func targetsOf(a *Adoption, address string) []Target {
	var out []Target
	for _, t := range a.Targets {
		if t.From.Address == address {
			out = append(out, t)
		}
	}
	return out
}

func createdNames(a *Adoption) map[string]bool {
	out := map[string]bool{}
	for _, c := range a.Created {
		out[c.Name] = true
	}
	return out
}

const (
	parentSG       = "circleci-server:aws:SecurityGroups::security-groups"
	parentServices = "circleci-server:aws:ServicesBox::services"
	parentNomad    = "circleci-server:aws:NomadClientFleet::nomad-clients"
	parentBuilders = "circleci-server:aws:LegacyBuilders::builders"
)

// Every object of a default installation becomes the program's resource of
// the right type, name and parent, imported by the id terraform-provider-aws
// documents for it.
func TestPlan_MapsEveryObjectOfADefaultInstallation(t *testing.T) {
	a := mustPlan(t, defaultInstall().state(t), nil)
	for _, tc := range []struct {
		address, typ, name, parent, id string
		action                         Action
	}{
		{"module.shutdown_sqs.aws_sqs_queue.mod_queue", "aws:sqs/queue:Queue", "shutdown-queue-queue", "circleci-server:aws:ShutdownQueue::shutdown-queue", "https://sqs.eu-central-1.amazonaws.com/123456789012/circleci_shutdown_queue", ActionImport},
		{"module.shutdown_sqs.aws_iam_role.mod_role", "aws:iam/role:Role", "shutdown-queue-role", "circleci-server:aws:ShutdownQueue::shutdown-queue", "circleci_shutdown_queue_role", ActionImport},
		{"module.shutdown_sqs.aws_iam_role_policy.mod_role_policy", "aws:iam/rolePolicy:RolePolicy", "shutdown-queue-role-policy", "circleci-server:aws:ShutdownQueue::shutdown-queue", "circleci_shutdown_queue_role:circleci_shutdown_queue_role", ActionImport},
		{"aws_s3_bucket.circleci_bucket", "aws:s3/bucketV2:BucketV2", "artifacts-bucket", "circleci-server:aws:ArtifactStore::artifacts", "circleci-bucket-0a1b2c3d4e5f67890", ActionImport},
		{"aws_s3_bucket.circleci_bucket", "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2", "artifacts-cors", "circleci-server:aws:ArtifactStore::artifacts", "circleci-bucket-0a1b2c3d4e5f67890", ActionImport},
		{"aws_iam_role.circleci_role", "aws:iam/role:Role", "iam-role", "circleci-server:aws:IAM::iam", "circleci_role", ActionImport},
		{"aws_iam_role_policy.circleci_policy", "aws:iam/rolePolicy:RolePolicy", "iam-policy", "circleci-server:aws:IAM::iam", "circleci_role:circleci_policy", ActionImport},
		{"aws_iam_instance_profile.circleci_profile", "aws:iam/instanceProfile:InstanceProfile", "iam-profile", "circleci-server:aws:IAM::iam", "circleci_profile", ActionImport},
		{"aws_security_group.circleci_builders_sg", "aws:ec2/securityGroup:SecurityGroup", "security-groups-builders", parentSG, sgBuilders, ActionImport},
		{"aws_security_group.circleci_services_sg", "aws:ec2/securityGroup:SecurityGroup", "security-groups-services", parentSG, sgServices, ActionImport},
		{"aws_security_group.circleci_builders_admin_sg", "aws:ec2/securityGroup:SecurityGroup", "security-groups-builders-admin", parentSG, sgBuildersAdmin, ActionImport},
		{"aws_security_group.circleci_users_sg", "aws:ec2/securityGroup:SecurityGroup", "security-groups-users", parentSG, sgUsers, ActionImport},
		{"aws_security_group.circleci_vm_sg", "aws:ec2/securityGroup:SecurityGroup", "security-groups-vm", parentSG, sgVM, ActionImport},
		{"module.nomad.aws_security_group.nomad_sg[0]", "aws:ec2/securityGroup:SecurityGroup", "security-groups-nomad", parentSG, sgNomad, ActionImport},
		{"module.nomad.aws_security_group.ssh_sg[0]", "aws:ec2/securityGroup:SecurityGroup", "security-groups-ssh", parentSG, sgSSH, ActionImport},
		{"aws_instance.services", "aws:ec2/instance:Instance", "services-instance", parentServices, instanceID, ActionImport},
		{"aws_instance.services", "aws:ec2/networkInterface:NetworkInterface", "services-eni", parentServices, primaryENI, ActionImport},
		{"module.nomad.aws_launch_configuration.clients_lc[0]", "aws:ec2/launchTemplate:LaunchTemplate", "nomad-clients-launch-template", parentNomad, "", ActionReplaceNextTo},
		{"module.nomad.aws_autoscaling_group.clients_asg[0]", "aws:autoscaling/group:Group", "nomad-clients-asg", parentNomad, "circleci_nomad_clients_asg", ActionImport},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := findTarget(a, tc.name)
			if !ok {
				t.Fatalf("no target named %s; want %s to become it", tc.name, tc.address)
			}
			if got.From.Address != tc.address || got.Type != tc.typ || got.Parent != tc.parent || got.ID != tc.id || got.Action != tc.action {
				t.Errorf("%s:\n got  from %s: %s %s parent %q id %q action %s\n want from %s: %s %s parent %q id %q action %s",
					tc.name, got.From.Address, got.Type, got.Name, got.Parent, got.ID, got.Action, tc.address, tc.typ, tc.name, tc.parent, tc.id, tc.action)
			}
			if got.FirstUp == "" {
				t.Errorf("%s has no FirstUp", tc.name)
			}
		})
	}
	// 1.0 builders are off (the group wants 0): their objects are left and deleted by hand.
	for _, addr := range []string{"module.legacy_builder.aws_launch_configuration.mod_lc", "module.legacy_builder.aws_autoscaling_group.mod_asg", "module.legacy_builder.aws_autoscaling_lifecycle_hook.mod_shutdown_hook"} {
		ts := targetsOf(a, addr)
		if len(ts) != 1 || ts[0].Action != ActionLeave {
			t.Errorf("%s with 1.0 builders off: got %+v, want one target with action leave", addr, ts)
		}
	}
	for _, addr := range []string{"data.aws_subnet.subnet", "data.template_file.services_user_data", "module.legacy_builder_user_data.data.template_file.mod", "module.nomad.module.cloudinit.data.template_file.nomad_user_data"} {
		ts := targetsOf(a, addr)
		if len(ts) != 1 || ts[0].Action != ActionData {
			t.Errorf("%s: got %+v, want one target with action data", addr, ts)
		}
	}
	if a.Prefix != "circleci" || a.Region != "eu-central-1" {
		t.Errorf("prefix, region = %q, %q; want circleci, eu-central-1", a.Prefix, a.Region)
	}
}

// Every Terraform object appears in the targets: none is dropped silently.
func TestPlan_EveryObjectHasATarget(t *testing.T) {
	in := defaultInstall()
	in.route = true
	in.builders = 1
	st := in.state(t)
	a := mustPlan(t, st, nil)
	for _, o := range st.Objects {
		if len(targetsOf(a, o.Address)) == 0 {
			t.Errorf("%s has no target", o.Address)
		}
	}
}

// devVars reads the example stack (Pulumi.dev.yaml) as the tfvars of an
// adoption: the configuration dev-plan.golden was made from.
func devVars(t *testing.T) *TFVars {
	t.Helper()
	cfg, err := stackfile.Load("../Pulumi.dev.yaml", "circleci-server", "circleci-dev-example")
	if err != nil {
		t.Fatalf("loading Pulumi.dev.yaml: %v", err)
	}
	v := &TFVars{Values: map[string]string{}, Secret: map[string]bool{}}
	for k, val := range cfg.Values {
		v.Values[k] = val
	}
	return v
}

// goldenResource is one resource of installer/testdata/dev-plan.golden.
type goldenResource struct{ typ, name, parent string }

// readGolden reads the type, name and parent (as type::name, "" for the
// stack) of every resource the program registers for the example stack, and
// the URN of each parent.
func readGolden(t *testing.T) (map[string]goldenResource, map[string]string) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "installer", "testdata", "dev-plan.golden"))
	if err != nil {
		t.Fatalf("reading the program's plan: %v", err)
	}
	defer f.Close()
	out, parentURNs := map[string]goldenResource{}, map[string]string{}
	var cur *goldenResource
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line != "" && !strings.HasPrefix(line, " ") && strings.Contains(line, ":") && !strings.HasSuffix(line, "resources"):
			typ, name, _ := strings.Cut(line, " ")
			cur = &goldenResource{typ: typ, name: name}
		case cur != nil && strings.HasPrefix(line, "  parent: "):
			urn := strings.TrimPrefix(line, "  parent: ")
			_, parent, _ := strings.Cut(urn, "::circleci-server::")
			if strings.HasPrefix(parent, "pulumi:pulumi:Stack::") {
				parent = ""
			}
			cur.parent = parent
			parentURNs[parent] = urn
			out[cur.name] = *cur
			cur = nil
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 50 {
		t.Fatalf("read only %d resources from dev-plan.golden", len(out))
	}
	return out, parentURNs
}

// With the example stack's configuration, every resource of the program's
// plan (dev-plan.golden) is either imported from, created next to, or
// created beside the Terraform installation, under exactly the program's
// type, logical name and parent, and nothing else is.
func TestPlan_CoversTheProgramsPlanExactly(t *testing.T) {
	golden, _ := readGolden(t)
	a := mustPlan(t, defaultInstall().state(t), devVars(t))
	got := map[string]goldenResource{}
	add := func(typ, name, parent, from string) {
		if prev, dup := got[name]; dup {
			t.Errorf("%s is both %v and, from %s, %s %s", name, prev, from, typ, parent)
		}
		got[name] = goldenResource{typ, name, parent}
	}
	for _, tg := range a.Targets {
		if tg.Action == ActionImport || tg.Action == ActionReplaceNextTo {
			add(tg.Type, tg.Name, tg.Parent, tg.Address())
		}
	}
	for _, c := range a.Created {
		add(c.Type, c.Name, c.Parent, "created")
	}
	for name, want := range golden {
		if want.typ == "pulumi:providers:aws" || strings.HasPrefix(want.typ, "circleci-server:") {
			continue // the provider and the components: ImportFile's
		}
		if name == resEIP.name {
			// The adoption sets services_launched_by_terraform, under which
			// the program registers no Elastic IP (installer's
			// TestServicesBox_LaunchedByTerraform); the golden is the dev
			// stack's.
			if _, ok := got[name]; ok {
				t.Errorf("the adoption imports or creates %s; an adopted box keeps its own public address", name)
			}
			continue
		}
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("the program registers %s %s (parent %s), which the adoption neither imports nor lists as created", want.typ, name, want.parent)
		case g != want:
			t.Errorf("%s: the adoption has %s parent %q; the program registers %s parent %q", name, g.typ, g.parent, want.typ, want.parent)
		}
	}
	for name, g := range got {
		if _, ok := golden[name]; !ok {
			t.Errorf("the adoption has %s %s (parent %s), which the program does not register for this configuration", g.typ, name, g.parent)
		}
	}
}

// The CORS rule the adoption compares with is the program's.
func TestProgramCORS_IsTheProgramsInput(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "installer", "testdata", "dev-plan.golden"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), typeBucketCORS+" "+resBucketCORS.name+"\n")
	if !ok {
		t.Fatalf("dev-plan.golden has no %s %s", typeBucketCORS, resBucketCORS.name)
	}
	_, inputs, _ := strings.Cut(rest, "  inputs: ")
	end := strings.Index(inputs, "\n  }\n")
	var in struct {
		CorsRules []struct {
			AllowedMethods []string `json:"allowedMethods"`
			AllowedOrigins []string `json:"allowedOrigins"`
			MaxAgeSeconds  int      `json:"maxAgeSeconds"`
		} `json:"corsRules"`
	}
	if err := json.Unmarshal([]byte(inputs[:end+4]), &in); err != nil {
		t.Fatalf("the CORS inputs in dev-plan.golden: %v", err)
	}
	if len(in.CorsRules) != 1 || !sameStrings(in.CorsRules[0].AllowedMethods, programCORS.Methods) ||
		!sameStrings(in.CorsRules[0].AllowedOrigins, programCORS.Origins) || in.CorsRules[0].MaxAgeSeconds != programCORS.MaxAge {
		t.Errorf("the program's CORS rules are %+v; the adoption compares with %+v", in.CorsRules, programCORS)
	}
}

// installer.go names the components as the adoption's parents do, and
// those dev-plan.golden has not (the 1.0 builders, the DNS record) have the
// children the adoption imports into them.
func TestComponents_AreNamedAsInstallerGoNamesThem(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join("..", "installer", "installer.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{} // constructor -> name
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !strings.HasPrefix(sel.Sel.Name, "New") {
			return true
		}
		if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			names[sel.Sel.Name], _ = strconv.Unquote(lit.Value)
		}
		return true
	})
	for ctor, c := range map[string]component{
		"NewPassphrase": compPassphrase, "NewShutdownQueue": compShutdownQueue, "NewArtifactStore": compArtifacts, "NewIAM": compIAM,
		"NewSecurityGroups": compSecurityGroups, "NewServicesBox": compServices, "NewServicesSnapshots": compSnapshots,
		"NewDNS": compDNS, "NewNomadClientFleet": compNomad, "NewLegacyBuilders": compBuilders, "NewProvider": {name: providerName},
	} {
		if names[ctor] != c.name {
			t.Errorf("installer.go calls %s with the name %q; the adoption uses %q", ctor, names[ctor], c.name)
		}
	}

	// The children of the two components the example stack leaves out.
	got := registrations(t, func(ctx *pulumi.Context) error {
		if _, err := components.NewLegacyBuilders(ctx, compBuilders.name, components.LegacyBuildersArgs{
			Fleet: components.Fleet{InstanceSettings: components.InstanceSettings{KeyName: "k", IMDSHTTPTokens: "optional", VolumeType: "gp3"},
				LaunchTemplateName: "p_builders", GroupName: "p_builders_asg", NameTag: "p_builders", Image: components.Image{ID: "ami-0123456789abcdef0", RootDeviceName: "/dev/sda1"},
				InstanceType: "r5.2xlarge", SubnetID: "subnet-1", SecurityGroupIDs: pulumi.StringArray{pulumi.String("sg-1")}, VolumeSize: 150, Max: 2, Desired: 1},
			HookName: "p_builders_shutdown_hook", InstanceProfile: pulumi.String("p_profile"), Region: "eu-central-1",
			PassphraseParameter: pulumi.String("/p/circle_secret_passphrase"), ServicesPrivateIP: pulumi.String("10.0.1.10"),
			QueueARN: pulumi.String("arn:aws:sqs:eu-central-1:1:q"), QueueRoleARN: pulumi.String("arn:aws:iam::1:role/r"),
		}); err != nil {
			return err
		}
		_, err := components.NewDNS(ctx, compDNS.name, components.DNSArgs{ZoneID: zoneID, Name: routeName, Address: pulumi.String("198.51.100.1")})
		return err
	})
	for _, r := range []programResource{resBuildersLT, resBuildersASG, resBuildersHook, resRecord} {
		if want := (goldenResource{r.typ, r.name, r.parent.String()}); got[r.name] != want {
			t.Errorf("the component registers %+v; the adoption has %+v", got[r.name], want)
		}
	}
}

// registrations runs components under mocks and returns what they register.
func registrations(t *testing.T, program func(*pulumi.Context) error) map[string]goldenResource {
	t.Helper()
	m := &mockRegistry{seen: map[string]goldenResource{}}
	if err := pulumi.RunErr(program, pulumi.WithMocks("circleci-server", "dev", m)); err != nil {
		t.Fatalf("running the components: %v", err)
	}
	return m.seen
}

type mockRegistry struct{ seen map[string]goldenResource }

func (m *mockRegistry) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	parent := ""
	if u := resource.URN(args.RegisterRPC.GetParent()); u != "" && u.Type() != "pulumi:pulumi:Stack" {
		parent = string(u.Type()) + "::" + u.Name()
	}
	m.seen[args.Name] = goldenResource{args.TypeToken, args.Name, parent}
	outs := args.Inputs.Copy()
	outs["latestVersion"] = resource.NewNumberProperty(1)
	outs["name"] = resource.NewStringProperty(args.Name)
	return args.Name + "-id", outs, nil
}

func (m *mockRegistry) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

// With 1.0 builders on and a DNS record, their objects are imported too.
func TestPlan_BuildersAndRoute53(t *testing.T) {
	in := defaultInstall()
	in.prefix, in.builders, in.route = "ci_prod", 1, true
	a := mustPlan(t, in.state(t), nil)
	for _, tc := range []struct {
		address, name, parent, id string
		action                    Action
	}{
		{"module.legacy_builder.aws_launch_configuration.mod_lc", "builders-launch-template", parentBuilders, "", ActionReplaceNextTo},
		{"module.legacy_builder.aws_autoscaling_group.mod_asg", "builders-asg", parentBuilders, "ci_prod_builders_asg", ActionImport},
		{"module.legacy_builder.aws_autoscaling_lifecycle_hook.mod_shutdown_hook", "builders-shutdown-hook", parentBuilders, "ci_prod_builders_asg/ci_prod_builders_shutdown_hook", ActionImport},
		{"aws_route53_record.services_route[0]", "dns-record", "circleci-server:aws:DNS::dns", zoneID + "_" + routeName + "_A", ActionImport},
	} {
		got, ok := findTarget(a, tc.name)
		if !ok || got.From.Address != tc.address || got.Parent != tc.parent || got.ID != tc.id || got.Action != tc.action {
			t.Errorf("%s: got %+v (found %v); want from %s, parent %s, id %q, action %s", tc.name, got, ok, tc.address, tc.parent, tc.id, tc.action)
		}
	}
	// The builders' rules exist now, so the installer's are imported.
	for _, name := range []string{"security-groups-builders-in-all-builders", "security-groups-builders-admin-in-tcp-443-443-services", "security-groups-users-in-tcp-64535-65535-0.0.0.0-0"} {
		if got, ok := findTarget(a, name); !ok || got.Action != ActionImport || got.Rule == nil {
			t.Errorf("%s: got %+v (found %v); want the installer's inline rule imported", name, got, ok)
		}
	}
	if hook, _ := findTarget(a, "builders-shutdown-hook"); !strings.Contains(hook.FirstUp, "ABANDON → CONTINUE") {
		t.Errorf("builders-shutdown-hook FirstUp = %q; want it to say the default result changes ABANDON → CONTINUE", hook.FirstUp)
	}
	// The adopted box keeps its public address, and the record already names it.
	if rec, _ := findTarget(a, "dns-record"); rec.FirstUp != "nothing" {
		t.Errorf("dns-record FirstUp = %q; want nothing: the record names the box's own address %s, which adoption keeps", rec.FirstUp, oldPublicIP)
	}
	for k, want := range map[string]string{
		config.KeyPrefix: "ci_prod", config.KeyEnableRoute: "1", config.KeyRouteName: routeName, config.KeyRouteZoneID: zoneID,
		config.KeyDesiredBuildersCount: "1", config.KeyMaxBuildersCount: "2", config.KeyBuilderInstanceType: "r5.2xlarge", config.KeyBuilderVolumeSize: "150",
	} {
		if a.Extra[k] != want {
			t.Errorf("Extra[%s] = %q; want %q", k, a.Extra[k], want)
		}
	}
}

// The keys that describe what exists, so that the first preview does not
// look up newer images or resize the fleet.
func TestPlan_ExtraDescribesTheExistingObjects(t *testing.T) {
	a := mustPlan(t, defaultInstall().state(t), nil)
	want := map[string]string{
		config.KeyPrefix: "circleci", config.KeyAWSRegion: "eu-central-1", config.KeyAWSVPCID: "vpc-0a1b2c3d4e5f67890", config.KeyAWSSubnetID: "subnet-0f1e2d3c4b5a69788",
		config.KeyAWSSSHKeyName: "circleci-admin", config.KeyServicesAMI: servicesAMI, config.KeyServicesInstanceType: "m5.2xlarge",
		config.KeyServicesLaunchedByTerraform:   "true",
		config.KeyServicesDisableAPITermination: "true", config.KeyServicesDeleteOnTermination: "false", config.KeyServicesVolumeSize: "150",
		config.KeyEnableNomad: "1", config.KeyMaxClientsCount: "2", config.KeyDesiredClientsCount: "1",
		config.KeyNomadClientAMI: servicesAMI, config.KeyNomadClientInstanceType: "m5.2xlarge", config.KeyNomadClientVolumeSize: "200",
		config.KeyMaxBuildersCount: "2", config.KeyDesiredBuildersCount: "0", config.KeyForceDestroyS3Bucket: "false",
	}
	for k, v := range want {
		if a.Extra[k] != v {
			t.Errorf("Extra[%s] = %q; want %q (from the state)", k, a.Extra[k], v)
		}
	}
	for k := range a.Extra {
		if _, ok := want[k]; !ok {
			t.Errorf("Extra has %s = %q, which this test does not expect", k, a.Extra[k])
		}
	}
	if _, ok := a.Extra[config.KeyRootVolumeType]; ok {
		t.Errorf("Extra sets %s; the adoption leaves it to the program's default (gp3, an in-place change)", config.KeyRootVolumeType)
	}
	// The values make a valid stack configuration.
	values := map[string]string{config.KeyCircleSecretPassphrase: "x"}
	for k, v := range a.Extra {
		values[k] = v
	}
	if _, _, err := config.Parse(func(k string) (string, bool, bool) { v, ok := values[k]; return v, ok, true }); err != nil {
		t.Errorf("Extra is not a valid stack configuration: %v", err)
	}
}

// The inline rules: each one the program makes is imported under the
// program's rule name with a lookup; the others are left, with the command
// that revokes them; the program's rules Terraform lacked are created.
func TestPlan_MatchesInlineRulesToTheProgramsRules(t *testing.T) {
	a := mustPlan(t, defaultInstall().state(t), devVars(t))
	imported := map[string]Rule{}
	var left []Target
	for _, tg := range a.Targets {
		switch {
		case tg.Rule != nil && tg.Action == ActionImport:
			if tg.ID != "" {
				t.Errorf("%s has the id %q; an inline rule's id is looked up", tg.Name, tg.ID)
			}
			imported[tg.Name] = *tg.Rule
		case tg.Rule != nil:
			left = append(left, tg)
		}
	}
	for name, want := range map[string]Rule{
		"security-groups-users-in-tcp-443-443-0.0.0.0-0":     {GroupID: sgUsers, Direction: Ingress, Protocol: "tcp", FromPort: 443, ToPort: 443, CIDR: "0.0.0.0/0"},
		"security-groups-users-in-tcp-4647-4647-10.0.1.0-24": {GroupID: sgUsers, Direction: Ingress, Protocol: "tcp", FromPort: 4647, ToPort: 4647, CIDR: "10.0.1.0/24"},
		"security-groups-services-in-all-builders":           {GroupID: sgServices, Direction: Ingress, Protocol: "-1", FromPort: -1, ToPort: -1, SourceGroupID: sgBuilders},
		"security-groups-services-out-all-0.0.0.0-0":         {GroupID: sgServices, Direction: Egress, Protocol: "-1", FromPort: -1, ToPort: -1, CIDR: "0.0.0.0/0"},
		"security-groups-nomad-in-tcp-64535-65535-0.0.0.0-0": {GroupID: sgNomad, Direction: Ingress, Protocol: "tcp", FromPort: 64535, ToPort: 65535, CIDR: "0.0.0.0/0"},
		"security-groups-vm-in-tcp-2376-2376-0.0.0.0-0":      {GroupID: sgVM, Direction: Ingress, Protocol: "tcp", FromPort: 2376, ToPort: 2376, CIDR: "0.0.0.0/0"},
	} {
		if got, ok := imported[name]; !ok || got != want {
			t.Errorf("%s: imported %+v (found %v); want the inline rule %+v", name, got, ok, want)
		}
	}
	// admin_cidr_blocks is 203.0.113.0/24 in the example stack: the
	// installer's SSH and admin console rules open to the internet are not
	// the program's, nor are the 1.0 builders' with builders off.
	wantLeft := map[string]bool{
		sgUsers + " ingress tcp 22 from 0.0.0.0/0":              true,
		sgUsers + " ingress tcp 8800 from 0.0.0.0/0":            true,
		sgUsers + " ingress tcp 64535-65535 from 0.0.0.0/0":     true,
		sgSSH + " ingress tcp 22 from 0.0.0.0/0":                true,
		sgBuilders + " ingress all from " + sgBuilders:          true,
		sgBuildersAdmin + " ingress tcp 443 from " + sgServices: true,
	}
	for _, tg := range left {
		key := tg.Rule.GroupID + " " + tg.Rule.String()
		if !wantLeft[key] {
			t.Errorf("left %s; the program makes that rule", key)
		}
		delete(wantLeft, key)
		if tg.Action != ActionLeave || !strings.Contains(tg.Note, "remove it by hand or it stays open") {
			t.Errorf("%s: action %s, note %q; want leave, remove it by hand or it stays open", key, tg.Action, tg.Note)
		}
	}
	for k := range wantLeft {
		t.Errorf("%s is not left, though the program does not make it", k)
	}
	revoke := "aws ec2 revoke-security-group-ingress --region eu-central-1 --group-id " + sgUsers + " --ip-permissions 'IpProtocol=tcp,FromPort=8800,ToPort=8800,IpRanges=[{CidrIp=0.0.0.0/0}]'"
	if !hasStep(a.Cleanup, revoke) {
		t.Errorf("no cleanup step runs\n  %s\ncleanup: %+v", revoke, a.Cleanup)
	}
	selfRevoke := "aws ec2 revoke-security-group-ingress --region eu-central-1 --group-id " + sgBuilders + " --ip-permissions 'IpProtocol=-1,UserIdGroupPairs=[{GroupId=" + sgBuilders + "}]'"
	if !hasStep(a.Cleanup, selfRevoke) {
		t.Errorf("no cleanup step runs\n  %s", selfRevoke)
	}
	created := createdNames(a)
	for _, name := range []string{"security-groups-users-in-tcp-22-22-203.0.113.0-24", "security-groups-users-in-udp-8125-8125-10.0.1.0-24", "security-groups-nomad-in-tcp-8585-8585-services", "security-groups-vm-in-tcp-22-22-10.0.1.0-24"} {
		if !created[name] {
			t.Errorf("%s is not listed as created; the installer has no such rule", name)
		}
	}
}

func hasStep(steps []Step, command string) bool {
	for _, s := range steps {
		if s.Command == command {
			return true
		}
	}
	return false
}

// What the first up does, concretely, from what differs between the state
// and the program's inputs.
func TestPlan_FirstUpSaysWhatChanges(t *testing.T) {
	a := mustPlan(t, defaultInstall().state(t), devVars(t))
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"services-instance", []string{"update in place", "root volume gp2 → gp3 (EBS ModifyVolume", "circleci:prefix=circleci", "circleci:snapshots=circleci", "metadata hop limit 1 → 2"}},
		{"services-eni", []string{"update in place", "description", "Name=circleci_services"}},
		{"security-groups-users", []string{"update in place", "Name=circleci_users_sg"}},
		{"artifacts-cors", []string{"nothing: the same rule (GET from *, max age 3600 s)"}},
		{"artifacts-bucket", []string{"update in place", "tags (circleci:prefix=circleci, environment=dev, owner=platform-team)"}},
		{"shutdown-queue-queue", []string{"SQS-managed encryption on"}},
		{"iam-policy", []string{"adds ReadPassphrase (ssm:GetParameter); statement ids added"}},
		{"shutdown-queue-role-policy", []string{"update in place: policy document: the same grants, with statement ids (PostLifecycleMessages)"}},
		{"iam-role", []string{"description added"}},
		{"nomad-clients-asg", []string{"launch configuration " + nomadLC + " → launch template circleci_nomad_clients", "instance refresh", "circleci:prefix=circleci"}},
		{"nomad-clients-launch-template", []string{"creates the launch template circleci_nomad_clients next to it", "rolls its instances"}},
		{"security-groups-users-in-tcp-443-443-0.0.0.0-0", []string{`description "" → "HTTPS web app, API and webhooks - users (` + config.KeyUserCIDRBlocks + `)"`}},
	} {
		got, ok := findTarget(a, tc.name)
		if !ok {
			t.Errorf("no target %s", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(got.FirstUp, w) {
				t.Errorf("%s FirstUp = %q\n  lacks %q", tc.name, got.FirstUp, w)
			}
		}
	}
	// The installer's trust policies grant what the program's do: only
	// the formatting differs, which is no change.
	if role, _ := findTarget(a, "iam-role"); strings.Contains(role.FirstUp, "trust policy") {
		t.Errorf("iam-role FirstUp = %q; the trust policies grant the same", role.FirstUp)
	}
	// Nothing of the services box is replaced, and its address stays: no
	// Elastic IP is created (services_launched_by_terraform).
	inst, _ := findTarget(a, "services-instance")
	for _, never := range []string{"replace", "networkInterfaces", "encrypted"} {
		if strings.Contains(inst.FirstUp, never) {
			t.Errorf("services-instance FirstUp = %q; an adopted box is described as Terraform made it, so it must not say %q", inst.FirstUp, never)
		}
	}
	if sg, _ := findTarget(a, "security-groups-users"); !strings.Contains(sg.Note, `keeps the Terraform installer's description "SG representing users of CircleCI Enterprise"`) {
		t.Errorf("security-groups-users Note = %q; want it to say the description is kept", sg.Note)
	}
	created := map[string]NewObject{}
	for _, c := range a.Created {
		created[c.Name] = c
	}
	if eip, ok := created["services-eip"]; ok {
		t.Errorf("services-eip is created (%+v); an adopted box keeps its own public address %s", eip, oldPublicIP)
	}
	for _, name := range []string{"artifacts-ownership", "artifacts-public-access-block", "artifacts-encryption", "passphrase-parameter", "nomad-clients-join-hook", "nomad-clients-drain-hook", "services-snapshots-policy"} {
		if _, ok := created[name]; !ok {
			t.Errorf("%s is not listed as created", name)
		}
	}
	for _, w := range []string{"holds " + config.KeyCircleSecretPassphrase + " in plaintext"} {
		if !hasWarning(a, w) {
			t.Errorf("no warning says %q; warnings:\n  %s", w, strings.Join(a.Warnings, "\n  "))
		}
	}
	if !hasStep(a.Cleanup, "aws autoscaling delete-launch-configuration --region eu-central-1 --launch-configuration-name "+nomadLC) {
		t.Errorf("no cleanup step deletes the Nomad launch configuration %s: %+v", nomadLC, a.Cleanup)
	}
}

func hasWarning(a *Adoption, part string) bool {
	for _, w := range a.Warnings {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

// An encrypted gp3 root volume changes nothing and asks for no manual step.
func TestPlan_NoBlockerWhenNothingIsFixedAtCreation(t *testing.T) {
	in := defaultInstall()
	rs := in.resources()
	for i := range rs {
		if rs[i].Type == "aws_instance" {
			rs[i].Instances[0].Attributes["root_block_device"] = []map[string]any{{"volume_type": "gp3", "volume_size": 150, "delete_on_termination": false, "encrypted": true}}
		}
	}
	st := stateOf(t, rs)
	a := mustPlan(t, st, nil)
	inst, _ := findTarget(a, "services-instance")
	if strings.Contains(inst.FirstUp, "encrypted") || strings.Contains(inst.FirstUp, "gp2 → gp3") {
		t.Errorf("services-instance FirstUp = %q; the volume is gp3 and encrypted already", inst.FirstUp)
	}
	if len(a.Manual) != 0 {
		t.Errorf("manual steps %+v; an encrypted gp3 volume needs none", a.Manual)
	}
}

func stateOf(t *testing.T, rs []tfResource) *State {
	t.Helper()
	b, err := json.Marshal(map[string]any{"version": 4, "terraform_version": "1.5.7", "resources": rs})
	if err != nil {
		t.Fatal(err)
	}
	st, err := ParseState(b, "terraform.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Plan refuses what is not one installation of the Terraform installer.
func TestPlan_Refuses(t *testing.T) {
	withoutBox := func() []tfResource {
		var out []tfResource
		for _, r := range defaultInstall().resources() {
			if r.Type != "aws_instance" {
				out = append(out, r)
			}
		}
		return out
	}
	other := install{prefix: "ci_prod", vpc: "vpc-0a1b2c3d4e5f67890", subnet: "subnet-0f1e2d3c4b5a69788", cidr: "10.0.1.0/24", region: "eu-central-1", account: "123456789012", nomad: true}
	var otherBox, otherSG tfResource
	for _, r := range other.resources() {
		switch {
		case r.Type == "aws_instance":
			otherBox = r
			otherBox.Name = "services_prod"
		case r.Type == "aws_security_group" && r.Name == "circleci_users_sg":
			otherSG = r
			otherSG.Name = "prod_users_sg"
		}
	}
	for _, tc := range []struct {
		name string
		rs   []tfResource
		vars map[string]string
		want []string
	}{
		{"no services box", withoutBox(), nil, []string{"no services box (aws_instance tagged Name=<prefix>_services) in terraform.tfstate: adoption needs one"}},
		{"two services boxes of two prefixes", append(defaultInstall().resources(), otherBox), nil, []string{"two installations", `"circleci"`, `"ci_prod"`, "aws_instance.services_prod"}},
		{"a group of another prefix", append(defaultInstall().resources(), otherSG), nil, []string{"objects of two installations", `"circleci"`, `"ci_prod"`, "aws_security_group.prod_users_sg", "ci_prod_users_sg"}},
		{"tfvars of another prefix", defaultInstall().resources(), map[string]string{config.KeyPrefix: "ci_prod"}, []string{config.KeyPrefix + ` = "ci_prod"`, "circleci_services", "different installations"}},
		{"tfvars of another region", defaultInstall().resources(), map[string]string{config.KeyAWSRegion: "us-east-1"}, []string{config.KeyAWSRegion + ` = "us-east-1"`, "eu-central-1", "different installations"}},
		{"tfvars of another VPC", defaultInstall().resources(), map[string]string{config.KeyAWSVPCID: "vpc-0fff"}, []string{config.KeyAWSVPCID + ` = "vpc-0fff"`, "vpc-0a1b2c3d4e5f67890"}},
		{"tfvars of another subnet", defaultInstall().resources(), map[string]string{config.KeyAWSSubnetID: "subnet-0fff"}, []string{config.KeyAWSSubnetID + ` = "subnet-0fff"`, "subnet-0f1e2d3c4b5a69788"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var vars *TFVars
			if tc.vars != nil {
				vars = &TFVars{Values: tc.vars}
			}
			a, err := Plan(stateOf(t, tc.rs), vars)
			if err == nil {
				t.Fatalf("Plan succeeded (prefix %q, %d targets); want an error saying %q", a.Prefix, len(a.Targets), tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\n  lacks %q", err, w)
				}
			}
		})
	}
}

// Objects the installer does not make are listed and warned about, never
// imported.
func TestPlan_WarnsAboutObjectsItDoesNotKnow(t *testing.T) {
	in := defaultInstall()
	in.extra = []tfResource{
		managed("", "aws_cloudwatch_metric_alarm", "cpu", map[string]any{"id": "cpu-high", "alarm_name": "cpu-high"}),
		managed("", "aws_security_group", "bastion", map[string]any{"id": "sg-0bbb", "name": "bastion", "vpc_id": in.vpc, "description": "x", "ingress": []any{}, "egress": []any{}}),
		managed("", "aws_iam_role", "jenkins", map[string]any{"id": "jenkins_role", "name": "jenkins_role", "path": "/"}),
	}
	a := mustPlan(t, in.state(t), nil)
	for _, addr := range []string{"aws_cloudwatch_metric_alarm.cpu", "aws_security_group.bastion", "aws_iam_role.jenkins"} {
		ts := targetsOf(a, addr)
		if len(ts) != 1 || ts[0].Action != ActionLeave || ts[0].Name != "" {
			t.Errorf("%s: %+v; want one target, leave, becoming nothing", addr, ts)
		}
		if !hasWarning(a, addr) {
			t.Errorf("no warning names %s", addr)
		}
	}
}

// The tfvars' settings shape the plan: a tfvars without the prefix of a
// state whose prefix is not the default is a warning.
func TestPlan_WarnsWhenTheTFVarsLeaveTheNonDefaultPrefixOut(t *testing.T) {
	in := defaultInstall()
	in.prefix = "ci_prod"
	a := mustPlan(t, in.state(t), &TFVars{Values: map[string]string{config.KeyAWSRegion: "eu-central-1"}})
	if !hasWarning(a, "do not set "+config.KeyPrefix) {
		t.Errorf("no warning that the tfvars do not set %s: %q", config.KeyPrefix, a.Warnings)
	}
	if a.Extra[config.KeyPrefix] != "ci_prod" {
		t.Errorf("Extra[%s] = %q; want ci_prod", config.KeyPrefix, a.Extra[config.KeyPrefix])
	}
}

// Without the Nomad fleet, its objects are neither expected nor created.
func TestPlan_WithoutNomad(t *testing.T) {
	in := defaultInstall()
	in.nomad = false
	a := mustPlan(t, in.state(t), nil)
	if a.Extra[config.KeyEnableNomad] != "0" {
		t.Errorf("Extra[%s] = %q; want 0", config.KeyEnableNomad, a.Extra[config.KeyEnableNomad])
	}
	for name := range createdNames(a) {
		if strings.HasPrefix(name, "nomad-clients") || strings.HasPrefix(name, "security-groups-nomad") || strings.HasPrefix(name, "security-groups-ssh") {
			t.Errorf("%s is created without the Nomad fleet", name)
		}
	}
}
