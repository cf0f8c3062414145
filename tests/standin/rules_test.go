package standin_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

func TestSecurityGroupRules(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	users := h.sg("users")
	services := h.sg("services")
	rule := func(extra map[string]any) map[string]any {
		p := map[string]any{"securityGroupId": users.id, "description": "HTTPS - users (user_cidr_blocks)"}
		for k, v := range extra {
			p[k] = v
		}
		return p
	}
	for i, tc := range []struct {
		name      string
		typ       string
		props     map[string]any
		checkFail string // a Check failure
		err       string // an error from Create
	}{
		{"tcp ok", tIngress, rule(map[string]any{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}), "", ""},
		{"tcp range ok", tIngress, rule(map[string]any{"ipProtocol": "tcp", "fromPort": 64535, "toPort": 65535, "cidrIpv4": "10.0.1.0/24"}), "", ""},
		{"all from group ok", tIngress, rule(map[string]any{"ipProtocol": "-1", "referencedSecurityGroupId": services.id}), "", ""},
		{"all with -1 ports ok", tEgress, rule(map[string]any{"ipProtocol": "-1", "fromPort": -1, "toPort": -1, "cidrIpv4": "0.0.0.0/0"}), "", ""},
		{"udp ok", tIngress, rule(map[string]any{"ipProtocol": "udp", "fromPort": 8125, "toPort": 8125, "cidrIpv4": "10.0.1.0/24"}), "", ""},
		{"all with ports", tIngress, rule(map[string]any{"ipProtocol": "-1", "fromPort": 22, "toPort": 22, "cidrIpv4": "10.0.0.0/8"}),
			"", "InvalidParameterValue: When protocol is ALL, you cannot specify from-port."},
		{"tcp without ports", tIngress, rule(map[string]any{"ipProtocol": "tcp", "cidrIpv4": "10.0.0.0/8"}),
			"", "Must specify both from and to ports with TCP/UDP."},
		{"tcp without to port", tIngress, rule(map[string]any{"ipProtocol": "tcp", "fromPort": 22, "cidrIpv4": "10.0.0.0/8"}),
			"", "Must specify both from and to ports with TCP/UDP."},
		{"tcp from above to", tIngress, rule(map[string]any{"ipProtocol": "tcp", "fromPort": 443, "toPort": 80, "cidrIpv4": "10.0.0.0/8"}),
			"", "from port 443 is greater than to port 80"},
		// The provider's validators refuse these at Check (preview).
		{"udp port out of range", tIngress, rule(map[string]any{"ipProtocol": "udp", "fromPort": 1, "toPort": 70000, "cidrIpv4": "10.0.0.0/8"}),
			"Invalid Attribute Value: Attribute to_port value must be between -1 and 65535, got: 70000", ""},
		{"tcp port -1", tIngress, rule(map[string]any{"ipProtocol": "tcp", "fromPort": -1, "toPort": 22, "cidrIpv4": "10.0.0.0/8"}),
			"", "InvalidParameterValue: TCP/UDP (from) port (-1) out of range"},
		{"icmp without ports", tIngress, rule(map[string]any{"ipProtocol": "icmp", "cidrIpv4": "10.0.0.0/8"}),
			"", "InvalidParameterValue: Invalid value 'Must specify both from and to ports with ICMP.' for portRange."},
		{"icmp all types ok", tIngress, rule(map[string]any{"ipProtocol": "icmp", "fromPort": -1, "toPort": -1, "cidrIpv4": "10.0.0.0/8"}), "", ""},
		{"icmpv6 without ports ok", tIngress, rule(map[string]any{"ipProtocol": "icmpv6", "cidrIpv6": "::/0"}), "", ""},
		{"no source", tIngress, rule(map[string]any{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22}),
			"Exactly one of these attributes must be configured: [cidr_ipv4,cidr_ipv6,prefix_list_id,referenced_security_group_id]", ""},
		{"two sources", tEgress, rule(map[string]any{"ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0", "referencedSecurityGroupId": services.id}),
			"Exactly one of these attributes must be configured", ""},
		{"missing group", tIngress, map[string]any{"securityGroupId": "sg-0123456789abcdef0", "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "10.0.0.0/8"},
			"", "InvalidGroup.NotFound: The security group 'sg-0123456789abcdef0' does not exist"},
		{"missing referenced group", tIngress, rule(map[string]any{"ipProtocol": "-1", "referencedSecurityGroupId": "sg-0fedcba9876543210"}),
			"", "InvalidGroup.NotFound: The security group 'sg-0fedcba9876543210' does not exist"},
		{"malformed CIDR", tIngress, rule(map[string]any{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "10.0.0.0/33"}),
			"Attribute cidr_ipv4 value must be a valid IPv4 CIDR that represents a network address, got: 10.0.0.0/33", ""},
		{"CIDR not a network address", tIngress, rule(map[string]any{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "10.0.1.1/24"}),
			"Attribute cidr_ipv4 value must be a valid IPv4 CIDR that represents a network address, got: 10.0.1.1/24", ""},
		{"duplicate", tIngress, rule(map[string]any{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}),
			"", "InvalidPermission.Duplicate"},
		{"description characters", tIngress, rule(map[string]any{"ipProtocol": "tcp", "fromPort": 8800, "toPort": 8800, "cidrIpv4": "10.0.0.0/8",
			"description": "Replicated’s console"}), "", "Invalid rule description"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := fmt.Sprintf("rule-%d", i)
			_, failures, err := h.check(tc.typ, name, tc.props)
			if err != nil {
				t.Fatal(err)
			}
			if tc.checkFail != "" {
				if len(failures) == 0 || !strings.Contains(failures[0].Reason, tc.checkFail) {
					t.Fatalf("check failures %v, expected one with %q", failures, tc.checkFail)
				}
				return
			}
			if len(failures) > 0 {
				t.Fatalf("check failures %v, expected none", failures)
			}
			_, err = h.tryUp(tc.typ, name, tc.props)
			if tc.err == "" {
				if err != nil {
					t.Fatalf("create: expected success, got %v", err)
				}
				return
			}
			op := "AuthorizeSecurityGroupIngress"
			if tc.typ == tEgress {
				op = "AuthorizeSecurityGroupEgress"
			}
			wantErr(t, err, tc.err, "creating VPC Security Group Rule: operation error EC2: "+op)
		})
	}
	// A rule moved to another group is a new rule; its ports change in place.
	h.up(tIngress, "ssh", map[string]any{"securityGroupId": users.id, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "203.0.113.0/24"})
	if d := h.diff("ssh", map[string]any{"securityGroupId": services.id, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "203.0.113.0/24"}); len(d.Replaces) != 1 {
		t.Errorf("group change: %v", d)
	}
	if d := h.diff("ssh", map[string]any{"securityGroupId": users.id, "ipProtocol": "tcp", "fromPort": 2222, "toPort": 2222, "cidrIpv4": "203.0.113.0/24"}); len(d.Replaces) != 0 || len(d.Diffs) != 2 {
		t.Errorf("port change: %v", d)
	}
	// A rule cannot change its source type in place: from a CIDR to a group
	// is a new rule; from one CIDR to another is not.
	for _, tc := range []struct {
		name     string
		props    map[string]any
		replaces []string
	}{
		{"cidr to group", map[string]any{"securityGroupId": users.id, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "referencedSecurityGroupId": services.id},
			[]string{"cidrIpv4", "referencedSecurityGroupId"}},
		{"cidr to cidr", map[string]any{"securityGroupId": users.id, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "198.51.100.0/24"}, nil},
	} {
		d := h.diff("ssh", tc.props)
		got := append([]string(nil), d.Replaces...)
		sort.Strings(got)
		if fmt.Sprint(got) != fmt.Sprint(tc.replaces) {
			t.Errorf("%s: replaces %v, expected %v", tc.name, got, tc.replaces)
		}
	}
	// An update is refused as ModifySecurityGroupRules refuses it.
	h.up(tIngress, "https", map[string]any{"securityGroupId": users.id, "ipProtocol": "tcp", "fromPort": 8443, "toPort": 8443, "cidrIpv4": "203.0.113.0/24"})
	_, err := h.update("https", map[string]any{"securityGroupId": users.id, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "203.0.113.0/24"}, false)
	wantErr(t, err, "updating VPC Security Group Rule ("+h.res["https"].id+"): operation error EC2: ModifySecurityGroupRules", "InvalidPermission.Duplicate")
}

func TestRuleQuota(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	g := h.sg("users")
	for i := 0; i < 60; i++ {
		h.up(tIngress, fmt.Sprintf("r%d", i), map[string]any{"securityGroupId": g.id, "ipProtocol": "tcp",
			"fromPort": 443, "toPort": 443, "cidrIpv4": fmt.Sprintf("10.%d.0.0/16", i)})
	}
	_, err := h.tryUp(tIngress, "r60", map[string]any{"securityGroupId": g.id, "ipProtocol": "tcp",
		"fromPort": 443, "toPort": 443, "cidrIpv4": "10.200.0.0/16"})
	wantErr(t, err, "RulesPerSecurityGroupLimitExceeded")
}
