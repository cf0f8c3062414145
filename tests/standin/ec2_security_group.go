package standin

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tSecurityGroup = "aws:ec2/securityGroup:SecurityGroup"

func init() {
	register(securityGroupKind())
}

// The kind mirrors terraform-provider-aws internal/service/ec2/vpc_security_group.go
// (resourceSecurityGroup and its create and delete functions).
func securityGroupKind() *kind {
	return &kind{
		token: tSecurityGroup, what: "EC2 Security Group", nameKey: "name",
		// Source: resourceSecurityGroup: name, name_prefix, description and
		// vpc_id are ForceNew; revoke_rules_on_delete defaults to false.
		// Source: the pulumi-aws SDK's SecurityGroupArgs: the description
		// "Defaults to `Managed by Pulumi`" (pulumi-aws overrides the
		// provider's "Managed by Terraform"), and the VPC "Defaults to the
		// region's default VPC".
		replaces: []string{"name", "namePrefix", "description", "vpcId"},
		defaults: map[string]any{"description": "Managed by Pulumi", "revokeRulesOnDelete": false},
		computed: []string{"arn", "ownerId", "vpcId", "ingress", "egress"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			// Source: resourceSecurityGroup: name is 0 to 255 long,
			// name_prefix at most 255 less the 26 characters of the unique
			// suffix, neither may begin with sg- (validation.StringDoesNotMatch:
			// "invalid value for name (cannot begin with sg-)"); description
			// is 0 to 255 long.
			checkName(f, news, "name", 0, 255, nil, "")
			checkName(f, news, "namePrefix", 0, 255-26, nil, "")
			for p, tf := range map[string]string{"name": "name", "namePrefix": "name_prefix"} {
				if !isUnknown(news, p) && strings.HasPrefix(str(news, p), "sg-") {
					f.add(p, "invalid value for %s (cannot begin with sg-)", tf)
				}
			}
			checkName(f, news, "description", 0, 255, nil, "")
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name, desc := str(ins, "name"), str(ins, "description")
			// Source: resourceSecurityGroupCreate: "creating Security Group
			// (<name>)" around CreateSecurityGroup.
			doing, op := "creating Security Group ("+name+")", "EC2: CreateSecurityGroup"
			vpcID := str(ins, "vpcId")
			if vpcID == "" {
				// Source: EC2 API Reference, CreateSecurityGroup: without a
				// VpcId the group is made in the default VPC.
				for _, v := range c.s.fx.VPCs {
					if v.Default {
						vpcID = v.ID
					}
				}
			}
			if c.s.fx.vpc(vpcID) == nil {
				// Source: EC2 API Reference, "Error codes":
				// InvalidVpcID.NotFound. Assumption: its message's wording.
				return "", nil, awsErr(doing, op, 400, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", vpcID)
			}
			// Source: EC2 API Reference, CreateSecurityGroup: GroupName and
			// GroupDescription are required, up to 255 characters, the name
			// cannot start with sg-, and the characters are a-z, A-Z, 0-9,
			// spaces and ._-:/()#,@[]+=&;{}!$*. Assumption: the wording of
			// these refusals.
			if desc == "" {
				return "", nil, awsErr(doing, op, 400, "MissingParameter", "The request must contain the parameter GroupDescription")
			}
			if strings.HasPrefix(name, "sg-") {
				return "", nil, awsErr(doing, op, 400, "InvalidParameterValue", "Group names may not be in the format sg-*.")
			}
			if !ec2TextRE.MatchString(name) {
				return "", nil, awsErr(doing, op, 400, "InvalidParameterValue",
					"Value (%s) for parameter GroupName is invalid. Character sets beyond ASCII are not supported.", name)
			}
			if !ec2TextRE.MatchString(desc) {
				return "", nil, awsErr(doing, op, 400, "InvalidParameterValue",
					"Value (%s) for parameter GroupDescription is invalid. Character sets beyond ASCII are not supported.", desc)
			}
			for _, g := range c.st.all(tSecurityGroup) {
				if str(g.outputs, "name") == name && str(g.outputs, "vpcId") == vpcID {
					// Source: EC2 API Reference, CreateSecurityGroup: names
					// are unique per VPC; "Error codes":
					// InvalidGroup.Duplicate. Assumption: its wording.
					return "", nil, awsErr(doing, op, 400, "InvalidGroup.Duplicate",
						"The security group '%s' already exists for VPC '%s'", name, vpcID)
				}
			}
			id := c.st.hexID("sg", 17)
			// Source: securityGroupARN: the regional EC2 ARN
			// security-group/<id> in the owner's account.
			out := resource.PropertyMap{
				"arn":     pv(c.cfg.regional("ec2", "security-group/"+id)),
				"ownerId": pv(Account),
				"vpcId":   pv(vpcID),
			}
			// Source: resourceSecurityGroupCreate: "AWS defaults all
			// Security Groups to have an ALLOW ALL egress rule. Here we
			// revoke that rule" (RevokeSecurityGroupEgress of -1 to
			// 0.0.0.0/0, and to ::/0): a new group has no rules, egress
			// included, until its rules are added.
			for _, dir := range []string{"ingress", "egress"} {
				if !has(ins, dir) {
					out[resource.PropertyKey(dir)] = pv([]any{})
				}
			}
			return id, out, nil
		},
		delete: func(c *call, r *record) error {
			revoke := boolv(r.outputs, "revokeRulesOnDelete")
			if dep := c.st.dependentOf(r.id, revoke); dep != "" {
				// Source: resourceSecurityGroupDelete: DeleteSecurityGroup
				// is retried on DependencyViolation until the delete timeout,
				// then "deleting Security Group (<id>): ...". Assumption: the
				// wording of EC2's DependencyViolation message.
				return awsErr("deleting Security Group ("+r.id+")", "EC2: DeleteSecurityGroup", 400, "DependencyViolation",
					"resource %s has a dependent object (%s)", r.id, dep)
			}
			// Its own rules go with it (EC2 API Reference,
			// DeleteSecurityGroup); with revoke_rules_on_delete the provider
			// first revokes the rules of other groups that refer to it.
			// Source: resourceSecurityGroupDelete, forceRevokeSecurityGroupRules.
			for _, t := range []string{tIngressRule, tEgressRule} {
				for _, rule := range c.st.all(t) {
					if str(rule.outputs, "securityGroupId") == r.id || (revoke && str(rule.outputs, "referencedSecurityGroupId") == r.id) {
						c.st.remove(t, rule.id)
					}
				}
			}
			return nil
		},
	}
}

// dependentOf names what keeps EC2 from deleting a security group, or "".
// Source: EC2 API Reference, DeleteSecurityGroup: a group referenced by a
// rule of another group, or associated with a network interface (an
// instance's, a launched auto scaling instance's), cannot be deleted
// (DependencyViolation). It names:
// another group's rule that refers to it (unless those are revoked first),
// a network interface in it, or an instance in it, including the instances
// an auto scaling group runs from a launch template that names it. (A
// launch template alone does not hold a group.)
func (st *state) dependentOf(sg string, revoking bool) string {
	if !revoking {
		for _, t := range []string{tIngressRule, tEgressRule} {
			for _, rule := range st.all(t) {
				if str(rule.outputs, "referencedSecurityGroupId") == sg && str(rule.outputs, "securityGroupId") != sg {
					return "rule " + rule.id + " of " + str(rule.outputs, "securityGroupId")
				}
			}
		}
	}
	for _, e := range st.all(tENI) {
		if contains(strs(e.outputs, "securityGroups"), sg) {
			return e.id
		}
	}
	for _, i := range st.all(tInstance) {
		if contains(strs(i.outputs, "vpcSecurityGroupIds"), sg) {
			return "network interface " + str(i.outputs, "primaryNetworkInterfaceId") + " of " + i.id
		}
	}
	// The interfaces of instances that groups launched, whether their
	// groups came from the template's interface or the template itself.
	for group, instances := range side(st).launched {
		for _, i := range instances {
			if contains(i.SecurityGroupIDs, sg) {
				return "network interfaces of the instances of Auto Scaling group " + group
			}
		}
	}
	return ""
}
