package standin

import (
	"fmt"
	"net"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tENI = "aws:ec2/networkInterface:NetworkInterface"

func init() {
	register(eniKind())
}

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
			if err := c.groups(doing, op, strs(ins, "securityGroups"), sub.VPCID, sub.ID); err != nil {
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
			return nil, c.groups(doing, op, strs(ins, "securityGroups"), sub.VPCID, sub.ID)
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
