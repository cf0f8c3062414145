package standin

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tEIP = "aws:ec2/eip:Eip"

func init() {
	register(eipKind())
}

// associate computes an EIP's association outputs, as associateEIP
// (AssociateAddress) and then resourceEIPRead leave them.
// Source: terraform-provider-aws internal/service/ec2/ec2_eip.go,
// associateEIP ("associating EC2 EIP (%s): %w") and resourceEIPRead (instance,
// network_interface, private_ip, private_dns, association_id from
// DescribeAddresses); EC2 API Reference, AssociateAddress (with an instance,
// its network interface; "If you associate an Elastic IP address with an
// instance that has an existing Elastic IP address, the existing address is
// disassociated from the instance, but remains allocated to your account").
func (c *call) associate(doing, op string, ins resource.PropertyMap, self string) (resource.PropertyMap, error) {
	out := resource.PropertyMap{"associationId": pv(""), "privateIp": pv(""), "privateDns": pv(""), "instance": pv("")}
	eniID, instID := str(ins, "networkInterface"), str(ins, "instance")
	var inst *record
	// Source: EC2 API Reference, "Error codes", InvalidInstanceID.NotFound and
	// InvalidNetworkInterfaceID.NotFound.
	// Assumption: the texts.
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
	// Assumption: the refusal of a private address the interface does not
	// have, and its text.
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
	if !has(ins, "networkInterface") {
		out["networkInterface"] = pv(eniID)
	}
	if inst != nil {
		out["instance"] = pv(inst.id)
	}
	return out, nil
}

func eipKind() *kind {
	return &kind{
		token: tEIP, what: "EC2 EIP",
		// Source: resourceEIP schema: address, domain, ipam_pool_id,
		// network_border_group and public_ipv4_pool are ForceNew.
		// Assumption: vpc (deprecated in the v5 line) and
		// customer_owned_ipv4_pool are ForceNew there too.
		replaces: []string{"domain", "vpc", "address", "publicIpv4Pool", "customerOwnedIpv4Pool", "networkBorderGroup", "ipamPoolId"},
		// Source: resourceEIP schema (Computed, or Optional+Computed).
		computed: []string{"allocationId", "arn", "publicIp", "publicDns", "privateIp", "privateDns", "associationId",
			"domain", "instance", "networkInterface", "networkBorderGroup", "publicIpv4Pool", "carrierIp", "customerOwnedIp", "ptrRecord"},
		tags: true,
		// Source: resourceEIP schema, domain: enum.Validate[awstypes.DomainType].
		check: func(c *call, news resource.PropertyMap, f *failures) {
			oneOf(f, news, "domain", []string{"domain"}, "vpc", "standard")
		},
		// Source: resourceEIPCreate: AllocateAddress, then associateEIP when
		// instance or network_interface is set; resourceEIPRead (arn
		// "elastic-ip/<allocation id>", the public DNS name of the address).
		// Assumption: the addresses (198.51.100.0/24 and on, RFC 5737), the
		// pool "amazon" and the region as network border group.
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			id := c.st.hexID("eipalloc", 17)
			out, err := c.associate("associating EC2 EIP ("+id+")", "EC2: AssociateAddress", ins, id)
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
		// Source: resourceEIPUpdate: when associate_with_private_ip,
		// instance or network_interface changed, disassociateEIP, then
		// associateEIP if an instance or interface is given.
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			if !associationChanged(old, ins) {
				return nil, nil
			}
			return c.associate("associating EC2 EIP ("+old.id+")", "EC2: AssociateAddress", ins, old.id)
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
