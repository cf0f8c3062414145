package standin_test

import (
	"net"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/circleci-server-pulumi/installer/tests/standin"
)

// publicNoAutoIP is a subnet of vpcID that does not map public addresses on
// launch, as every subnet that is not a default subnet starts out.
const publicNoAutoIP = "subnet-0fffffffffffffff1" // 10.0.5.0/24

// nodeLT is a launch template as the installer now writes the Nomad
// clients' and 1.0 builders': one network interface carrying the groups,
// no instance-level groups.
func nodeLT(name string, ni map[string]any) map[string]any {
	return ltProps(name, map[string]any{"networkInterfaces": []any{ni}})
}

func nodeGroup(name, ltID, version string, desired int, subnets ...string) map[string]any {
	return map[string]any{"name": name, "minSize": 0, "maxSize": 6, "desiredCapacity": desired,
		"vpcZoneIdentifiers": subnets, "launchTemplate": map[string]any{"id": ltID, "version": version}}
}

func inCIDR(t *testing.T, ip, cidr string) bool {
	t.Helper()
	_, n, err := net.ParseCIDR(cidr)
	if err != nil {
		t.Fatal(err)
	}
	return n.Contains(net.ParseIP(ip))
}

func TestNewSubnetFixture(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	s, err := h.invoke("aws:ec2/getSubnet:getSubnet", map[string]any{"id": publicNoAutoIP})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"vpcId": vpcID, "cidrBlock": "10.0.5.0/24", "mapPublicIpOnLaunch": false,
		"defaultForAz": false, "availabilityZone": "eu-central-1c"} {
		if got := fromPV(s[resource.PropertyKey(k)]); got != want {
			t.Errorf("%s: expected %v, found %v", k, want, got)
		}
	}
}

// An instance a group launches gets a public IPv4 address exactly when the
// template's interface asks for one, or, when it says nothing, when the
// subnet maps public addresses on launch.
func TestGroupInstancePublicIPs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		subnet  string
		cidr    string
		ask     any  // associatePublicIpAddress; nil leaves it out
		noNI    bool // instance-level groups instead of an interface
		public  bool
		private bool // checked: the address is the subnet's
	}{
		{name: "mapping subnet, template silent", subnet: subnetID, cidr: "10.0.1.0/24", public: true},
		{name: "mapping subnet, template false", subnet: subnetID, cidr: "10.0.1.0/24", ask: "false", public: false},
		{name: "mapping subnet, template true", subnet: subnetID, cidr: "10.0.1.0/24", ask: "true", public: true},
		{name: "public subnet without mapping, template true", subnet: publicNoAutoIP, cidr: "10.0.5.0/24", ask: "true", public: true},
		{name: "public subnet without mapping, template silent", subnet: publicNoAutoIP, cidr: "10.0.5.0/24", public: false},
		{name: "public subnet without mapping, template empty", subnet: publicNoAutoIP, cidr: "10.0.5.0/24", ask: "", public: false},
		{name: "public subnet without mapping, template false", subnet: publicNoAutoIP, cidr: "10.0.5.0/24", ask: "false", public: false},
		{name: "NAT subnet, template true", subnet: privateSubnet, cidr: "10.0.2.0/24", ask: "true", public: true},
		{name: "NAT subnet, template silent", subnet: privateSubnet, cidr: "10.0.2.0/24", public: false},
		{name: "NAT subnet, template 1 (a v5 boolean)", subnet: privateSubnet, cidr: "10.0.2.0/24", ask: "1", public: true},
		{name: "no interface, mapping subnet", subnet: subnetID, cidr: "10.0.1.0/24", noNI: true, public: true},
		{name: "no interface, subnet without mapping", subnet: publicNoAutoIP, cidr: "10.0.5.0/24", noNI: true, public: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "eu-central-1")
			sg := h.sg("nomad")
			props := ltProps("circleci_nomad_clients", map[string]any{"vpcSecurityGroupIds": []string{sg.id}})
			if !tc.noNI {
				ni := map[string]any{"deviceIndex": 0, "securityGroups": []string{sg.id}, "deleteOnTermination": "true"}
				if tc.ask != nil {
					ni["associatePublicIpAddress"] = tc.ask
				}
				props = nodeLT("circleci_nomad_clients", ni)
			}
			lt := h.up(tLT, "lt", props)
			h.up(tGroup, "group", nodeGroup("circleci_nomad_clients_asg", lt.id, "$Latest", 2, tc.subnet))
			got := h.srv.GroupInstances("circleci_nomad_clients_asg")
			if len(got) != 2 {
				t.Fatalf("instances: expected 2, found %+v", got)
			}
			seen := map[string]bool{}
			for _, i := range got {
				if i.SubnetID != tc.subnet || !inCIDR(t, i.PrivateIP, tc.cidr) || seen[i.PrivateIP] {
					t.Errorf("placement: expected a free address of %s in %s, found %+v", tc.cidr, tc.subnet, i)
				}
				seen[i.PrivateIP] = true
				if has := i.PublicIP != ""; has != tc.public {
					t.Errorf("public IPv4 address: expected %v, found %q", tc.public, i.PublicIP)
				}
				if !strings.HasPrefix(i.ID, "i-") || i.LaunchTemplateID != lt.id || i.LaunchTemplateVersion != 1 {
					t.Errorf("launched from: expected %s version 1, found %+v", lt.id, i)
				}
				if !reflect.DeepEqual(i.SecurityGroupIDs, []string{sg.id}) {
					t.Errorf("groups: expected [%s], found %v", sg.id, i.SecurityGroupIDs)
				}
			}
		})
	}
}

// What CreateLaunchTemplate accepts and the group's launch refuses.
func TestGroupLaunchRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra func(sg, other string) map[string]any
		err   string
	}{
		{"interface and instance-level groups", func(sg, _ string) map[string]any {
			return map[string]any{"vpcSecurityGroupIds": []string{sg},
				"networkInterfaces": []any{map[string]any{"deviceIndex": 0, "securityGroups": []string{sg}}}}
		}, "InvalidQueryParameter: Invalid launch template: When a network interface is provided, the security groups must be a part of it."},
		{"interface and instance-level groups, none on the interface", func(sg, _ string) map[string]any {
			return map[string]any{"vpcSecurityGroupIds": []string{sg},
				"networkInterfaces": []any{map[string]any{"deviceIndex": 0, "associatePublicIpAddress": "true"}}}
		}, "InvalidQueryParameter: Invalid launch template"},
		{"key pair that does not exist", func(sg, _ string) map[string]any {
			return map[string]any{"keyName": "nobody", "vpcSecurityGroupIds": []string{sg}}
		}, "ValidationError: You must use a valid fully-formed launch template. The key pair 'nobody' does not exist"},
		{"instance profile that does not exist", func(sg, _ string) map[string]any {
			return map[string]any{"iamInstanceProfile": map[string]any{"name": "nope"}, "vpcSecurityGroupIds": []string{sg}}
		}, "ValidationError: You must use a valid fully-formed launch template. Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"},
		{"interface group of another VPC", func(_, other string) map[string]any {
			return map[string]any{"networkInterfaces": []any{map[string]any{"deviceIndex": 0, "securityGroups": []string{other}}}}
		}, "belong to different networks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "eu-central-1")
			sg := h.sg("nomad")
			other := h.up(tSG, "other", map[string]any{"name": "other", "vpcId": otherVPC})
			// CreateLaunchTemplate does not validate these.
			lt, err := h.tryUp(tLT, "lt", ltProps("circleci_nomad_clients", tc.extra(sg.id, other.id)))
			if err != nil {
				t.Fatalf("launch template: expected it accepted, found %v", err)
			}
			_, err = h.tryUp(tGroup, "group", nodeGroup("g", lt.id, "1", 1, subnetID))
			wantErr(t, err, "creating Auto Scaling Group (g)", "Auto Scaling: CreateAutoScalingGroup", tc.err)
			if got := h.srv.GroupInstances("g"); len(got) != 0 {
				t.Errorf("instances of a refused group: expected none, found %v", got)
			}
		})
	}
}

// A good group whose template gains instance-level groups next to its
// interface cannot move to that version; its instances stay as they were.
func TestGroupRefusesBadVersion(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	sg := h.sg("nomad")
	ni := map[string]any{"deviceIndex": 0, "securityGroups": []string{sg.id}, "associatePublicIpAddress": "false"}
	props := nodeLT("circleci_nomad_clients", ni)
	lt := h.up(tLT, "lt", props)
	group := nodeGroup("g", lt.id, "1", 1, subnetID)
	h.up(tGroup, "group", group)
	before := h.srv.GroupInstances("g")
	props["vpcSecurityGroupIds"] = []string{sg.id}
	if _, err := h.update("lt", props, false); err != nil {
		t.Fatalf("new version: expected it accepted, found %v", err)
	}
	group["launchTemplate"] = map[string]any{"id": lt.id, "version": "2"}
	_, err := h.update("group", group, false)
	wantErr(t, err, "updating Auto Scaling Group (g)", "Auto Scaling: UpdateAutoScalingGroup", "InvalidQueryParameter")
	if after := h.srv.GroupInstances("g"); !reflect.DeepEqual(after, before) {
		t.Errorf("instances after the refused update: expected %v, found %v", before, after)
	}
}

func versionsOf(is []standin.LaunchedInstance) []int {
	var out []int
	for _, i := range is {
		out = append(out, i.LaunchTemplateVersion)
	}
	return out
}

func idsOf(is []standin.LaunchedInstance) []string {
	var out []string
	for _, i := range is {
		out = append(out, i.ID)
	}
	return out
}

// A group launches its desired capacity across its zones, keeps the version
// running instances were launched from, scales in by the default
// termination policy, replaces everything on an instance refresh, and takes
// its instances with it.
func TestGroupLifecycle(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	sg := h.sg("nomad")
	props := nodeLT("circleci_nomad_clients", map[string]any{"deviceIndex": 0, "securityGroups": []string{sg.id}, "associatePublicIpAddress": "true"})
	lt := h.up(tLT, "lt", props)
	group := nodeGroup("g", lt.id, "1", 2, subnetID, privateSubnet)
	h.up(tGroup, "group", group)

	step := func(what string, wantVersions []int, wantAZs []string) []standin.LaunchedInstance {
		t.Helper()
		got := h.srv.GroupInstances("g")
		if v := versionsOf(got); !reflect.DeepEqual(v, wantVersions) {
			t.Errorf("%s: versions expected %v, found %v", what, wantVersions, v)
		}
		var azs []string
		for _, i := range got {
			azs = append(azs, i.AvailabilityZone)
		}
		if wantAZs != nil && !reflect.DeepEqual(azs, wantAZs) {
			t.Errorf("%s: zones expected %v, found %v", what, wantAZs, azs)
		}
		return got
	}
	step("created", []int{1, 1}, []string{"eu-central-1a", "eu-central-1b"})

	// A preview changes nothing.
	group["desiredCapacity"] = 3
	if _, err := h.update("group", group, true); err != nil {
		t.Fatal(err)
	}
	step("after a preview", []int{1, 1}, nil)
	if _, err := h.update("group", group, false); err != nil {
		t.Fatal(err)
	}
	step("scaled out", []int{1, 1, 1}, []string{"eu-central-1a", "eu-central-1b", "eu-central-1a"})

	// A new version reaches only what launches from now on.
	props["userData"] = "IyEvYmluL2Jhc2gKZWNobyB2Mgo="
	if _, err := h.update("lt", props, false); err != nil {
		t.Fatal(err)
	}
	group["launchTemplate"] = map[string]any{"id": lt.id, "version": "2"}
	group["desiredCapacity"] = 4
	if _, err := h.update("group", group, false); err != nil {
		t.Fatal(err)
	}
	kept := step("new version, no refresh", []int{1, 1, 1, 2}, []string{"eu-central-1a", "eu-central-1b", "eu-central-1a", "eu-central-1b"})
	for _, o := range opsOf(h, "group") {
		if o == "instance-refresh" {
			t.Errorf("operations: expected no instance refresh without an instance_refresh block, found %v", opsOf(h, "group"))
		}
	}

	// Scale-in: the zone with most instances first, then the oldest version.
	group["desiredCapacity"] = 2
	if _, err := h.update("group", group, false); err != nil {
		t.Fatal(err)
	}
	left := step("scaled in", []int{1, 2}, []string{"eu-central-1a", "eu-central-1b"})
	if want := []string{kept[2].ID, kept[3].ID}; !reflect.DeepEqual(idsOf(left), want) {
		t.Errorf("scale-in kept: expected %v, found %v", want, idsOf(left))
	}

	// With an instance refresh, a new version replaces every instance.
	group["instanceRefresh"] = map[string]any{"strategy": "Rolling", "preferences": map[string]any{"minHealthyPercentage": 50}}
	if _, err := h.update("group", group, false); err != nil {
		t.Fatal(err)
	}
	step("refresh block added, template unchanged", []int{1, 2}, nil)
	props["instanceType"] = "m5.2xlarge"
	if _, err := h.update("lt", props, false); err != nil {
		t.Fatal(err)
	}
	group["launchTemplate"] = map[string]any{"id": lt.id, "version": "3"}
	if _, err := h.update("group", group, false); err != nil {
		t.Fatal(err)
	}
	refreshed := step("refreshed", []int{3, 3}, nil)
	for _, i := range refreshed {
		for _, old := range left {
			if i.ID == old.ID {
				t.Errorf("refresh: expected new instances, found %s kept", i.ID)
			}
		}
		if i.PublicIP == "" {
			t.Errorf("refreshed instance: expected a public address, found none: %+v", i)
		}
	}
	if ops := opsOf(h, "group"); ops[len(ops)-1] != "instance-refresh" {
		t.Errorf("operations: expected the last to be an instance refresh, found %v", ops)
	}

	// The instances' addresses are taken; deleting the group frees them.
	eni := h.up(tENI, "eni", map[string]any{"subnetId": subnetID})
	if eni.str("privateIp") == refreshed[0].PrivateIP || eni.str("privateIp") == refreshed[1].PrivateIP {
		t.Errorf("interface address: expected one no instance holds, found %s (instances %v)", eni.str("privateIp"), refreshed)
	}
	if err := h.delete("group"); err != nil {
		t.Fatal(err)
	}
	if got := h.srv.GroupInstances("g"); len(got) != 0 {
		t.Errorf("after the group's delete: expected no instances, found %v", got)
	}
	again := h.up(tENI, "eni-2", map[string]any{"subnetId": subnetID})
	if again.str("privateIp") != "10.0.1.4" && eni.str("privateIp") != "10.0.1.4" {
		t.Errorf("after the group's delete: expected 10.0.1.4 free again, found %s and %s", eni.str("privateIp"), again.str("privateIp"))
	}
}

// Without a desired capacity a group starts at its minimum, and a move of
// its bounds drags the capacity along.
func TestGroupDesiredCapacityFollowsBounds(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	sg := h.sg("nomad")
	lt := h.up(tLT, "lt", nodeLT("circleci_nomad_clients", map[string]any{"deviceIndex": 0, "securityGroups": []string{sg.id}}))
	group := map[string]any{"name": "g", "minSize": 1, "maxSize": 4, "vpcZoneIdentifiers": []string{subnetID},
		"launchTemplate": map[string]any{"id": lt.id, "version": "$Latest"}}
	for _, tc := range []struct {
		what     string
		min, max int
		want     int
	}{
		{"created", 1, 4, 1},
		{"minimum raised", 3, 4, 3},
		{"maximum lowered", 0, 2, 2},
		{"bounds widened", 0, 5, 2},
	} {
		group["minSize"], group["maxSize"] = tc.min, tc.max
		var outs map[string]any
		if tc.what == "created" {
			outs = fromPM(h.up(tGroup, "group", group).outputs)
		} else {
			o, err := h.update("group", group, false)
			if err != nil {
				t.Fatalf("%s: %v", tc.what, err)
			}
			outs = fromPM(o)
		}
		if outs["desiredCapacity"] != float64(tc.want) || len(h.srv.GroupInstances("g")) != tc.want {
			t.Errorf("%s: desired capacity expected %d, found %v with %d instances", tc.what, tc.want, outs["desiredCapacity"],
				len(h.srv.GroupInstances("g")))
		}
	}
}

// The provider's schema checks of a group, as a preview reports them.
func TestGroupChecks(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	base := func(extra map[string]any) map[string]any {
		p := map[string]any{"name": "g", "minSize": 0, "maxSize": 1, "vpcZoneIdentifiers": []string{subnetID},
			"launchTemplate": map[string]any{"id": "lt-0123456789abcdef0"}}
		for k, v := range extra {
			if v == nil {
				delete(p, k)
			} else {
				p[k] = v
			}
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		props map[string]any
		want  string // "" for no failure
	}{
		{"good", base(nil), ""},
		{"no template", base(map[string]any{"launchTemplate": nil}),
			"\"launch_template\": one of `launch_configuration,launch_template,mixed_instances_policy` must be specified"},
		{"two launch sources", base(map[string]any{"launchConfiguration": "lc"}),
			"only one of `launch_configuration,launch_template,mixed_instances_policy` can be specified, but `launch_configuration,launch_template` were specified."},
		{"name of 255", base(map[string]any{"name": strings.Repeat("a", 255)}), ""},
		{"name of 256", base(map[string]any{"name": strings.Repeat("a", 256)}), "expected length of name to be in the range (0 - 255)"},
		{"template id form", base(map[string]any{"launchTemplate": map[string]any{"id": "template-1"}}),
			"\"launch_template.0.id\" must begin with 'lt-' and be comprised of only alphanumeric characters: template-1"},
		{"template id and name", base(map[string]any{"launchTemplate": map[string]any{"id": "lt-1", "name": "abc"}}),
			"\"launch_template.0.name\": conflicts with launch_template.0.id"},
		{"template name too short", base(map[string]any{"launchTemplate": map[string]any{"name": "ab"}}),
			"\"launch_template.0.name\" cannot be less than 3 characters"},
		{"zones and subnets", base(map[string]any{"availabilityZones": []string{"eu-central-1a"}}),
			"\"vpc_zone_identifier\": conflicts with availability_zones"},
		{"refresh strategy", base(map[string]any{"instanceRefresh": map[string]any{"strategy": "AllAtOnce"}}),
			"expected instance_refresh.0.strategy to be one of"},
		{"healthy percentage", base(map[string]any{"instanceRefresh": map[string]any{"strategy": "Rolling",
			"preferences": map[string]any{"minHealthyPercentage": 101}}}), "range (0 - 100)"},
		{"capacity timeout", base(map[string]any{"waitForCapacityTimeout": "ten minutes"}),
			"\"wait_for_capacity_timeout\" cannot be parsed as a duration"},
		{"health check type is not checked here", base(map[string]any{"healthCheckType": "HTTP"}), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, failures, err := h.check(tGroup, "g", tc.props)
			if err != nil {
				t.Fatal(err)
			}
			var reasons []string
			for _, f := range failures {
				reasons = append(reasons, f.Reason)
			}
			found := strings.Join(reasons, "; ")
			if tc.want == "" && len(failures) > 0 || tc.want != "" && !strings.Contains(found, tc.want) {
				t.Errorf("failures: expected %q, found %q", tc.want, found)
			}
		})
	}
	// AWS, not the provider, refuses a health check type it does not know.
	lt := h.up(tLT, "lt", ltProps("circleci_nomad_clients", nil))
	_, err := h.tryUp(tGroup, "hc", map[string]any{"name": "hc", "minSize": 0, "maxSize": 1, "vpcZoneIdentifiers": []string{subnetID},
		"healthCheckType": "HTTP", "launchTemplate": map[string]any{"id": lt.id}})
	wantErr(t, err, "ValidationError", "HTTP")
}

// A group pinned to an older version launches what that version holds,
// not what the template's latest version holds.
func TestGroupLaunchesItsVersion(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	sg := h.sg("nomad")
	ni := map[string]any{"deviceIndex": 0, "securityGroups": []string{sg.id}, "associatePublicIpAddress": "true"}
	props := nodeLT("circleci_nomad_clients", ni)
	lt := h.up(tLT, "lt", props)
	props["networkInterfaces"] = []any{map[string]any{"deviceIndex": 0, "securityGroups": []string{sg.id}, "associatePublicIpAddress": "false"}}
	if _, err := h.update("lt", props, false); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		version string
		want    int
		public  bool
	}{
		{"1", 1, true}, {"2", 2, false}, {"$Latest", 2, false}, {"$Default", 2, false},
	} {
		name := "g" + strings.Trim(tc.version, "$")
		h.up(tGroup, name, nodeGroup(name, lt.id, tc.version, 1, publicNoAutoIP))
		got := h.srv.GroupInstances(name)
		if len(got) != 1 || got[0].LaunchTemplateVersion != tc.want || (got[0].PublicIP != "") != tc.public {
			t.Errorf("version %s: expected one instance of version %d with public address %v, found %+v", tc.version, tc.want, tc.public, got)
		}
	}
}

// The provider's schema checks of an instance, as a preview reports them.
func TestInstanceChecks(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	onENI := map[string]any{"networkInterfaces": []any{map[string]any{"deviceIndex": 0, "networkInterfaceId": "eni-0123456789abcdef0"}}}
	with := func(extra ...map[string]any) map[string]any {
		p := map[string]any{"ami": ami, "instanceType": "m5.large"}
		for _, e := range extra {
			for k, v := range e {
				if v == nil {
					delete(p, k)
				} else {
					p[k] = v
				}
			}
		}
		return p
	}
	for _, tc := range []struct {
		name  string
		props map[string]any
		want  string // "" for no failure
	}{
		{"good", with(), ""},
		{"no image", with(map[string]any{"ami": nil}), "\"ami\": one of `ami,launch_template` must be specified"},
		{"no type", with(map[string]any{"instanceType": nil}), "\"instance_type\": one of `instance_type,launch_template` must be specified"},
		{"launch template instead", map[string]any{"launchTemplate": map[string]any{"id": "lt-0123456789abcdef0"}}, ""},
		{"interface alone", with(onENI), ""},
		{"interface and subnet", with(onENI, map[string]any{"subnetId": subnetID}), "\"network_interface\": conflicts with subnet_id"},
		{"interface and groups", with(onENI, map[string]any{"vpcSecurityGroupIds": []string{"sg-1"}}),
			"\"network_interface\": conflicts with vpc_security_group_ids"},
		{"interface and public address", with(onENI, map[string]any{"associatePublicIpAddress": true}),
			"\"network_interface\": conflicts with associate_public_ip_address"},
		{"interface and source/dest check off", with(onENI, map[string]any{"sourceDestCheck": false}),
			"\"network_interface\": conflicts with source_dest_check"},
		{"user data of 16384", with(map[string]any{"userData": strings.Repeat("#", 16384)}), ""},
		{"user data of 16385", with(map[string]any{"userData": strings.Repeat("#", 16385)}),
			"expected length of user_data to be in the range (0 - 16384)"},
		{"user data not base64", with(map[string]any{"userDataBase64": "#!/bin/bash"}),
			"\"user_data_base64\" (\"#!/bin/bash\") must be base64-encoded"},
		{"both user data", with(map[string]any{"userData": "x", "userDataBase64": "eA=="}), "\"user_data_base64\": conflicts with user_data"},
		{"root volume size is AWS's business", with(map[string]any{"rootBlockDevice": map[string]any{"volumeSize": 20000}}), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, failures, err := h.check(tInstance, "box", tc.props)
			if err != nil {
				t.Fatal(err)
			}
			var reasons []string
			for _, f := range failures {
				reasons = append(reasons, f.Reason)
			}
			found := strings.Join(reasons, "; ")
			if tc.want == "" && len(failures) > 0 || tc.want != "" && !strings.Contains(found, tc.want) {
				t.Errorf("failures: expected %q, found %q", tc.want, found)
			}
		})
	}
	_, err := h.tryUp(tInstance, "big", with(map[string]any{"subnetId": subnetID, "rootBlockDevice": map[string]any{"volumeSize": 20000}}))
	wantErr(t, err, "creating EC2 Instance", "EC2: RunInstances", "16384")
}
