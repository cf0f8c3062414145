package installer_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The fleets' launch templates say whether instances get a public IP,
// following the subnet's route unless clients_public_ip says otherwise, and
// preflight stops a plan that leaves them without a way out.
func TestFleets_PublicIPFollowsTheSubnet(t *testing.T) {
	t.Parallel()
	private := map[string]string{"services_public_ip": "false"}
	cases := []struct {
		name   string
		env    environment
		config map[string]string
		want   string // associatePublicIpAddress of both fleets; "" the plan fails
		says   string // what the failure names
	}{
		{"public subnet, auto", publicAccount(), nil, "true", ""},
		{"public subnet, false", publicAccount(), map[string]string{"clients_public_ip": "false"}, "", "clients_public_ip = false"},
		{"public subnet, false, behind a proxy", publicAccount(), map[string]string{"clients_public_ip": "false", "http_proxy": "http://proxy.internal:3128"}, "false", ""},
		{"NAT subnet, auto", withRoutes(natRoute), private, "false", ""},
		{"NAT subnet, true", withRoutes(natRoute), withKey(private, "clients_public_ip", "true"), "true", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cfg := with(t, withKey(c.config, "desired_builders_count", "1"))
			r := deployIn(t, c.env, cfg, cfg["aws_vpc_id"])
			if c.want == "" {
				if r.err == nil || !strings.Contains(r.err.Error(), c.says) {
					t.Fatalf("expected preflight to fail naming %q, found %v", c.says, r.err)
				}
				if n := len(r.custom()); n != 0 {
					t.Errorf("expected nothing created, found %d resources", n)
				}
				return
			}
			if r.err != nil {
				t.Fatal(r.err)
			}
			for _, name := range []string{"circleci_nomad_clients", "circleci_builders"} {
				lt := r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", name)
				if got := lt.str("networkInterfaces[0].associatePublicIpAddress"); got != c.want {
					t.Errorf("%s: associatePublicIpAddress expected %q, found %q", name, c.want, got)
				}
			}
		})
	}
}

// withKey is m with one more key.
func withKey(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for a, b := range m {
		out[a] = b
	}
	return out
}

// Nothing boots before its groups' rules exist: the provider strips AWS's
// default egress from each group it creates.
func TestFleets_MachinesWaitForTheirGroupsRules(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"desired_builders_count": "1"}))
	groupOf := map[string]string{} // security group id -> AWS name
	for _, sg := range r.ofType("aws:ec2/securityGroup:SecurityGroup") {
		groupOf[sg.ID] = sg.str("name")
	}
	rulesOf := map[string][]string{} // AWS group name -> "type::name" of its rules
	for _, typ := range []string{"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"} {
		for _, rule := range r.ofType(typ) {
			g := groupOf[rule.str("securityGroupId")]
			rulesOf[g] = append(rulesOf[g], rule.Type+"::"+rule.Name)
		}
	}
	machines := []struct {
		what string
		res  registered
		ids  []string
	}{
		{"the services instance", r.only(t, "aws:ec2/instance:Instance"), strs(r.only(t, "aws:ec2/networkInterface:NetworkInterface"), "securityGroups")},
		{"the Nomad client template", r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", "circleci_nomad_clients"), nil},
		{"the 1.0 builder template", r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", "circleci_builders"), nil},
	}
	for _, m := range machines {
		ids := m.ids
		if ids == nil {
			ids = strs(m.res, "networkInterfaces[0].securityGroups")
		}
		// The engine's URNs carry the parent chain; compare type and name.
		deps := map[string]bool{}
		for _, d := range m.res.Options.DependsOn {
			u := resource.URN(d)
			deps[string(u.Type())+"::"+u.Name()] = true
		}
		for _, g := range r.groupNames(t, ids) {
			if len(rulesOf[g]) == 0 {
				t.Errorf("%s: group %s has no rules at all", m.what, g)
			}
			for _, rule := range rulesOf[g] {
				if !deps[rule] {
					t.Errorf("%s does not wait for %s (a rule of %s)", m.what, rule, g)
				}
			}
		}
	}
	for _, name := range []string{"circleci_nomad_clients_asg", "circleci_builders_asg"} {
		g := r.named(t, "aws:autoscaling/group:Group", "name", name)
		if len(g.Options.DependsOn) == 0 {
			t.Errorf("%s depends on nothing", name)
		}
	}
}

// Only the images the plan boots are looked up; in a region without
// Canonical's 16.04 image the error names the keys that would do.
func TestImages_LookedUpOnlyWhenNeeded(t *testing.T) {
	t.Parallel()
	canonicalLookups := func(r *run) int {
		n := 0
		for _, inv := range r.invokes {
			if _, byOwner := inv.Args["owners"]; inv.Token == "aws:ec2/getAmi:getAmi" && byOwner {
				n++
			}
		}
		return n
	}
	both := map[string]string{"services_ami": "ami-0123456789abcdef0", "nomad_client_ami": "ami-0fedcba9876543210"}
	const v5, newer = "Your query returned no results. Please change your search criteria and try again.", "no matching EC2 AMI found"
	cases := []struct {
		name    string
		config  map[string]string
		noImage string // the provider's answer when there is none
		lookups int    // Canonical lookups
		fails   string // "" succeeds; else words of the error
	}{
		{"defaults: Ubuntu for the box and the clients", nil, "", 1, ""},
		{"every AMI given", both, "", 0, ""},
		{"every AMI given, in a region without the image", both, v5, 0, ""},
		{"ubuntu_ami entry for the region", map[string]string{"ubuntu_ami": `{"eu-central-1": "ami-0aaaaaaaaaaaaaaaa"}`}, v5, 0, ""},
		{"1.0 builders still need Ubuntu", withKey(both, "desired_builders_count", "1"), "", 1, ""},
		{"no image, defaults", nil, v5, 1, "services_ami (the services box); nomad_client_ami (the Nomad clients)"},
		{"no image, the newer provider's words", nil, newer, 1, "services_ami (the services box); nomad_client_ami (the Nomad clients)"},
		{"no image, builders and a box AMI", map[string]string{"services_ami": "ami-0123456789abcdef0", "desired_builders_count": "1"}, v5, 1, "nomad_client_ami (the Nomad clients); 1.0 builders"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := publicAccount()
			env.noCanonicalImage = c.noImage
			cfg := with(t, c.config)
			r := deployIn(t, env, cfg, cfg["aws_vpc_id"])
			if got := canonicalLookups(r); got != c.lookups {
				t.Errorf("Canonical lookups: expected %d, found %d", c.lookups, got)
			}
			switch {
			case c.fails == "" && r.err != nil:
				t.Errorf("expected success, found %v", r.err)
			case c.fails != "" && (r.err == nil || !strings.Contains(r.err.Error(), c.fails) || !strings.Contains(r.err.Error(), "ubuntu_ami.eu-central-1")):
				t.Errorf("expected an error naming %q and ubuntu_ami, found %v", c.fails, r.err)
			case c.fails != "" && len(r.custom()) != 0:
				t.Errorf("expected nothing created, found %d resources", len(r.custom()))
			}
		})
	}
}

// An instance type the subnet's zone does not offer fails preflight.
func TestPreflight_InstanceTypeNotInTheSubnetsZone(t *testing.T) {
	t.Parallel()
	env := publicAccount()
	env.missingFrom = map[string][]string{"m5.2xlarge": {"a"}} // the mocks' subnet is in zone a
	cfg := with(t, nil)
	r := deployIn(t, env, cfg, cfg["aws_vpc_id"])
	if r.err == nil {
		t.Fatal("expected preflight to fail")
	}
	for _, w := range []string{"services_instance_type = m5.2xlarge is not offered in eu-central-1a", "eu-central-1b, eu-central-1c", "nomad_client_instance_type"} {
		if !strings.Contains(r.err.Error(), w) {
			t.Errorf("the error lacks %q: %v", w, r.err)
		}
	}
}
