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
		// Source: terraform-provider-aws
		// internal/service/ec2/vpc_network_interface.go, ResourceNetworkInterface
		// schema: subnet_id and interface_type are ForceNew.
		// Assumption: its ForceNewIf private_ips / private_ip_list (a new
		// primary address) is not modelled.
		replaces: []string{"subnetId", "interfaceType"},
		// Source: ResourceNetworkInterface schema defaults.
		defaults: map[string]any{"sourceDestCheck": true, "privateIpListEnabled": false, "ipv6AddressListEnabled": false},
		// Source: ResourceNetworkInterface schema (Computed, or
		// Optional+Computed).
		computed: []string{"arn", "privateIp", "privateIps", "privateDnsName", "macAddress", "ownerId",
			"interfaceType", "attachments", "securityGroups", "privateIpList"},
		tags: true,
		// Source: ResourceNetworkInterface schema: subnet_id Required;
		// interface_type StringInSlice(NetworkInterfaceCreationType_Values).
		// Assumption: those values are efa, branch and trunk (later SDKs add
		// efa-only).
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "subnetId")
			oneOf(f, news, "interface_type", []string{"interfaceType"}, "efa", "branch", "trunk")
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			// Source: resourceNetworkInterfaceCreate ("creating EC2 Network
			// Interface: %s").
			doing, op := "creating EC2 Network Interface", "EC2: CreateNetworkInterface"
			// Assumption: CreateNetworkInterface refuses a description longer
			// than 255 characters, with this text (the schema does not
			// validate description).
			if d := str(ins, "description"); len(d) > 255 {
				return "", nil, awsErr(doing, op, 400, "InvalidParameterValue",
					"Value for parameter description is invalid. Length exceeds maximum of 255")
			}
			sub, err := c.subnet(doing, op, str(ins, "subnetId"))
			if err != nil {
				return "", nil, err
			}
			if err := c.groups(doing, op, strs(ins, "securityGroups"), sub.VPCID, sub.ID); err != nil {
				return "", nil, err
			}
			// Source: EC2 API Reference, "Error codes", InvalidIPAddress.InUse
			// and InvalidParameterValue.
			// Assumption: the texts.
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
			// Source: resourceNetworkInterfaceRead (arn
			// "network-interface/<id>", owner_id, the addresses, attachment).
			// Assumption: the MAC addresses' form, and "interface" as the
			// type EC2 reports for an interface created without one.
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
			// Source: resourceNetworkInterfaceUpdate (security_groups:
			// ModifyNetworkInterfaceAttribute Groups, "modifying EC2 Network
			// Interface (%s) Groups: %s").
			doing, op := "modifying EC2 Network Interface ("+old.id+") Groups", "EC2: ModifyNetworkInterfaceAttribute"
			sub, err := c.subnet(doing, op, str(ins, "subnetId"))
			if err != nil {
				return nil, err
			}
			return nil, c.groups(doing, op, strs(ins, "securityGroups"), sub.VPCID, sub.ID)
		},
		// Source: resourceNetworkInterfaceDelete: it detaches first only when
		// its state holds an attachment (here the interface was created
		// unattached and its state is not refreshed), then
		// DeleteNetworkInterface, which refuses an interface in use with
		// InvalidParameterValue "Network interface 'eni-...' is currently in
		// use." (gruntwork-io/cloud-nuke issue #431 and PR #1132,
		// aws/amazon-vpc-cni-k8s issue #1399).
		delete: func(c *call, r *record) error {
			if inst := c.st.holderOf(r.id); inst != nil {
				return awsErr("deleting EC2 Network Interface ("+r.id+")", "EC2: DeleteNetworkInterface", 400,
					"InvalidParameterValue", "Network interface '%s' is currently in use.", r.id)
			}
			// Source: VPC User Guide, "Elastic IP address concepts and rules"
			// (an EIP is a property of a network interface): it is
			// disassociated with the interface gone.
			// Assumption: it stays allocated.
			if e := c.st.eipOn(r.id); e != nil {
				disassociate(e)
			}
			return nil
		},
	}
}
