package standin

import (
	"encoding/binary"
	"net"
	"strings"
)

// Private addresses and DNS names, shared by network interfaces, instances
// and elastic IPs (and getSubnet, which counts the free addresses).

// allocateIP returns the next free address of a subnet: AWS reserves the
// first four and the last address of every subnet.
// Source: VPC User Guide, "Subnet CIDR blocks" ("The first four IP addresses
// and the last IP address in each subnet CIDR block are not available for
// your use"); EC2 API Reference, "Error codes",
// InsufficientFreeAddressesInSubnet.
// Assumption: EC2 hands out the lowest free address (it picks one from the
// range), and the text of the refusal.
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

// usedIPs are the private addresses in use in a subnet: those of network
// interfaces, of instances, and of the instances auto scaling groups launched.
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
	for _, ip := range st.launchedIPs(subnetID) {
		used[ip] = true
	}
	return used
}

// privateDNS and publicDNS are EC2's IP-based host names.
// Source: EC2 User Guide, "Amazon EC2 instance hostname types", "IP name"
// (ip-<address>.ec2.internal in us-east-1,
// ip-<address>.<region>.compute.internal elsewhere); VPC User Guide, "DNS
// attributes for your VPC" (a public DNS hostname only with a public IPv4
// address).
// Assumption: the public form ec2-<address>.compute-1.amazonaws.com in
// us-east-1 and ec2-<address>.<region>.compute.amazonaws.com elsewhere.
func privateDNS(c *call, ip string) string {
	return "ip-" + strings.ReplaceAll(ip, ".", "-") + "." + c.cfg.internalDomain()
}

func publicDNS(c *call, ip string) string {
	if ip == "" {
		return ""
	}
	return "ec2-" + strings.ReplaceAll(ip, ".", "-") + "." + c.cfg.computeDomain()
}
