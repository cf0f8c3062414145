package standin

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The ingress and egress rule kinds are made by one constructor, ruleKind,
// so both live in this file.

const (
	tIngressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tEgressRule  = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
)

func init() {
	register(ruleKind(tIngressRule, false), ruleKind(tEgressRule, true))
}

// rulesPerGroup is EC2's default quota of inbound (and of outbound) rules
// per security group.
const rulesPerGroup = 60

var ruleSources = []string{"cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"}

func ruleKind(token string, egress bool) *kind {
	what, op := "VPC Security Group Ingress Rule", "EC2: AuthorizeSecurityGroupIngress"
	if egress {
		what, op = "VPC Security Group Egress Rule", "EC2: AuthorizeSecurityGroupEgress"
	}
	validate := func(c *call, doing string, ins resource.PropertyMap, self string) error {
		fail := func(code, format string, args ...any) error { return awsErr(doing, op, 400, code, format, args...) }
		sg := str(ins, "securityGroupId")
		if c.st.get(tSecurityGroup, sg) == nil {
			return fail("InvalidGroup.NotFound", "The security group '%s' does not exist", sg)
		}
		if ref := str(ins, "referencedSecurityGroupId"); ref != "" && c.st.get(tSecurityGroup, ref) == nil {
			return fail("InvalidGroup.NotFound", "The security group '%s' does not exist", ref)
		}
		if cidr := str(ins, "cidrIpv4"); cidr != "" {
			if ip, _, err := net.ParseCIDR(cidr); err != nil || ip.To4() == nil {
				return fail("InvalidParameterValue", "CIDR block %s is malformed", cidr)
			}
		}
		proto := strings.ToLower(str(ins, "ipProtocol"))
		from, hasFrom := num(ins, "fromPort")
		to, hasTo := num(ins, "toPort")
		switch proto {
		case "-1", "all":
			if (hasFrom && from != -1) || (hasTo && to != -1) {
				return fail("InvalidParameterValue", "When protocol is ALL, you cannot specify from-port.")
			}
		case "tcp", "udp", "6", "17":
			if !hasFrom || !hasTo {
				return fail("InvalidParameterValue", "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange")
			}
			for _, p := range []float64{from, to} {
				if p < 0 || p > 65535 || p != float64(int(p)) {
					return fail("InvalidParameterValue", "Invalid value '%v' for portRange. Must be between 0 and 65535 for TCP/UDP.", p)
				}
			}
			if from > to {
				return fail("InvalidParameterValue", "Invalid TCP/UDP port range: from port %v is greater than to port %v", from, to)
			}
		case "icmp", "icmpv6", "1", "58":
		default:
			if n, err := strconv.Atoi(proto); err != nil || n < 0 || n > 255 {
				return fail("InvalidParameterValue", "Invalid value '%s' for IP protocol. Unknown protocol.", proto)
			}
		}
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
			if ruleSignature(r.outputs) == ruleSignature(ins) {
				return fail("InvalidPermission.Duplicate", "the specified rule %q already exists", ruleSignature(ins))
			}
		}
		if count >= rulesPerGroup {
			return fail("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached.")
		}
		return nil
	}
	return &kind{
		token: token, what: what,
		replaces: []string{"securityGroupId"},
		computed: []string{"arn", "securityGroupRuleId"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "securityGroupId", "ipProtocol")
			n := 0
			for _, s := range ruleSources {
				if has(news, s) {
					n++
				}
			}
			if n != 1 {
				f.add("", "Invalid Attribute Combination: Exactly one of these attributes must be configured: "+
					"[cidr_ipv4,cidr_ipv6,prefix_list_id,referenced_security_group_id]")
			}
			checkTags(f, news)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			if err := validate(c, "creating "+what, ins, ""); err != nil {
				return "", nil, err
			}
			id := c.st.hexID("sgr", 17)
			return id, resource.PropertyMap{
				"arn":                 pv(c.cfg.regional("ec2", "security-group-rule/"+id)),
				"securityGroupRuleId": pv(id),
			}, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			return nil, validate(c, "updating "+what+" ("+old.id+")", ins, old.id)
		},
	}
}

// ruleSignature describes a rule as EC2 does in its duplicate error.
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
