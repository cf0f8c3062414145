package standin

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tEIP = "aws:ec2/eip:Eip"

func init() {
	register(eipKind())
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
