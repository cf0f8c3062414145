package standin

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tSecurityGroup = "aws:ec2/securityGroup:SecurityGroup"

func init() {
	register(securityGroupKind())
}

func securityGroupKind() *kind {
	return &kind{
		token: tSecurityGroup, what: "EC2 Security Group", nameKey: "name",
		replaces: []string{"name", "namePrefix", "description", "vpcId"},
		defaults: map[string]any{"description": "Managed by Pulumi", "revokeRulesOnDelete": false},
		computed: []string{"arn", "ownerId", "vpcId", "ingress", "egress"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			checkName(f, news, "name", 1, 255, nil, "")
			checkName(f, news, "description", 0, 255, nil, "")
			checkTags(f, news)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name, desc := str(ins, "name"), str(ins, "description")
			doing, op := "creating Security Group ("+name+")", "EC2: CreateSecurityGroup"
			vpcID := str(ins, "vpcId")
			if vpcID == "" {
				for _, v := range c.s.fx.VPCs {
					if v.Default {
						vpcID = v.ID
					}
				}
			}
			if c.s.fx.vpc(vpcID) == nil {
				return "", nil, awsErr(doing, op, 400, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", vpcID)
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
					return "", nil, awsErr(doing, op, 400, "InvalidGroup.Duplicate",
						"The security group '%s' already exists for VPC '%s'", name, vpcID)
				}
			}
			id := c.st.hexID("sg", 17)
			out := resource.PropertyMap{
				"arn":     pv(c.cfg.regional("ec2", "security-group/"+id)),
				"ownerId": pv(Account),
				"vpcId":   pv(vpcID),
			}
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
				return awsErr("deleting Security Group ("+r.id+")", "EC2: DeleteSecurityGroup", 400, "DependencyViolation",
					"resource %s has a dependent object (%s)", r.id, dep)
			}
			// Its own rules go with it; with revoke_rules_on_delete the
			// provider first revokes the rules of other groups that refer
			// to it, as the real provider does.
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

// dependentOf names what keeps EC2 from deleting a security group, or "":
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
	for _, g := range st.all(tGroup) {
		desired, _ := num(g.outputs, "desiredCapacity")
		lt := st.launchTemplate(str(g.outputs, "launchTemplate", "id") + str(g.outputs, "launchTemplate", "name"))
		if desired > 0 && lt != nil && contains(strs(lt.outputs, "vpcSecurityGroupIds"), sg) {
			return "network interfaces of the instances of Auto Scaling group " + g.id
		}
	}
	return ""
}
