package components

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
)

// GroupKey names one security group of the Terraform installer.
type GroupKey string

// The installation's security groups.
const (
	BuildersSG      GroupKey = "builders"       // 1.0 builders, among themselves
	ServicesSG      GroupKey = "services"       // the services box, internal traffic
	BuildersAdminSG GroupKey = "builders_admin" // 1.0 builders, reached by the services box
	UsersSG         GroupKey = "users"          // the services box (and 1.0 builders), reached by people
	VMSG            GroupKey = "vm"             // VMs that vm-service launches for remote Docker and machine jobs
	NomadSG         GroupKey = "nomad"          // Nomad clients
	SSHSG           GroupKey = "ssh"            // SSH into Nomad clients
)

// MachineGroups says which groups each kind of machine is in.
type MachineGroups struct {
	ServicesBox  []GroupKey
	NomadClients []GroupKey
	Builders     []GroupKey
	// VM is the group of the VMs that vm-service launches; its settings
	// (in the admin console) take a single group.
	VM GroupKey
}

// Attachments is the one place that says which groups each machine is in:
// SecurityGroups hands their ids to the components through Machines, and
// the tests of the rules below read it from here.
var Attachments = MachineGroups{
	ServicesBox:  []GroupKey{ServicesSG, UsersSG},
	NomadClients: []GroupKey{NomadSG, SSHSG},
	Builders:     []GroupKey{BuildersSG, BuildersAdminSG, UsersSG},
	VM:           VMSG,
}

// MachineGroupIDs are the groups each kind of machine is in, as
// Attachments says. NomadClients is empty when the Nomad fleet is left out.
type MachineGroupIDs struct {
	ServicesBox  GroupSet
	NomadClients GroupSet
	Builders     GroupSet
	VM           pulumi.StringOutput
}

// GroupSet is a machine's groups: their ids, and their rules, which the
// machine waits for. The provider removes AWS's default allow-all egress
// from every group it creates (terraform-provider-aws
// resourceSecurityGroupCreate revokes it), so an instance that boots before
// its egress rule exists cannot download anything.
type GroupSet struct {
	IDs   pulumi.StringArray
	Rules []pulumi.Resource
}

// Group is one security group.
type Group struct {
	Key         GroupKey
	Name        string
	Description string
}

// Rule is one ingress or egress rule, with a single source or destination:
// either a CIDR block or another group of the installation.
type Rule struct {
	Group    GroupKey // the group the rule belongs to
	Egress   bool
	Protocol string // "tcp", "udp" or "-1" (all)
	FromPort int
	ToPort   int
	CIDR     string   // a CIDR block, or
	Peer     GroupKey // a group of this installation
	Who      string   // who the rule admits, for people
	Why      string   // what the traffic is for, from the guide's port tables
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
	VPCID          string
	SubnetCIDR     string // everything this installer launches lives in that subnet
	Names          config.Names
	AdminCIDRs     []string
	UserCIDRs      []string
	SSHRerunCIDRs  []string
	VMCIDRs        []string // who reaches the VMs' public addresses
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

	p := &rulePlan{a: a, subnet: []string{a.SubnetCIDR}}
	p.servicesBox()
	p.builders()
	p.vms()
	if a.EnableNomad {
		p.nomadClients()
	}
	return groups, dedupe(p.rules)
}

// rulePlan collects the rules of SecurityGroupPlan, machine by machine.
type rulePlan struct {
	a      SecurityGroupsArgs
	subnet []string
	rules  []Rule
}

// Who the rules admit, for people.
const (
	admins   = "administrators (" + config.KeyAdminCIDRBlocks + ")"
	users    = "users (" + config.KeyUserCIDRBlocks + ")"
	rerun    = "SSH rerun users (" + config.KeySSHRerunCIDRBlocks + ")"
	vmPeers  = "jobs and vm-service (" + config.KeyVMCIDRBlocks + ")"
	inSubnet = "the installation subnet"
)

func (p *rulePlan) fromCIDRs(group GroupKey, proto string, from, to int, cidrs []string, who, why string) {
	for _, c := range cidrs {
		p.rules = append(p.rules, Rule{Group: group, Protocol: proto, FromPort: from, ToPort: to, CIDR: c, Who: who, Why: why})
	}
}

func (p *rulePlan) fromPeer(group GroupKey, proto string, from, to int, peer GroupKey, who, why string) {
	p.rules = append(p.rules, Rule{Group: group, Protocol: proto, FromPort: from, ToPort: to, Peer: peer, Who: who, Why: why})
}

func (p *rulePlan) egress(group GroupKey) {
	p.rules = append(p.rules, Rule{Group: group, Egress: true, Protocol: "-1", CIDR: "0.0.0.0/0", Who: "anywhere", Why: "All outbound traffic"})
}

// servicesBox: the services box's groups (Attachments.ServicesBox).
func (p *rulePlan) servicesBox() {
	a, subnet := p.a, p.subnet
	// Facing people.
	p.fromCIDRs(UsersSG, "tcp", 80, 80, a.UserCIDRs, users, "HTTP web app, API and webhooks")
	p.fromCIDRs(UsersSG, "tcp", 443, 443, a.UserCIDRs, users, "HTTPS web app, API and webhooks")
	p.fromCIDRs(UsersSG, "tcp", 7171, 7171, a.UserCIDRs, users, "Artifacts access")
	p.fromCIDRs(UsersSG, "tcp", 8081, 8081, a.UserCIDRs, users, "Artifacts access")
	p.fromCIDRs(UsersSG, "tcp", 22, 22, a.AdminCIDRs, admins, "SSH")
	p.fromCIDRs(UsersSG, "tcp", 8800, 8800, a.AdminCIDRs, admins, "Replicated admin console")
	// Facing Nomad clients (and anything else in the subnet).
	p.fromCIDRs(UsersSG, "tcp", 4647, 4647, subnet, inSubnet, "Nomad server RPC from Nomad clients")
	p.fromCIDRs(UsersSG, "tcp", 8585, 8585, subnet, inSubnet, "Job output from Nomad clients")
	p.fromCIDRs(UsersSG, "tcp", 7171, 7171, subnet, inSubnet, "Internal communication with Nomad clients")
	p.fromCIDRs(UsersSG, "tcp", 3001, 3001, subnet, inSubnet, "Internal communication with Nomad clients")
	p.fromCIDRs(UsersSG, "udp", 8125, 8125, subnet, inSubnet, "Metrics (statsd) from Nomad clients")

	p.fromPeer(ServicesSG, "-1", 0, 0, BuildersSG, "1.0 builders", "All traffic from 1.0 builders")
	p.egress(ServicesSG)
}

// builders: the 1.0 builders' groups (Attachments.Builders). The groups
// exist always, as in the Terraform installer; their rules only with builders.
func (p *rulePlan) builders() {
	if p.a.EnableBuilders {
		p.fromPeer(BuildersSG, "-1", 0, 0, BuildersSG, "1.0 builders", "All traffic among 1.0 builders")
		p.fromPeer(BuildersAdminSG, "tcp", 443, 443, ServicesSG, "the services box", "Builder API from the services box")
		p.fromCIDRs(UsersSG, "tcp", 64535, 65535, p.a.SSHRerunCIDRs, rerun, "SSH into 1.0 builds")
	}
	p.egress(BuildersSG)
}

// vms: the group of vm-service's VMs (Attachments.VM). CircleCI's 2.19
// documents no ports for them; these follow its Server 3.x "Hardening your
// cluster" (External VMs): 22 and 2376 from the Nomad clients and
// vm-service, over private addresses from the subnet, and over public ones
// when the VMs have them (vm_cidr_blocks); 54782 for "Rerun job with SSH".
func (p *rulePlan) vms() {
	a, subnet := p.a, p.subnet
	p.fromCIDRs(VMSG, "tcp", 22, 22, a.SSHRerunCIDRs, rerun, "SSH into machine and remote Docker jobs")
	p.fromCIDRs(VMSG, "tcp", 54782, 54782, a.SSHRerunCIDRs, rerun, "Rerun machine and remote Docker jobs with SSH")
	p.fromCIDRs(VMSG, "tcp", 22, 22, subnet, inSubnet, "SSH from Nomad clients and vm-service")
	p.fromCIDRs(VMSG, "tcp", 2376, 2376, subnet, inSubnet, "Docker API from jobs and vm-service")
	p.fromCIDRs(VMSG, "tcp", 22, 22, a.VMCIDRs, vmPeers, "SSH from Nomad clients and vm-service, to public addresses")
	p.fromCIDRs(VMSG, "tcp", 2376, 2376, a.VMCIDRs, vmPeers, "Docker API from jobs and vm-service, to public addresses")
	p.egress(VMSG)
}

// nomadClients: the Nomad clients' groups (Attachments.NomadClients).
func (p *rulePlan) nomadClients() {
	a, subnet := p.a, p.subnet
	p.fromCIDRs(NomadSG, "tcp", 4646, 4648, subnet, inSubnet, "Nomad HTTP, RPC and Serf from the services box")
	p.fromPeer(NomadSG, "tcp", 8585, 8585, ServicesSG, "the services box", "Internal communication with the services box")
	p.fromPeer(NomadSG, "tcp", 7171, 7171, ServicesSG, "the services box", "Internal communication with the services box")
	p.fromPeer(NomadSG, "tcp", 3001, 3001, ServicesSG, "the services box", "Internal communication with the services box")
	p.fromCIDRs(NomadSG, "tcp", 64535, 65535, a.SSHRerunCIDRs, rerun, "Rerun job with SSH")
	p.fromCIDRs(NomadSG, "tcp", 80, 80, a.AdminCIDRs, admins, "CircleCI admin API")
	p.fromCIDRs(NomadSG, "tcp", 443, 443, a.AdminCIDRs, admins, "CircleCI admin API")
	p.egress(NomadSG)
	p.fromCIDRs(SSHSG, "tcp", 22, 22, a.AdminCIDRs, admins, "SSH")
	p.egress(SSHSG)
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

// SecurityGroups are the installation's security groups.
type SecurityGroups struct {
	pulumi.ResourceState

	// Machines are the group ids each kind of machine is given.
	Machines MachineGroupIDs
}

// NewSecurityGroups creates the groups and then each rule as its own
// resource, so that a rule can change without touching its group (and the
// instances in it).
func NewSecurityGroups(ctx *pulumi.Context, name string, args SecurityGroupsArgs, opts ...pulumi.ResourceOption) (*SecurityGroups, error) {
	c := &SecurityGroups{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:SecurityGroups", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	groups, rules := SecurityGroupPlan(args)

	sgs := map[GroupKey]*ec2.SecurityGroup{}
	ids := map[GroupKey]pulumi.StringOutput{}
	for _, g := range groups {
		sg, err := ec2.NewSecurityGroup(ctx, name+"-"+strings.ReplaceAll(string(g.Key), "_", "-"), &ec2.SecurityGroupArgs{
			Name:        pulumi.String(g.Name),
			Description: pulumi.String(g.Description),
			VpcId:       pulumi.String(args.VPCID),
			// Rules are separate resources; on delete, drop the references
			// other groups hold so the groups can go in any order.
			RevokeRulesOnDelete: pulumi.Bool(true),
			Tags:                pulumi.StringMap{"Name": pulumi.String(g.Name)},
		}, parent,
			// AWS cannot change a group's description: a new one would replace
			// the group, and every rule and attachment with it, for a comment.
			// An adopted group keeps the Terraform installer's.
			pulumi.IgnoreChanges([]string{"description"}))
		if err != nil {
			return nil, err
		}
		sgs[g.Key] = sg
		ids[g.Key] = sg.ID().ToStringOutput()
	}
	rulesOf := map[GroupKey][]pulumi.Resource{}
	for _, r := range rules {
		rule, err := newRule(ctx, name+"-"+RuleName(r), r, sgs, parent)
		if err != nil {
			return nil, err
		}
		rulesOf[r.Group] = append(rulesOf[r.Group], rule)
	}

	of := func(keys []GroupKey) GroupSet {
		var set GroupSet
		for _, k := range keys {
			id, ok := ids[k]
			if !ok {
				return GroupSet{} // the machine is left out (enable_nomad = 0)
			}
			set.IDs = append(set.IDs, id)
			set.Rules = append(set.Rules, rulesOf[k]...)
		}
		return set
	}
	c.Machines = MachineGroupIDs{
		ServicesBox:  of(Attachments.ServicesBox),
		NomadClients: of(Attachments.NomadClients),
		Builders:     of(Attachments.Builders),
		VM:           ids[Attachments.VM],
	}
	outputs := pulumi.Map{}
	for k, id := range ids {
		outputs[string(k)] = id
	}
	return c, ctx.RegisterResourceOutputs(c, outputs)
}

// newRule creates one ingress or egress rule.
func newRule(ctx *pulumi.Context, name string, r Rule, sgs map[GroupKey]*ec2.SecurityGroup, opts ...pulumi.ResourceOption) (pulumi.Resource, error) {
	sg := sgs[r.Group]
	var port, toPort pulumi.IntPtrInput
	if r.Protocol != "-1" {
		port, toPort = pulumi.IntPtr(r.FromPort), pulumi.IntPtr(r.ToPort)
	}
	var cidr, peer pulumi.StringPtrInput
	if r.CIDR != "" {
		cidr = pulumi.StringPtr(r.CIDR)
	} else {
		peer = sgs[r.Peer].ID().ToStringPtrOutput()
	}
	if r.Egress {
		return vpc.NewSecurityGroupEgressRule(ctx, name, &vpc.SecurityGroupEgressRuleArgs{
			SecurityGroupId: sg.ID(), IpProtocol: pulumi.String(r.Protocol), FromPort: port, ToPort: toPort,
			CidrIpv4: cidr, ReferencedSecurityGroupId: peer, Description: pulumi.String(r.Description()),
		}, opts...)
	}
	return vpc.NewSecurityGroupIngressRule(ctx, name, &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: sg.ID(), IpProtocol: pulumi.String(r.Protocol), FromPort: port, ToPort: toPort,
		CidrIpv4: cidr, ReferencedSecurityGroupId: peer, Description: pulumi.String(r.Description()),
	}, opts...)
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
	src := string(r.Peer)
	if src == "" {
		src = strings.ReplaceAll(r.CIDR, "/", "_")
	}
	return strings.Join([]string{strings.ReplaceAll(string(r.Group), "_", "-"), dir, ports, strings.ReplaceAll(src, "_", "-")}, "-")
}
