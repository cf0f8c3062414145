package installer_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/circleci-server-pulumi/installer/components"
)

func with(t *testing.T, overrides map[string]string) map[string]string {
	t.Helper()
	cfg := devConfig(t)
	for k, v := range overrides {
		if v == "<unset>" {
			delete(cfg, k)
			continue
		}
		cfg[k] = v
	}
	return cfg
}

// arnsIn lists every ARN in every input of the run.
func arnsIn(r *run) []string {
	var out []string
	for _, s := range r.allStrings() {
		out = append(out, arnRE.FindAllString(s, -1)...)
	}
	return out
}

func TestVariant_GovCloud(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"aws_region": "us-gov-west-1", "enable_govcloud": "true"}))
	arns := arnsIn(r)
	if len(arns) < 5 {
		t.Fatalf("expected the policies to name ARNs, found %v", arns)
	}
	for _, a := range arns {
		if !strings.HasPrefix(a, "arn:aws-us-gov:") {
			t.Errorf("ARN outside the aws-us-gov partition: %s", a)
		}
	}
	role := r.named(t, "aws:iam/role:Role", "name", "circleci_role")
	want(t, "EC2 principal", policyOf(t, role, "assumeRolePolicy").Statement[0].Principal["Service"], "ec2.amazonaws.com")
	assertAMIOwner(t, r, "513442679011")
}

func TestVariant_China(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"aws_region": "cn-north-1"}))
	for _, a := range arnsIn(r) {
		if !strings.HasPrefix(a, "arn:aws-cn:") {
			t.Errorf("ARN outside the aws-cn partition: %s", a)
		}
	}
	role := r.named(t, "aws:iam/role:Role", "name", "circleci_role")
	want(t, "EC2 principal", policyOf(t, role, "assumeRolePolicy").Statement[0].Principal["Service"], "ec2.amazonaws.com.cn")
	assertAMIOwner(t, r, "837727238323")
}

func assertAMIOwner(t *testing.T, r *run, owner string) {
	t.Helper()
	for _, c := range r.invokes {
		if c.Token != "aws:ec2/getAmi:getAmi" {
			continue
		}
		owners := c.Args["owners"].ArrayValue()
		if len(owners) != 1 || owners[0].StringValue() != owner {
			t.Errorf("AMI lookup owners = %v, want Canonical's account %s", owners, owner)
		}
		if !c.Args["includeDeprecated"].BoolValue() {
			t.Error("AMI lookup must include deprecated images: Ubuntu 16.04 is past standard support")
		}
		return
	}
	t.Fatal("no AMI lookup")
}

func TestVariant_CustomPrefix_NamesCarryItAndAreDisjoint(t *testing.T) {
	t.Parallel()
	a := mustDeploy(t, with(t, map[string]string{"prefix": "ci-eu_1"}))
	b := mustDeploy(t, with(t, map[string]string{"prefix": "ci-us"}))
	namesA, namesB := a.awsNames(), b.awsNames()
	if len(namesA) < 20 {
		t.Fatalf("only %d names found: %v", len(namesA), namesA)
	}
	inB := map[string]bool{}
	for _, n := range namesB {
		inB[n] = true
	}
	for _, n := range namesA {
		if !strings.Contains(n, "ci-eu_1") && !strings.Contains(n, "ci-eu-1") {
			t.Errorf("name %q does not carry the prefix", n)
		}
		if inB[n] {
			t.Errorf("name %q is used by both installations", n)
		}
	}
	a.named(t, "aws:s3/bucketV2:BucketV2", "bucket", "ci-eu-1-bucket-0a1b2c3d4e5f67890")
}

func TestVariant_NomadDisabled(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"enable_nomad": "0"}))
	for _, typ := range []string{"aws:autoscaling/group:Group", "aws:ec2/launchTemplate:LaunchTemplate", "circleci-server:aws:NomadClientFleet"} {
		if n := len(r.ofType(typ)); n != 0 {
			t.Errorf("%d %s with enable_nomad = 0", n, typ)
		}
	}
	for _, sg := range r.ofType("aws:ec2/securityGroup:SecurityGroup") {
		if n := sg.str("name"); n == "circleci_nomad_sg" || n == "circleci_ssh_sg" {
			t.Errorf("security group %s with enable_nomad = 0", n)
		}
	}
	if _, ok := r.outputs["nomad_clients_asg_name"]; ok {
		t.Error("nomad_clients_asg_name exported with enable_nomad = 0")
	}
}

func TestVariant_LegacyBuildersEnabled(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"desired_builders_count": "1", "max_builders_count": "3", "legacy_builder_spot_price": "0.25"}))
	g := r.named(t, "aws:autoscaling/group:Group", "name", "circleci_builders_asg")
	want(t, "desired", number(g, "desiredCapacity"), 1)
	want(t, "max", number(g, "maxSize"), 3)
	want(t, "force delete", boolean(g, "forceDelete"), true)
	lt := r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", "circleci_builders")
	want(t, "type", lt.str("instanceType"), "r5.2xlarge")
	want(t, "profile", lt.str("iamInstanceProfile.name"), "circleci_profile")
	want(t, "spot", lt.str("instanceMarketOptions.spotOptions.maxPrice"), "0.25")
	want(t, "root size", number(lt, "blockDeviceMappings[0].ebs.volumeSize"), 150)
	wantGroups(t, r, "1.0 builders", strs(lt, "networkInterfaces[0].securityGroups"), components.Attachments.Builders)
	hook := r.named(t, "aws:autoscaling/lifecycleHook:LifecycleHook", "name", "circleci_builders_shutdown_hook")
	want(t, "hook group", hook.str("autoscalingGroupName"), "circleci_builders_asg")
	want(t, "transition", hook.str("lifecycleTransition"), "autoscaling:EC2_INSTANCE_TERMINATING")
	want(t, "heartbeat", number(hook, "heartbeatTimeout"), 3600)
	want(t, "target queue", hook.str("notificationTargetArn"), "arn:aws:sqs:eu-central-1:123456789012:circleci_shutdown_queue")
	want(t, "queue role", hook.str("roleArn"), "arn:aws:iam::123456789012:role/circleci_shutdown_queue_role")
	script := lt.userData(t, "userData")
	for _, s := range []string{"circleci/builder-base:1.1", "SERVICES_PRIVATE_IP=" + servicesENIIP, "--env-file /etc/circleci/builder.env", "-d 169.254.169.254"} {
		if !strings.Contains(script, s) {
			t.Errorf("builder boot script lacks %q", s)
		}
	}
	if want, got := "circleci_builders_asg", r.outputs["builders_asg_name"]; got != want {
		t.Errorf("builders_asg_name = %v, want %v", got, want)
	}
}

func TestVariant_Route53Enabled(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"enable_route": "1", "route_name": "circleci.example.com", "route_zone_id": "Z0123456789ABCDEFGHIJ"}))
	rec := r.only(t, "aws:route53/record:Record")
	want(t, "zone", rec.str("zoneId"), "Z0123456789ABCDEFGHIJ")
	want(t, "name", rec.str("name"), "circleci.example.com")
	want(t, "type", rec.str("type"), "A")
	want(t, "ttl", number(rec, "ttl"), 300)
	want(t, "record", strings.Join(strs(rec, "records"), ","), elasticIP)
}

func TestVariant_PrivateInstall_UsesThePrivateAddress(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"services_public_ip": "false", "enable_route": "1", "route_name": "ci.internal.example.com", "route_zone_id": "Z0123456789ABCDEFGHIJ"}))
	if n := len(r.ofType("aws:ec2/eip:Eip")); n != 0 {
		t.Errorf("%d Elastic IPs for a private install", n)
	}
	want(t, "record", strings.Join(strs(r.only(t, "aws:route53/record:Record"), "records"), ","), servicesENIIP)
	want(t, "install_url", r.outputs["install_url"], any("http://"+servicesENIIP+"/"))
}

func TestVariant_UserDataDisabled(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"services_user_data_enabled": "false"}))
	i := r.only(t, "aws:ec2/instance:Instance")
	for _, p := range []string{"userData", "userDataBase64"} {
		if _, has := i.input(p); has {
			t.Errorf("services box has %s although services_user_data_enabled is false", p)
		}
	}
	if msg, _ := r.outputs["success_message"].(string); !strings.Contains(msg, "plain Ubuntu") {
		t.Errorf("success_message does not say the box boots without the installer:\n%s", msg)
	}
}

func TestVariant_ProxiesSet(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{
		"http_proxy": "http://proxy.example.com:3128", "https_proxy": "http://proxy.example.com:3129", "no_proxy": "localhost,.internal",
	}))
	scripts := map[string]string{
		"services":      r.only(t, "aws:ec2/instance:Instance").userData(t, "userDataBase64"),
		"nomad clients": r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", "circleci_nomad_clients").userData(t, "userData"),
	}
	// no_proxy always covers the metadata service, the VPC and, for the
	// clients, the services box by address.
	noProxy := map[string]string{
		"services":      `export no_proxy="localhost,.internal,169.254.169.254,169.254.169.123,10.0.0.0/16"`,
		"nomad clients": `export no_proxy="localhost,.internal,169.254.169.254,169.254.169.123,10.0.0.0/16,` + servicesENIIP + `"`,
	}
	for who, s := range scripts {
		for _, line := range []string{
			`export http_proxy="http://proxy.example.com:3128"`,
			`export https_proxy="http://proxy.example.com:3129"`,
			noProxy[who],
			"/etc/systemd/system/docker.service.d/http-proxy.conf",
		} {
			if !strings.Contains(s, line) {
				t.Errorf("%s boot script lacks %q", who, line)
			}
		}
	}
}

func TestVariant_ForceDestroyOff(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"force_destroy_s3_bucket": "false"}))
	want(t, "forceDestroy", boolean(r.only(t, "aws:s3/bucketV2:BucketV2"), "forceDestroy"), false)
}

func TestVariant_TerminationProtection(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ value, wantDesc string }{{"true", "on"}, {"false", "off"}} {
		r := mustDeploy(t, with(t, map[string]string{"services_disable_api_termination": c.value}))
		i := r.only(t, "aws:ec2/instance:Instance")
		want(t, "disableApiTermination with protection "+c.wantDesc, boolean(i, "disableApiTermination"), c.value == "true")
		// EC2 termination protection guards nothing against Pulumi (the
		// provider lifts it): the box is protected either way, by
		// services_allow_replacement (TestVariant_AllowReplacement).
		want(t, "Pulumi protect with termination protection "+c.wantDesc, i.Options.Protect, true)
	}
	// The default, as in the Terraform installer, is protection on.
	r := mustDeploy(t, with(t, map[string]string{"services_disable_api_termination": "<unset>"}))
	want(t, "default termination protection", boolean(r.only(t, "aws:ec2/instance:Instance"), "disableApiTermination"), true)
}

func TestVariant_AllowReplacement(t *testing.T) {
	t.Parallel()
	for _, allow := range []bool{false, true} {
		r := mustDeploy(t, with(t, map[string]string{"services_allow_replacement": strconv.FormatBool(allow)}))
		i := r.only(t, "aws:ec2/instance:Instance")
		eni := r.only(t, "aws:ec2/networkInterface:NetworkInterface")
		want(t, fmt.Sprintf("instance protected (allow %v)", allow), i.Options.Protect, !allow)
		want(t, fmt.Sprintf("network interface protected (allow %v)", allow), eni.Options.Protect, !allow)
		// The delete hook names the setting, for `pulumi destroy`, which
		// does not run the program.
		hooked := len(i.Options.BeforeDelete) == 1 && strings.Contains(i.Options.BeforeDelete[0], "services_allow_replacement-is-false")
		want(t, fmt.Sprintf("delete guard hook (allow %v)", allow), hooked, !allow)
	}
}

func TestVariant_IMDSv2Required(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"imds_http_tokens": "required"}))
	want(t, "services box tokens", r.only(t, "aws:ec2/instance:Instance").str("metadataOptions.httpTokens"), "required")
	lt := r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", "circleci_nomad_clients")
	want(t, "Nomad client tokens", lt.str("metadataOptions.httpTokens"), "required")
	want(t, "Nomad client hop limit (host only)", number(lt, "metadataOptions.httpPutResponseHopLimit"), 1)
}

func TestVariant_ExplicitAMIs(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"services_ami": "ami-0123456789abcdef0", "nomad_client_ami": "ami-0fedcba9876543210"}))
	i := r.only(t, "aws:ec2/instance:Instance")
	want(t, "services AMI", i.str("ami"), "ami-0123456789abcdef0")
	for _, ig := range i.Options.IgnoreChanges {
		if ig == "ami" {
			t.Error("an explicit services_ami must be applied, not ignored")
		}
	}
	lt := r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", "circleci_nomad_clients")
	want(t, "client AMI", lt.str("imageId"), "ami-0fedcba9876543210")

	// services_ami may be the box's own backup: it never boots Nomad clients.
	r = mustDeploy(t, with(t, map[string]string{"services_ami": "ami-0123456789abcdef0"}))
	lt = r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", "circleci_nomad_clients")
	want(t, "client AMI with only services_ami set", lt.str("imageId"), ubuntuAMI)
}

func TestVariant_FleetSizeFromConfig(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"max_clients_count": "12", "desired_clients_count": "7"}))
	g := r.named(t, "aws:autoscaling/group:Group", "name", "circleci_nomad_clients_asg")
	want(t, "max", number(g, "maxSize"), 12)
	want(t, "desired", number(g, "desiredCapacity"), 7)
}
