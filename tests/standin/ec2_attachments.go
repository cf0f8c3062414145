package standin

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// What is attached to what, shared by network interfaces, instances and
// elastic IPs: an EIP's interface, an interface's instance.

func (st *state) eipOn(eniID string) *record {
	for _, e := range st.all(tEIP) {
		if str(e.outputs, "networkInterface") == eniID && str(e.outputs, "associationId") != "" {
			return e
		}
	}
	return nil
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

func disassociate(e *record) {
	for _, k := range []resource.PropertyKey{"associationId", "privateIp", "privateDns", "instance"} {
		e.outputs[k] = pv("")
	}
}
