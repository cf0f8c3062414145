package standin

import (
	"encoding/binary"
	"fmt"
	"net"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const (
	tSecurityGroup = "aws:ec2/securityGroup:SecurityGroup"
	tIngressRule   = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tEgressRule    = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	tENI           = "aws:ec2/networkInterface:NetworkInterface"
	tEIP           = "aws:ec2/eip:Eip"
)

func init() {
	register(securityGroupKind(), ruleKind(tIngressRule, false), ruleKind(tEgressRule, true), eniKind(), eipKind())
}

// --- lookups -------------------------------------------------------------

// subnet returns a fixture subnet, or EC2's error for a missing one.
func (c *call) subnet(doing, op, id string) (*subnetFixture, error) {
	if s := c.s.fx.subnet(id); s != nil {
		return s, nil
	}
	return nil, awsErr(doing, op, 400, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", id)
}

// groups checks that security groups exist and, given a VPC, belong to it.
func (c *call) groups(doing, op string, ids []string, vpcID, subnetID string) error {
	for _, id := range ids {
		g := c.st.get(tSecurityGroup, id)
		if g == nil {
			return awsErr(doing, op, 400, "InvalidGroup.NotFound", "The security group '%s' does not exist", id)
		}
		if vpcID != "" && str(g.outputs, "vpcId") != vpcID {
			return awsErr(doing, op, 400, "InvalidParameter",
				"Security group %s and subnet %s belong to different networks.", id, subnetID)
		}
	}
	return nil
}

func (c *call) az(s *subnetFixture) string { return c.cfg.region + s.AZSuffix }

// allocateIP returns the next free address of a subnet: AWS reserves the
// first four and the last address of every subnet.
func (c *call) allocateIP(s *subnetFixture) (string, error) {
	used := c.st.usedIPs(s.ID)
	base := binary.BigEndian.Uint32(s.cidr.IP.To4())
	ones, bits := s.cidr.Mask.Size()
	size := uint32(1) << (bits - ones)
	for i := uint32(4); i < size-1; i++ {
		ip := make(net.IP, 4)
		binary.BigEndian.PutUint32(ip, base+i)
		if !used[ip.String()] {
			return ip.String(), nil
		}
	}
	return "", awsErr("creating EC2 Network Interface", "EC2: CreateNetworkInterface", 400,
		"InsufficientFreeAddressesInSubnet", "The specified subnet does not have enough free addresses to satisfy the request.")
}

// usedIPs are the private addresses in use in a subnet.
func (st *state) usedIPs(subnetID string) map[string]bool {
	used := map[string]bool{}
	for _, e := range st.all(tENI) {
		if str(e.outputs, "subnetId") == subnetID {
			for _, ip := range strs(e.outputs, "privateIps") {
				used[ip] = true
			}
		}
	}
	for _, i := range st.all(tInstance) {
		if str(i.outputs, "subnetId") == subnetID {
			used[str(i.outputs, "privateIp")] = true
		}
	}
	return used
}

func (st *state) eipOn(eniID string) *record {
	for _, e := range st.all(tEIP) {
		if str(e.outputs, "networkInterface") == eniID && str(e.outputs, "associationId") != "" {
			return e
		}
	}
	return nil
}

func privateDNS(c *call, ip string) string {
	return "ip-" + strings.ReplaceAll(ip, ".", "-") + "." + c.cfg.internalDomain()
}

func publicDNS(c *call, ip string) string {
	if ip == "" {
		return ""
	}
	return "ec2-" + strings.ReplaceAll(ip, ".", "-") + "." + c.cfg.computeDomain()
}

// --- security groups -----------------------------------------------------

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

// --- network interfaces --------------------------------------------------

func eniKind() *kind {
	return &kind{
		token: tENI, what: "EC2 Network Interface",
		replaces: []string{"subnetId", "interfaceType"},
		defaults: map[string]any{"sourceDestCheck": true},
		computed: []string{"arn", "privateIp", "privateIps", "privateDnsName", "macAddress", "ownerId",
			"interfaceType", "attachments", "securityGroups", "privateIpList"},
		tags: true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "subnetId")
			checkName(f, news, "description", 0, 255, nil, "")
			checkTags(f, news)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			doing, op := "creating EC2 Network Interface", "EC2: CreateNetworkInterface"
			sub, err := c.subnet(doing, op, str(ins, "subnetId"))
			if err != nil {
				return "", nil, err
			}
			if err := c.groups(doing, op, strs(ins, "securityGroups"), sub.VpcID, sub.ID); err != nil {
				return "", nil, err
			}
			ip := str(ins, "privateIp")
			if ip == "" {
				if ip, err = c.allocateIP(sub); err != nil {
					return "", nil, err
				}
			} else if parsed := net.ParseIP(ip); parsed == nil || !sub.cidr.Contains(parsed) {
				return "", nil, awsErr(doing, op, 400, "InvalidParameterValue", "Address %s does not fall within the subnet's address range", ip)
			} else if c.st.usedIPs(sub.ID)[ip] {
				return "", nil, awsErr(doing, op, 400, "InvalidIPAddress.InUse", "The specified address is already in use.")
			}
			id := c.st.hexID("eni", 17)
			n := c.st.next("mac")
			out := resource.PropertyMap{
				"arn":            pv(c.cfg.regional("ec2", "network-interface/"+id)),
				"privateIp":      pv(ip),
				"privateIps":     pv([]string{ip}),
				"privateIpList":  pv([]string{ip}),
				"privateDnsName": pv(privateDNS(c, ip)),
				"macAddress":     pv(fmt.Sprintf("02:00:5e:00:%02x:%02x", n/256, n%256)),
				"ownerId":        pv(Account),
				"interfaceType":  pv("interface"),
				"attachments":    pv([]any{}),
			}
			if !has(ins, "securityGroups") {
				out["securityGroups"] = pv([]string{})
			}
			return id, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			doing, op := "updating EC2 Network Interface ("+old.id+")", "EC2: ModifyNetworkInterfaceAttribute"
			sub, err := c.subnet(doing, op, str(ins, "subnetId"))
			if err != nil {
				return nil, err
			}
			return nil, c.groups(doing, op, strs(ins, "securityGroups"), sub.VpcID, sub.ID)
		},
		delete: func(c *call, r *record) error {
			if inst := c.st.holderOf(r.id); inst != nil {
				return awsErr("deleting EC2 Network Interface ("+r.id+")", "EC2: DeleteNetworkInterface", 400,
					"InvalidNetworkInterface.InUse", "Network interface '%s' is currently in use.", r.id)
			}
			if e := c.st.eipOn(r.id); e != nil {
				disassociate(e)
			}
			return nil
		},
	}
}

// holderOf returns the live instance a network interface is attached to.
func (st *state) holderOf(eni string) *record {
	for _, i := range st.all(tInstance) {
		for _, ni := range objs(i.outputs, "networkInterfaces") {
			if str(ni, "networkInterfaceId") == eni {
				return i
			}
		}
	}
	return nil
}

// --- elastic IPs ---------------------------------------------------------

func disassociate(e *record) {
	for _, k := range []resource.PropertyKey{"associationId", "privateIp", "privateDns", "instance"} {
		e.outputs[k] = pv("")
	}
}

// associate computes an EIP's association outputs.
func (c *call) associate(doing, op string, ins resource.PropertyMap, self string) (resource.PropertyMap, error) {
	out := resource.PropertyMap{"associationId": pv(""), "privateIp": pv(""), "privateDns": pv(""), "instance": pv("")}
	eniID, instID := str(ins, "networkInterface"), str(ins, "instance")
	var inst *record
	if instID != "" {
		if inst = c.st.get(tInstance, instID); inst == nil {
			return nil, awsErr(doing, op, 400, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", instID)
		}
		if eniID == "" {
			eniID = str(inst.outputs, "primaryNetworkInterfaceId")
		}
	}
	if eniID == "" {
		return out, nil
	}
	ip := ""
	if eni := c.st.get(tENI, eniID); eni != nil {
		ip = str(eni.outputs, "privateIp")
		if inst == nil {
			inst = c.st.holderOf(eniID)
		}
	} else if inst != nil && str(inst.outputs, "primaryNetworkInterfaceId") == eniID {
		ip = str(inst.outputs, "privateIp")
	} else {
		return nil, awsErr(doing, op, 400, "InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '%s' does not exist", eniID)
	}
	if want := str(ins, "associateWithPrivateIp"); want != "" && want != ip {
		return nil, awsErr(doing, op, 400, "InvalidParameterValue",
			"Value (%s) for parameter privateIpAddress is invalid. The address is not assigned to the network interface.", want)
	}
	if other := c.st.eipOn(eniID); other != nil && other.id != self {
		disassociate(other) // EC2 moves the association
	}
	out["associationId"] = pv(c.st.hexID("eipassoc", 17))
	out["privateIp"] = pv(ip)
	out["privateDns"] = pv(privateDNS(c, ip))
	if inst != nil {
		out["instance"] = pv(inst.id)
	}
	return out, nil
}

func eipKind() *kind {
	return &kind{
		token: tEIP, what: "EC2 EIP",
		replaces: []string{"domain", "vpc", "address", "publicIpv4Pool", "customerOwnedIpv4Pool", "networkBorderGroup", "ipamPoolId"},
		computed: []string{"allocationId", "arn", "publicIp", "publicDns", "privateIp", "privateDns", "associationId",
			"domain", "instance", "networkBorderGroup", "publicIpv4Pool", "carrierIp", "customerOwnedIp", "ptrRecord"},
		tags: true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			oneOf(f, news, "domain", []string{"domain"}, "vpc", "standard")
			checkTags(f, news)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			id := c.st.hexID("eipalloc", 17)
			out, err := c.associate("creating EC2 EIP ("+id+") association", "EC2: AssociateAddress", ins, id)
			if err != nil {
				return "", nil, err
			}
			n := c.st.next("eip")
			ip := fmt.Sprintf("198.51.%d.%d", 100+(n-1)/254, (n-1)%254+1)
			for k, v := range map[string]any{
				"allocationId": id, "arn": c.cfg.regional("ec2", "elastic-ip/"+id), "publicIp": ip,
				"publicDns": publicDNS(c, ip), "domain": "vpc", "networkBorderGroup": c.cfg.region,
				"publicIpv4Pool": "amazon", "carrierIp": "", "customerOwnedIp": "", "ptrRecord": "",
			} {
				if !has(ins, k) {
					out[resource.PropertyKey(k)] = pv(v)
				}
			}
			return id, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			if !associationChanged(old, ins) {
				return nil, nil
			}
			return c.associate("updating EC2 EIP ("+old.id+") association", "EC2: AssociateAddress", ins, old.id)
		},
		previewUpdate: func(c *call, old *record, ins resource.PropertyMap) resource.PropertyMap {
			if !associationChanged(old, ins) {
				return nil
			}
			return resource.PropertyMap{"associationId": unknown(), "privateIp": unknown(), "privateDns": unknown(), "instance": unknown()}
		},
	}
}

func associationChanged(old *record, ins resource.PropertyMap) bool {
	for _, k := range []resource.PropertyKey{"networkInterface", "instance", "associateWithPrivateIp"} {
		if !equalValues(old.inputs[k], ins[k]) {
			return true
		}
	}
	return false
}
