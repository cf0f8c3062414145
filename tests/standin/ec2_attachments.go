package standin

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// What is attached to what, shared by network interfaces, instances and
// elastic IPs: an EIP's interface, an interface's instance.

// eipOn returns the EIP associated with a network interface.
// Source: VPC User Guide, "Elastic IP address concepts and rules" ("An
// Elastic IP address is a property of a network interface"; "An Elastic IP
// address can be associated with a single instance or network interface at a
// time").
func (st *state) eipOn(eniID string) *record {
	for _, e := range st.all(tEIP) {
		if str(e.outputs, "networkInterface") == eniID && str(e.outputs, "associationId") != "" {
			return e
		}
	}
	return nil
}

// holderOf returns the live instance a network interface is attached to:
// the instance whose network_interface blocks name it.
func (st *state) holderOf(eni string) *record {
	if i := st.attachedInstance(eni); i != nil { // a seeded instance's primary interface (seed.go)
		return i
	}
	for _, i := range st.all(tInstance) {
		for _, ni := range objs(i.outputs, "networkInterfaces") {
			if str(ni, "networkInterfaceId") == eni {
				return i
			}
		}
	}
	return nil
}

// disassociate clears an EIP's association, as resourceEIPRead reads a
// disassociated address: the address stays allocated.
// Source: EC2 API Reference, AssociateAddress (the existing address "is
// disassociated from the instance, but remains allocated to your account").
func disassociate(e *record) {
	for _, k := range []resource.PropertyKey{"associationId", "privateIp", "privateDns", "instance", "networkInterface"} {
		e.outputs[k] = pv("")
	}
}
