package standin

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The ingress and egress rule kinds are made by one constructor, ruleKind,
// so both live in this file. They mirror terraform-provider-aws
// internal/service/ec2/vpc_security_group_ingress_rule.go
// (securityGroupRuleResource, which the egress rule shares) and EC2's
// AuthorizeSecurityGroupIngress/Egress and ModifySecurityGroupRules.

const (
	tIngressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tEgressRule  = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
)

func init() {
	register(ruleKind(tIngressRule, false), ruleKind(tEgressRule, true))
}

// rulesPerGroup is EC2's default quota of inbound (and of outbound) rules
// per security group.
// Source: Amazon VPC User Guide, "Amazon VPC quotas": inbound or outbound
// rules per security group, 60.
const rulesPerGroup = 60

// ruleSources are a rule's sources (or destinations): exactly one is set.
// Source: securityGroupRuleResource.ConfigValidators,
// resourcevalidator.ExactlyOneOf.
var ruleSources = []string{"cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"}

// ruleSource names the source a rule uses, or "".
func ruleSource(m resource.PropertyMap) string {
	for _, s := range ruleSources {
		if has(m, s) || isUnknown(m, s) {
			return s
		}
	}
	return ""
}

func ruleKind(token string, egress bool) *kind {
	op := "EC2: AuthorizeSecurityGroupIngress"
	if egress {
		op = "EC2: AuthorizeSecurityGroupEgress"
	}
	// validate checks a rule as EC2 does; self is the rule being updated.
	validate := func(c *call, doing, op string, ins resource.PropertyMap, self string) error {
		fail := func(code, format string, args ...any) error { return awsErr(doing, op, 400, code, format, args...) }
		sg := str(ins, "securityGroupId")
		// Source: EC2 API Reference, "Error codes": InvalidGroup.NotFound.
		// Assumption: its wording.
		if c.st.get(tSecurityGroup, sg) == nil {
			return fail("InvalidGroup.NotFound", "The security group '%s' does not exist", sg)
		}
		if ref := str(ins, "referencedSecurityGroupId"); ref != "" && c.st.get(tSecurityGroup, ref) == nil {
			return fail("InvalidGroup.NotFound", "The security group '%s' does not exist", ref)
		}
		proto := strings.ToLower(str(ins, "ipProtocol"))
		from, hasFrom := num(ins, "fromPort")
		to, hasTo := num(ins, "toPort")
		switch proto {
		case "-1", "all":
			// Source: EC2's refusal quoted in
			// hashicorp/terraform-provider-aws#1920 ("InvalidParameterValue:
			// When protocol is ALL, you cannot specify from-port.").
			// Assumption: Authorize refuses ports other than -1 with
			// protocol -1 as the rule description update there did (the
			// API reference says such ports are ignored).
			if (hasFrom && from != -1) || (hasTo && to != -1) {
				return fail("InvalidParameterValue", "When protocol is ALL, you cannot specify from-port.")
			}
		case "tcp", "udp", "6", "17":
			// Source: EC2 API Reference, IpPermission: tcp and udp need a
			// port range. EC2's refusal as quoted in aws/aws-sdk-go-v2#1203:
			// "InvalidParameterValue: Invalid value 'Must specify both from
			// and to ports with TCP/UDP.' for portRange."
			if !hasFrom || !hasTo {
				return fail("InvalidParameterValue", "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.")
			}
			// Source: EC2's refusal quoted in aws/aws-cli#1066:
			// "InvalidParameterValue ... TCP/UDP (from) port (-1) out of
			// range" (the provider's validators allow -1). Assumption: the
			// same words for the to port.
			for _, p := range []struct {
				end string
				n   float64
			}{{"from", from}, {"to", to}} {
				if p.n < 0 {
					return fail("InvalidParameterValue", "TCP/UDP (%s) port (%v) out of range", p.end, p.n)
				}
			}
			if from > to {
				// Assumption: EC2 refuses a reversed range; the wording is
				// not confirmed by a source.
				return fail("InvalidParameterValue", "Invalid TCP/UDP port range: from port %v is greater than to port %v", from, to)
			}
		case "icmp", "1":
			// Source: EC2 API Reference, IpPermission: for icmp a port range
			// (the type and code) is required, -1 meaning all. EC2's refusal
			// as quoted in awsdocs/aws-cloudformation-user-guide#217:
			// "Invalid value 'Must specify both from and to ports with
			// ICMP.' for portRange".
			if !hasFrom || !hasTo {
				return fail("InvalidParameterValue", "Invalid value 'Must specify both from and to ports with ICMP.' for portRange.")
			}
		case "icmpv6", "58":
			// Source: EC2 API Reference, IpPermission: for icmpv6 the port
			// range is optional.
		default:
			// Source: EC2 API Reference, IpPermission: a protocol name or
			// number 0 to 255. Assumption: the wording of the refusal.
			if n, err := strconv.Atoi(proto); err != nil || n < 0 || n > 255 {
				return fail("InvalidParameterValue", "Invalid value '%s' for IP protocol. Unknown protocol.", proto)
			}
		}
		// Source: EC2 API Reference, IpRange (and the other peers):
		// Description is up to 255 characters of a-z, A-Z, 0-9, spaces and
		// ._-:/()#,@[]+=&;{}!$*. Assumption: the wording of the refusal.
		if d := str(ins, "description"); len(d) > 255 || !ec2TextRE.MatchString(d) {
			return fail("InvalidParameterValue", "Invalid rule description. Valid descriptions are strings less than 256 characters "+
				"from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*")
		}
		count := 0
		for _, r := range c.st.all(token) {
			if r.id == self || str(r.outputs, "securityGroupId") != sg {
				continue
			}
			count++
			// Source: EC2 API Reference, "Error codes":
			// InvalidPermission.Duplicate. Assumption: the wording, as EC2
			// reports it in provider issues.
			if ruleSignature(r.outputs) == ruleSignature(ins) {
				return fail("InvalidPermission.Duplicate", "the specified rule %q already exists", ruleSignature(ins))
			}
		}
		// Source: EC2 API Reference, "Error codes":
		// RulesPerSecurityGroupLimitExceeded. Assumption: its wording.
		if count >= rulesPerGroup {
			return fail("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached.")
		}
		return nil
	}
	return &kind{
		token: token, what: "VPC Security Group Rule",
		// Source: securityGroupRuleResource.Schema: security_group_id
		// RequiresReplace; ModifyPlan: "When you modify a rule, you cannot
		// change the rule's source type", so a change of source attribute
		// replaces the rule.
		replaces: []string{"securityGroupId"},
		replaceOnChange: func(olds, news resource.PropertyMap) []string {
			if o, n := ruleSource(olds), ruleSource(news); o != n && o != "" && n != "" {
				return []string{o, n}
			}
			return nil
		},
		computed: []string{"arn", "securityGroupRuleId"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			// Source: securityGroupRuleResource.Schema: security_group_id and
			// ip_protocol are required.
			required(f, news, "securityGroupId", "ipProtocol")
			n := 0
			for _, s := range ruleSources {
				if has(news, s) || isUnknown(news, s) {
					n++
				}
			}
			if n != 1 {
				// Source: resourcevalidator.ExactlyOneOf in ConfigValidators.
				f.add("", "Invalid Attribute Combination: Exactly one of these attributes must be configured: "+
					"[cidr_ipv4,cidr_ipv6,prefix_list_id,referenced_security_group_id]")
			}
			// Source: securityGroupRuleResource.Schema: cidr_ipv4 takes
			// fwvalidators.IPv4CIDRNetworkAddress ("value must be a valid
			// IPv4 CIDR that represents a network address", through
			// validatordiag.InvalidAttributeValueDiagnostic: "Attribute
			// <path> <description>, got: <value>"); from_port and to_port
			// int64validator.Between(-1, 65535).
			if v := str(news, "cidrIpv4"); has(news, "cidrIpv4") && !isUnknown(news, "cidrIpv4") {
				if ip, n, err := net.ParseCIDR(v); err != nil || ip.To4() == nil || n.String() != v {
					f.add("cidrIpv4", "Invalid Attribute Value: Attribute cidr_ipv4 value must be a valid IPv4 CIDR that represents a network address, got: %s", v)
				}
			}
			for p, tf := range map[string]string{"fromPort": "from_port", "toPort": "to_port"} {
				if n, ok := num(news, p); ok && (n < -1 || n > 65535 || n != float64(int(n))) {
					f.add(p, "Invalid Attribute Value: Attribute %s value must be between -1 and 65535, got: %v", tf, n)
				}
			}
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			// Source: securityGroupRuleResource.Create: "creating VPC
			// Security Group Rule".
			if err := validate(c, "creating VPC Security Group Rule", op, ins, ""); err != nil {
				return "", nil, err
			}
			id := c.st.hexID("sgr", 17)
			// Source: securityGroupRuleARN: the regional EC2 ARN
			// security-group-rule/<id>.
			return id, resource.PropertyMap{
				"arn":                 pv(c.cfg.regional("ec2", "security-group-rule/"+id)),
				"securityGroupRuleId": pv(id),
			}, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			// Source: securityGroupRuleResource.Update: ModifySecurityGroupRules,
			// "updating VPC Security Group Rule (<id>)".
			return nil, validate(c, "updating VPC Security Group Rule ("+old.id+")", "EC2: ModifySecurityGroupRules", ins, old.id)
		},
	}
}

// ruleSignature describes a rule as EC2 does in its duplicate error.
// Assumption: EC2's form, "peer: <source>, <PROTOCOL>, from port: <n>, to
// port: <n>, ALLOW".
func ruleSignature(m resource.PropertyMap) string {
	peer := ""
	for _, s := range ruleSources {
		if v := str(m, s); v != "" {
			peer = v
		}
	}
	proto := strings.ToUpper(str(m, "ipProtocol"))
	if proto == "-1" || proto == "ALL" {
		return fmt.Sprintf("peer: %s, ALL, ALLOW", peer)
	}
	from, _ := num(m, "fromPort")
	to, _ := num(m, "toPort")
	return fmt.Sprintf("peer: %s, %s, from port: %v, to port: %v, ALLOW", peer, proto, from, to)
}
