package components

import (
	"fmt"
	"strings"
	"testing"

	"github.com/circleci-server-pulumi/installer/config"
)

func planArgs(admin, users, rerun []string) SecurityGroupsArgs {
	c := &config.Config{Prefix: "circleci", AWSVPCID: "vpc-0a1b2c3d4e5f67890"}
	return SecurityGroupsArgs{
		VPCID: c.AWSVPCID, SubnetCIDR: "10.0.1.0/24", Names: c.Names(),
		AdminCIDRs: admin, UserCIDRs: users, SSHRerunCIDRs: rerun,
		EnableNomad: true, EnableBuilders: true,
	}
}

// machine lists the groups attached to each kind of machine, as
// Attachments (which the components are given) says.
var machine = map[string][]GroupKey{
	"services": Attachments.ServicesBox,
	"nomad":    Attachments.NomadClients,
	"builders": Attachments.Builders,
	"vm":       {Attachments.VM},
}

// admits says whether a rule on one of groups lets proto/port in from source.
func admits(rules []Rule, groups []GroupKey, proto string, port int, source string) bool {
	for _, r := range rules {
		if r.Egress {
			continue
		}
		in := false
		for _, g := range groups {
			in = in || r.Group == g
		}
		if !in || (r.Protocol != proto && r.Protocol != "-1") {
			continue
		}
		if r.Protocol != "-1" && (port < r.FromPort || port > r.ToPort) {
			continue
		}
		if r.CIDR == source || string(r.Peer) == source {
			return true
		}
	}
	return false
}

// The guide's "Server Ports" tables for a non-externalized install.
func TestSecurityGroupPlan_GuidePortTables(t *testing.T) {
	const admins, users, rerun, subnet, vms = "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "10.0.1.0/24", "198.51.100.77/32"
	a := planArgs([]string{admins}, []string{users}, []string{rerun})
	a.VMCIDRs = []string{vms}
	_, rules := SecurityGroupPlan(a)
	cases := []struct {
		machine, proto string
		port           int
		source, why    string
	}{
		{"services", "tcp", 80, users, "HTTP web app"},
		{"services", "tcp", 443, users, "HTTPS web app"},
		{"services", "tcp", 7171, users, "artifacts"},
		{"services", "tcp", 8081, users, "artifacts"},
		{"services", "tcp", 22, admins, "SSH"},
		{"services", "tcp", 8800, admins, "admin console"},
		{"services", "udp", 8125, subnet, "metrics from Nomad clients"},
		{"services", "tcp", 4647, subnet, "Nomad RPC from clients"},
		{"services", "tcp", 8585, subnet, "internal"},
		{"services", "tcp", 7171, subnet, "internal"},
		{"services", "tcp", 3001, subnet, "internal"},
		{"nomad", "tcp", 64535, rerun, "SSH into builds (low end)"},
		{"nomad", "tcp", 65535, rerun, "SSH into builds (high end)"},
		{"nomad", "tcp", 80, admins, "admin API"},
		{"nomad", "tcp", 443, admins, "admin API"},
		{"nomad", "tcp", 22, admins, "SSH"},
		{"nomad", "tcp", 4647, subnet, "internal from the services box"},
		{"nomad", "tcp", 8585, string(ServicesSG), "internal"},
		{"nomad", "tcp", 7171, string(ServicesSG), "internal"},
		{"nomad", "tcp", 3001, string(ServicesSG), "internal"},
		{"services", "tcp", 5432, string(BuildersSG), "all traffic from 1.0 builders"},
		{"builders", "tcp", 443, string(ServicesSG), "builder API from the services box"},
		{"builders", "tcp", 64535, rerun, "SSH into 1.0 builds"},
		{"builders", "udp", 53, string(BuildersSG), "all traffic among 1.0 builders"},
		{"vm", "tcp", 22, rerun, "SSH into VM jobs"},
		{"vm", "tcp", 2376, subnet, "remote Docker over private addresses"},
		{"vm", "tcp", 22, subnet, "SSH from Nomad clients and vm-service over private addresses"},
		{"vm", "tcp", 54782, rerun, "rerun VM jobs with SSH"},
		{"vm", "tcp", 2376, vms, "remote Docker over public addresses"},
		{"vm", "tcp", 22, vms, "SSH from Nomad clients and vm-service over public addresses"},
	}
	for _, c := range cases {
		if !admits(rules, machine[c.machine], c.proto, c.port, c.source) {
			t.Errorf("%s: %d/%s from %s (%s) is not open", c.machine, c.port, c.proto, c.source, c.why)
		}
	}
	// And closed to everyone else.
	for _, c := range cases {
		if admits(rules, machine[c.machine], c.proto, c.port, "0.0.0.0/0") {
			t.Errorf("%s: %d/%s is open to the internet although no *_cidr_blocks key says so", c.machine, c.port, c.proto)
		}
	}
}

func TestSecurityGroupPlan_NothingOpenToTheInternetUnlessConfigured(t *testing.T) {
	_, rules := SecurityGroupPlan(planArgs([]string{"10.0.0.0/8"}, []string{"10.0.0.0/8"}, nil))
	for _, r := range rules {
		if !r.Egress && r.CIDR == "0.0.0.0/0" {
			t.Errorf("%s %s is open to 0.0.0.0/0", r.Group, r.Ports())
		}
	}
	_, open := SecurityGroupPlan(planArgs([]string{"0.0.0.0/0"}, nil, nil))
	if !admits(open, machine["services"], "tcp", 8800, "0.0.0.0/0") {
		t.Error("admin_cidr_blocks = 0.0.0.0/0 does not open the admin console")
	}
}

func TestSecurityGroupPlan_RulesAreWellFormed(t *testing.T) {
	groups, rules := SecurityGroupPlan(planArgs([]string{"10.0.1.0/24", "192.0.2.0/24"}, []string{"0.0.0.0/0", "10.0.1.0/24"}, []string{"0.0.0.0/0"}))
	known := map[GroupKey]bool{}
	for _, g := range groups {
		known[g.Key] = true
	}
	names := map[string]bool{}
	for _, r := range rules {
		name := RuleName(r)
		if names[name] {
			t.Errorf("duplicate rule %s (AWS refuses duplicates)", name)
		}
		names[name] = true
		if !known[r.Group] || (r.Peer != "" && !known[r.Peer]) {
			t.Errorf("rule %s refers to an unknown group", name)
		}
		if (r.CIDR == "") == (r.Peer == "") {
			t.Errorf("rule %s needs exactly one source", name)
		}
		switch r.Protocol {
		case "-1":
		case "tcp", "udp":
			if r.FromPort < 0 || r.ToPort > 65535 || r.FromPort > r.ToPort {
				t.Errorf("rule %s has ports %d-%d", name, r.FromPort, r.ToPort)
			}
		default:
			t.Errorf("rule %s has protocol %q", name, r.Protocol)
		}
		if d := r.Description(); len(d) > 255 || strings.ContainsAny(d, `'"<>`) {
			t.Errorf("rule %s: description %q is not one AWS accepts", name, d)
		}
	}
}

// Attachments keeps the Terraform installer's assignment of groups to
// machines (shared/docs/anchor-parity.md: rows 13, 15 and 20; vm_sg is the
// group the services script hands vm-service, row 12): the wiring tests
// (installer, e2e) read Attachments, so this is where it is checked.
func TestAttachments_AsTheTerraformInstaller(t *testing.T) {
	cases := []struct {
		machine string
		got     []GroupKey
		want    []GroupKey
	}{
		{"services box", Attachments.ServicesBox, []GroupKey{ServicesSG, UsersSG}},
		{"Nomad clients", Attachments.NomadClients, []GroupKey{NomadSG, SSHSG}},
		{"1.0 builders", Attachments.Builders, []GroupKey{BuildersSG, BuildersAdminSG, UsersSG}},
		{"VMs", []GroupKey{Attachments.VM}, []GroupKey{VMSG}},
	}
	for _, c := range cases {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: in %v, want %v", c.machine, c.got, c.want)
		}
	}
}
