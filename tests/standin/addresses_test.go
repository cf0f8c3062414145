package standin_test

import (
	"testing"
)

func TestAddresses(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	sg := h.sg("services")
	eni := h.up(tENI, "services-eni", map[string]any{"subnetId": subnetID, "securityGroups": []string{sg.id}})
	if eni.str("privateIp") != "10.0.1.4" || eni.str("privateDnsName") != "ip-10-0-1-4.eu-central-1.compute.internal" {
		t.Errorf("first interface: %s %s (the first four addresses are AWS's)", eni.str("privateIp"), eni.str("privateDnsName"))
	}
	second := h.up(tENI, "second", map[string]any{"subnetId": subnetID})
	private := h.up(tENI, "private", map[string]any{"subnetId": privateSubnet})
	if second.str("privateIp") != "10.0.1.5" || private.str("privateIp") != "10.0.2.4" {
		t.Errorf("next addresses: %s, %s", second.str("privateIp"), private.str("privateIp"))
	}

	eip := h.up(tEIP, "services-eip", map[string]any{"domain": "vpc", "networkInterface": eni.id})
	if eip.str("publicIp") != "198.51.100.1" || eip.str("privateIp") != "10.0.1.4" || eip.str("associationId") == "" ||
		eip.str("publicDns") != "ec2-198-51-100-1.eu-central-1.compute.amazonaws.com" || eip.id[:9] != "eipalloc-" {
		t.Errorf("EIP: %v", eip.outputs)
	}

	box := h.up(tInstance, "services", map[string]any{"ami": ami, "instanceType": "m5.2xlarge", "keyName": "circleci-admin",
		"networkInterfaces": []any{map[string]any{"deviceIndex": 0, "networkInterfaceId": eni.id}}})
	if box.str("privateIp") != "10.0.1.4" || box.str("publicIp") != "198.51.100.1" || box.str("subnetId") != subnetID ||
		box.str("availabilityZone") != "eu-central-1a" || box.str("primaryNetworkInterfaceId") != eni.id || box.id[:2] != "i-" {
		t.Errorf("instance on the interface: %v", box.outputs)
	}
	if sgs := box.outputs["vpcSecurityGroupIds"].ArrayValue(); len(sgs) != 1 || sgs[0].StringValue() != sg.id {
		t.Errorf("instance groups %v", sgs)
	}
	// The interface and its addresses outlive the instance.
	if err := h.delete("services"); err != nil {
		t.Fatal(err)
	}
	again := h.up(tInstance, "services", map[string]any{"ami": ami, "instanceType": "m5.2xlarge",
		"networkInterfaces": []any{map[string]any{"deviceIndex": 0, "networkInterfaceId": eni.id}}})
	if again.str("privateIp") != "10.0.1.4" || again.str("publicIp") != "198.51.100.1" {
		t.Errorf("replacement instance: %s %s", again.str("privateIp"), again.str("publicIp"))
	}

	// A freed address is handed out again.
	if err := h.delete("second"); err != nil {
		t.Fatal(err)
	}
	if third := h.up(tENI, "third", map[string]any{"subnetId": subnetID}); third.str("privateIp") != "10.0.1.5" {
		t.Errorf("freed address not reused: %s", third.str("privateIp"))
	}
	// An instance in a subnet gets the next address, and a public one where the subnet maps them.
	plain := h.up(tInstance, "plain", map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": subnetID})
	if plain.str("privateIp") != "10.0.1.6" || plain.str("publicIp") == "" {
		t.Errorf("instance in public subnet: %s %s", plain.str("privateIp"), plain.str("publicIp"))
	}
	inner := h.up(tInstance, "inner", map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": privateSubnet})
	if inner.str("privateIp") != "10.0.2.5" || inner.str("publicIp") != "" || inner.str("availabilityZone") != "eu-central-1b" {
		t.Errorf("instance in private subnet: %s %q %s", inner.str("privateIp"), inner.str("publicIp"), inner.str("availabilityZone"))
	}
	// An interface given an address in use, or outside its subnet, is refused.
	_, err := h.tryUp(tENI, "taken", map[string]any{"subnetId": subnetID, "privateIp": "10.0.1.4"})
	wantErr(t, err, "InvalidIPAddress.InUse")
	_, err = h.tryUp(tENI, "outside", map[string]any{"subnetId": subnetID, "privateIp": "10.0.2.200"})
	wantErr(t, err, "does not fall within the subnet's address range")
}

func TestElasticIPMoves(t *testing.T) {
	h := newHarness(t, "us-east-1")
	a := h.up(tENI, "a", map[string]any{"subnetId": subnetID})
	b := h.up(tENI, "b", map[string]any{"subnetId": subnetID})
	eip := h.up(tEIP, "eip", map[string]any{"domain": "vpc", "networkInterface": a.id})
	if eip.str("publicDns") != "ec2-198-51-100-1.compute-1.amazonaws.com" {
		t.Errorf("us-east-1 public DNS: %s", eip.str("publicDns"))
	}
	outs, err := h.update("eip", map[string]any{"domain": "vpc", "networkInterface": b.id}, false)
	if err != nil {
		t.Fatal(err)
	}
	if outs["privateIp"].StringValue() != b.str("privateIp") || outs["publicIp"].StringValue() != "198.51.100.1" {
		t.Errorf("moved EIP: %v", outs)
	}
}

// An instance in a subnet gets a public IPv4 address when it asks for one,
// or, when it says nothing, when its subnet maps public addresses on launch.
func TestInstancePublicIPs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		subnet string
		ask    any // associatePublicIpAddress; nil leaves it out
		public bool
	}{
		{"mapping subnet, silent", subnetID, nil, true},
		{"mapping subnet, false", subnetID, false, false},
		{"mapping subnet, true", subnetID, true, true},
		{"public subnet without mapping, silent", publicNoAutoIP, nil, false},
		{"public subnet without mapping, true", publicNoAutoIP, true, true},
		{"NAT subnet, silent", privateSubnet, nil, false},
		{"NAT subnet, true", privateSubnet, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "eu-central-1")
			props := map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": tc.subnet}
			if tc.ask != nil {
				props["associatePublicIpAddress"] = tc.ask
			}
			i := h.up(tInstance, "box", props)
			if has := i.str("publicIp") != ""; has != tc.public {
				t.Errorf("public address: expected %v, found %q", tc.public, i.str("publicIp"))
			}
			if has := i.str("publicDns") != ""; has != tc.public {
				t.Errorf("public DNS name: expected %v, found %q", tc.public, i.str("publicDns"))
			}
		})
	}
}

// Terminating an instance disassociates the EIPs on the interface EC2 made
// for it; an EIP on an interface the instance was given stays there.
func TestTerminationAndElasticIPs(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	eni := h.up(tENI, "eni", map[string]any{"subnetId": subnetID})
	onENI := h.up(tInstance, "on-eni", map[string]any{"ami": ami, "instanceType": "m5.large",
		"networkInterfaces": []any{map[string]any{"deviceIndex": 0, "networkInterfaceId": eni.id}}})
	inSubnet := h.up(tInstance, "in-subnet", map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": privateSubnet})
	eniEIP := h.up(tEIP, "eni-eip", map[string]any{"domain": "vpc", "networkInterface": eni.id})
	instEIP := h.up(tEIP, "inst-eip", map[string]any{"domain": "vpc", "instance": inSubnet.id})
	if got := instEIP.str("networkInterface"); got != inSubnet.str("primaryNetworkInterfaceId") {
		t.Errorf("EIP on an instance: expected its interface %s, found %q", inSubnet.str("primaryNetworkInterfaceId"), got)
	}
	if got := eniEIP.str("instance"); got != onENI.id {
		t.Errorf("EIP on an attached interface: expected instance %s, found %q", onENI.id, got)
	}
	for _, name := range []string{"on-eni", "in-subnet"} {
		if err := h.delete(name); err != nil {
			t.Fatal(err)
		}
	}
	eips := map[string]map[string]any{}
	for _, e := range h.srv.Find(tEIP) {
		eips[e.Name] = e.Properties
	}
	if e := eips["eni-eip"]; e["associationId"] == "" || e["networkInterface"] != eni.id || e["instance"] != "" {
		t.Errorf("EIP on the surviving interface: expected it associated with %s and no instance, found %v", eni.id, e)
	}
	if e := eips["inst-eip"]; e["associationId"] != "" || e["instance"] != "" || e["privateIp"] != "" || e["publicIp"] == "" {
		t.Errorf("EIP of the terminated instance: expected it disassociated and still allocated, found %v", e)
	}
}
