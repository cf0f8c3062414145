package components

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
)

// Security group keys. Each names one group of the Terraform installer.
const (
	BuildersSG      = "builders"       // 1.0 builders, among themselves
	ServicesSG      = "services"       // the services box, internal traffic
	BuildersAdminSG = "builders_admin" // 1.0 builders, reached by the services box
	UsersSG         = "users"          // the services box (and 1.0 builders), reached by people
	VMSG            = "vm"             // VMs that vm-service launches for remote Docker and machine jobs
	NomadSG         = "nomad"          // Nomad clients
	SSHSG           = "ssh"            // SSH into Nomad clients
)

// Group is one security group.
type Group struct {
	Key         string
	Name        string
	Description string
}

// Rule is one ingress or egress rule, with a single source or destination:
// either a CIDR block or another group of the installation.
type Rule struct {
	Group    string // the group the rule belongs to
	Egress   bool
	Protocol string // "tcp", "udp" or "-1" (all)
	FromPort int
	ToPort   int
	CIDR     string // a CIDR block, or
	Peer     string // the key of a group of this installation
	Who      string // who the rule admits, for people
	Why      string // what the traffic is for, from the guide's port tables
}

// Ports renders the rule's port range for people.
func (r Rule) Ports() string {
	switch {
	case r.Protocol == "-1":
		return "all"
	case r.FromPort == r.ToPort:
		return fmt.Sprintf("%d/%s", r.FromPort, r.Protocol)
	}
	return fmt.Sprintf("%d-%d/%s", r.FromPort, r.ToPort, r.Protocol)
}

// Description is the rule's description in AWS: what it is for and whom it admits.
func (r Rule) Description() string {
	d := r.Why + " - " + r.Who
	if len(d) > 255 {
		d = d[:255]
	}
	return d
}

// SecurityGroupsArgs configures the installation's security groups.
type SecurityGroupsArgs struct {
	VpcID          string
	SubnetCIDR     string // everything this installer launches lives in that subnet
	Names          config.Names
	AdminCIDRs     []string
	UserCIDRs      []string
	SSHRerunCIDRs  []string
	EnableNomad    bool
	EnableBuilders bool
}

// SecurityGroupPlan lists the groups and rules for a configuration. It is
// the guide's "Server Ports" tables for an install whose databases and
// Nomad servers stay on the services box, as data. Nothing is open to the
// internet unless one of the *_cidr_blocks keys says so.
func SecurityGroupPlan(a SecurityGroupsArgs) ([]Group, []Rule) {
	n := a.Names
	groups := []Group{
		{BuildersSG, n.BuildersSG, "CircleCI 1.0 builders: traffic among builders"},
		{ServicesSG, n.ServicesSG, "CircleCI services box: traffic from builders"},
		{BuildersAdminSG, n.BuildersAdminSG, "CircleCI 1.0 builders: reached by the services box"},
		{UsersSG, n.UsersSG, "CircleCI services box: reached by users, administrators and Nomad clients"},
		{VMSG, n.VMSG, "CircleCI VMs for remote Docker and machine jobs"},
	}
	if a.EnableNomad {
		groups = append(groups,
			Group{NomadSG, n.NomadSG, "CircleCI Nomad clients"},
			Group{SSHSG, n.SSHSG, "CircleCI Nomad clients: SSH for administrators"},
		)
	}

	var rules []Rule
	fromCIDRs := func(group, proto string, from, to int, cidrs []string, who, why string) {
		for _, c := range cidrs {
			rules = append(rules, Rule{Group: group, Protocol: proto, FromPort: from, ToPort: to, CIDR: c, Who: who, Why: why})
		}
	}
	fromPeer := func(group, proto string, from, to int, peer, who, why string) {
		rules = append(rules, Rule{Group: group, Protocol: proto, FromPort: from, ToPort: to, Peer: peer, Who: who, Why: why})
	}
	egress := func(group string) {
		rules = append(rules, Rule{Group: group, Egress: true, Protocol: "-1", CIDR: "0.0.0.0/0", Who: "anywhere", Why: "All outbound traffic"})
	}
	subnet := []string{a.SubnetCIDR}
	const (
		admins   = "administrators (admin_cidr_blocks)"
		users    = "users (user_cidr_blocks)"
		rerun    = "SSH rerun users (ssh_rerun_cidr_blocks)"
		inSubnet = "the installation subnet"
	)

	// Services box, facing people.
	fromCIDRs(UsersSG, "tcp", 80, 80, a.UserCIDRs, users, "HTTP web app, API and webhooks")
	fromCIDRs(UsersSG, "tcp", 443, 443, a.UserCIDRs, users, "HTTPS web app, API and webhooks")
	fromCIDRs(UsersSG, "tcp", 7171, 7171, a.UserCIDRs, users, "Artifacts access")
	fromCIDRs(UsersSG, "tcp", 8081, 8081, a.UserCIDRs, users, "Artifacts access")
	fromCIDRs(UsersSG, "tcp", 22, 22, a.AdminCIDRs, admins, "SSH")
	fromCIDRs(UsersSG, "tcp", 8800, 8800, a.AdminCIDRs, admins, "Replicated admin console")
	// Services box, facing Nomad clients (and anything else in the subnet).
	fromCIDRs(UsersSG, "tcp", 4647, 4647, subnet, inSubnet, "Nomad server RPC from Nomad clients")
	fromCIDRs(UsersSG, "tcp", 8585, 8585, subnet, inSubnet, "Job output from Nomad clients")
	fromCIDRs(UsersSG, "tcp", 7171, 7171, subnet, inSubnet, "Internal communication with Nomad clients")
	fromCIDRs(UsersSG, "tcp", 3001, 3001, subnet, inSubnet, "Internal communication with Nomad clients")
	fromCIDRs(UsersSG, "udp", 8125, 8125, subnet, inSubnet, "Metrics (statsd) from Nomad clients")

	fromPeer(ServicesSG, "-1", 0, 0, BuildersSG, "1.0 builders", "All traffic from 1.0 builders")
	egress(ServicesSG)

	if a.EnableBuilders {
		fromPeer(BuildersSG, "-1", 0, 0, BuildersSG, "1.0 builders", "All traffic among 1.0 builders")
		fromPeer(BuildersAdminSG, "tcp", 443, 443, ServicesSG, "the services box", "Builder API from the services box")
		fromCIDRs(UsersSG, "tcp", 64535, 65535, a.SSHRerunCIDRs, rerun, "SSH into 1.0 builds")
	}
	egress(BuildersSG)

	fromCIDRs(VMSG, "tcp", 22, 22, a.SSHRerunCIDRs, rerun, "SSH into machine and remote Docker jobs")
	fromCIDRs(VMSG, "tcp", 22, 22, subnet, inSubnet, "SSH from Nomad clients and vm-service")
	fromCIDRs(VMSG, "tcp", 2376, 2376, subnet, inSubnet, "Remote Docker API from jobs")
	fromCIDRs(VMSG, "tcp", 54782, 54782, subnet, inSubnet, "VM agent from the services box")
	egress(VMSG)

	if a.EnableNomad {
		fromCIDRs(NomadSG, "tcp", 4646, 4648, subnet, inSubnet, "Nomad HTTP, RPC and Serf from the services box")
		fromPeer(NomadSG, "tcp", 8585, 8585, ServicesSG, "the services box", "Internal communication with the services box")
		fromPeer(NomadSG, "tcp", 7171, 7171, ServicesSG, "the services box", "Internal communication with the services box")
		fromPeer(NomadSG, "tcp", 3001, 3001, ServicesSG, "the services box", "Internal communication with the services box")
		fromCIDRs(NomadSG, "tcp", 64535, 65535, a.SSHRerunCIDRs, rerun, "Rerun job with SSH")
		fromCIDRs(NomadSG, "tcp", 80, 80, a.AdminCIDRs, admins, "CircleCI admin API")
		fromCIDRs(NomadSG, "tcp", 443, 443, a.AdminCIDRs, admins, "CircleCI admin API")
		egress(NomadSG)
		fromCIDRs(SSHSG, "tcp", 22, 22, a.AdminCIDRs, admins, "SSH")
		egress(SSHSG)
	}
	return groups, dedupe(rules)
}

// dedupe drops rules that repeat an earlier one (say, a CIDR list that
// includes the subnet): AWS refuses duplicate rules in a group.
func dedupe(rules []Rule) []Rule {
	seen := map[string]bool{}
	out := rules[:0]
	for _, r := range rules {
		if k := RuleName(r); !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

// SecurityGroups are the installation's security groups, by key.
type SecurityGroups struct {
	pulumi.ResourceState

	IDs map[string]pulumi.StringOutput
}

// NewSecurityGroups creates the groups and then each rule as its own
// resource, so that a rule can change without touching its group (and the
// instances in it).
func NewSecurityGroups(ctx *pulumi.Context, name string, args SecurityGroupsArgs, opts ...pulumi.ResourceOption) (*SecurityGroups, error) {
	c := &SecurityGroups{IDs: map[string]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource("circleci-server:aws:SecurityGroups", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	groups, rules := SecurityGroupPlan(args)

	sgs := map[string]*ec2.SecurityGroup{}
	for _, g := range groups {
		sg, err := ec2.NewSecurityGroup(ctx, name+"-"+strings.ReplaceAll(g.Key, "_", "-"), &ec2.SecurityGroupArgs{
			Name:        pulumi.String(g.Name),
			Description: pulumi.String(g.Description),
			VpcId:       pulumi.String(args.VpcID),
			// Rules are separate resources; on delete, drop the references
			// other groups hold so the groups can go in any order.
			RevokeRulesOnDelete: pulumi.Bool(true),
			Tags:                pulumi.StringMap{"Name": pulumi.String(g.Name)},
		}, parent)
		if err != nil {
			return nil, err
		}
		sgs[g.Key] = sg
		c.IDs[g.Key] = sg.ID().ToStringOutput()
	}

	for _, r := range rules {
		sg := sgs[r.Group]
		ruleName := name + "-" + RuleName(r)
		var port pulumi.IntPtrInput
		var toPort pulumi.IntPtrInput
		if r.Protocol != "-1" {
			port, toPort = pulumi.IntPtr(r.FromPort), pulumi.IntPtr(r.ToPort)
		}
		var cidr, peer pulumi.StringPtrInput
		if r.CIDR != "" {
			cidr = pulumi.StringPtr(r.CIDR)
		} else {
			peer = sgs[r.Peer].ID().ToStringPtrOutput()
		}
		var err error
		if r.Egress {
			_, err = vpc.NewSecurityGroupEgressRule(ctx, ruleName, &vpc.SecurityGroupEgressRuleArgs{
				SecurityGroupId: sg.ID(), IpProtocol: pulumi.String(r.Protocol), FromPort: port, ToPort: toPort,
				CidrIpv4: cidr, ReferencedSecurityGroupId: peer, Description: pulumi.String(r.Description()),
			}, parent)
		} else {
			_, err = vpc.NewSecurityGroupIngressRule(ctx, ruleName, &vpc.SecurityGroupIngressRuleArgs{
				SecurityGroupId: sg.ID(), IpProtocol: pulumi.String(r.Protocol), FromPort: port, ToPort: toPort,
				CidrIpv4: cidr, ReferencedSecurityGroupId: peer, Description: pulumi.String(r.Description()),
			}, parent)
		}
		if err != nil {
			return nil, err
		}
	}

	outputs := pulumi.Map{}
	for k, id := range c.IDs {
		outputs[k] = id
	}
	return c, ctx.RegisterResourceOutputs(c, outputs)
}

// RuleName is a rule's stable resource name: group, direction, ports and source.
func RuleName(r Rule) string {
	dir := "in"
	if r.Egress {
		dir = "out"
	}
	ports := "all"
	if r.Protocol != "-1" {
		ports = fmt.Sprintf("%s-%d-%d", r.Protocol, r.FromPort, r.ToPort)
	}
	src := r.Peer
	if src == "" {
		src = strings.ReplaceAll(r.CIDR, "/", "_")
	}
	return strings.Join([]string{strings.ReplaceAll(r.Group, "_", "-"), dir, ports, strings.ReplaceAll(src, "_", "-")}, "-")
}
