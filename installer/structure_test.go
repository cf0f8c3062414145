package installer_test

import (
	"strings"
	"testing"
)

// Every AWS object is a child of a component, named after it, created
// through the one explicit provider.
func TestStructure_ChildrenParentedNamedAndOnTheExplicitProvider(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"desired_builders_count": "1", "enable_route": "1", "route_name": "ci.example.com", "route_zone_id": "Z0123456789ABCDEFGHIJ"}))
	components := map[string]registered{}
	for _, res := range r.resources {
		if !res.Custom {
			components[res.URN] = res
			if !strings.HasPrefix(res.Type, "circleci-server:aws:") {
				t.Errorf("component %s has a type token outside circleci-server:aws", res)
			}
		}
	}
	for _, want := range []string{"IAM", "ArtifactStore", "ServicesBox", "NomadClientFleet", "ShutdownQueue", "SecurityGroups", "LegacyBuilders", "DNS", "Passphrase"} {
		found := false
		for _, c := range components {
			found = found || c.Type == "circleci-server:aws:"+want
		}
		if !found {
			t.Errorf("no %s component", want)
		}
	}
	providers := r.ofType("pulumi:providers:aws")
	if len(providers) != 1 {
		t.Fatalf("want one explicit AWS provider, have %d", len(providers))
	}
	p := providers[0]
	want(t, "provider region", p.str("region"), "eu-central-1")
	v, ok := p.input("defaultTags.tags")
	if !ok {
		t.Fatal("provider has no default tags")
	}
	tags := v.ObjectValue()
	want(t, "default tag circleci:prefix", tags["circleci:prefix"].StringValue(), "circleci")
	want(t, "default tag from the tags key", tags["owner"].StringValue(), "platform-team")

	for _, res := range r.custom() {
		parent, ok := components[res.Parent]
		if !ok {
			t.Errorf("%s is not parented to a component (parent %q)", res, res.Parent)
			continue
		}
		if !strings.HasPrefix(res.Name, parent.Name+"-") {
			t.Errorf("%s: name is not derived from its component %q", res, parent.Name)
		}
		if !strings.Contains(res.Options.Provider, "pulumi:providers:aws::aws") {
			t.Errorf("%s does not use the explicit provider (provider %q)", res, res.Options.Provider)
		}
	}
}

// The services box keeps its address when it is replaced: the network
// interface is its own resource and the instance gives it up first.
func TestStructure_ServicesBoxAddressOutlivesTheInstance(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, devConfig(t))
	i := r.only(t, "aws:ec2/instance:Instance")
	if !i.Options.DeleteBeforeReplace {
		t.Error("the services instance must be deleted before its replacement, which needs its network interface")
	}
	if _, has := i.input("subnetId"); has {
		t.Error("the instance sets its own subnet: its address would change with it")
	}
	eip := r.only(t, "aws:ec2/eip:Eip")
	want(t, "EIP domain", eip.str("domain"), "vpc")
	if eip.str("networkInterface") == "" {
		t.Error("the Elastic IP is not on the network interface")
	}
	lt := r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", "circleci_nomad_clients")
	// The Nomad fleet is configured from the interface's address, which
	// exists before the instance boots.
	if !strings.Contains(lt.userData(t, "userData"), servicesENIIP+":4647") {
		t.Error("Nomad clients are not pointed at the network interface's address")
	}
	ignored := strings.Join(i.Options.IgnoreChanges, ",")
	if !strings.Contains(ignored, "ami") {
		t.Errorf("a looked-up AMI must not replace the services box when Canonical publishes a newer image; ignoreChanges = %q", ignored)
	}
}

// Every security group rule is its own resource with a description, and
// the groups carry none inline.
func TestStructure_SecurityGroupRulesAreSeparateAndDescribed(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, devConfig(t))
	for _, sg := range r.ofType("aws:ec2/securityGroup:SecurityGroup") {
		for _, inline := range []string{"ingress", "egress"} {
			if v, has := sg.input(inline); has && v.IsArray() && len(v.ArrayValue()) > 0 {
				t.Errorf("%s has inline %s rules", sg.str("name"), inline)
			}
		}
	}
	rules := append(r.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), r.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")...)
	if len(rules) < 25 {
		t.Fatalf("only %d rules", len(rules))
	}
	for _, rule := range rules {
		if len(rule.str("description")) < 10 {
			t.Errorf("%s has no useful description: %q", rule, rule.str("description"))
		}
	}
	// 8125/udp (metrics) from the Nomad clients' subnet reaches the services box.
	found := false
	for _, rule := range r.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
		found = found || (rule.str("ipProtocol") == "udp" && number(rule, "fromPort") == 8125 && rule.str("cidrIpv4") == subnetCIDR)
	}
	if !found {
		t.Error("no 8125/udp rule from the Nomad clients to the services box")
	}
	// The dev stack narrows admin access: 22 and 8800 are not open to the world.
	for _, rule := range r.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
		if p := number(rule, "fromPort"); (p == 22 || p == 8800) && rule.str("cidrIpv4") == "0.0.0.0/0" && !strings.Contains(rule.str("description"), "rerun") {
			t.Errorf("port %v open to 0.0.0.0/0 although admin_cidr_blocks is narrowed: %s", p, rule.str("description"))
		}
	}
}
