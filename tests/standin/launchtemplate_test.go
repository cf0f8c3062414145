package standin_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func num(t *testing.T, m resource.PropertyMap, k string) float64 {
	t.Helper()
	v := m[resource.PropertyKey(k)]
	if !v.IsNumber() {
		t.Fatalf("%s = %v, not a number", k, v)
	}
	return v.NumberValue()
}

func TestLaunchTemplateVersions(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	sg := h.sg("nomad")
	props := ltProps("circleci_nomad_clients", map[string]any{"vpcSecurityGroupIds": []string{sg.id},
		"tags": map[string]any{"team": "a"}})
	lt := h.up(tLT, "lt", props)
	if num(t, lt.outputs, "latestVersion") != 1 || num(t, lt.outputs, "defaultVersion") != 1 ||
		!strings.HasPrefix(lt.id, "lt-") || len(lt.id) != 20 {
		t.Fatalf("new template: id %s, %v", lt.id, lt.outputs)
	}
	group := map[string]any{"name": "circleci_nomad_clients_asg", "minSize": 0, "maxSize": 2, "desiredCapacity": 1,
		"vpcZoneIdentifiers": []string{subnetID}, "launchTemplate": map[string]any{"id": lt.id, "version": "1"},
		"instanceRefresh": map[string]any{"strategy": "Rolling", "preferences": map[string]any{"minHealthyPercentage": 50}}}
	h.up(tGroup, "group", group)

	// A new boot script is a new version of the same template, not a new template.
	props["userData"] = base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho nomad 0.9.3\n"))
	d := h.diff("lt", props)
	if len(d.Replaces) != 0 || len(d.Diffs) != 1 || d.Diffs[0] != "userData" {
		t.Fatalf("content change diff: %v", d)
	}
	outs, err := h.update("lt", props, true)
	if err != nil {
		t.Fatal(err)
	}
	if !outs["latestVersion"].IsComputed() {
		t.Errorf("a preview cannot know the new version: %v", outs["latestVersion"])
	}
	if v := h.srv.Find(tLT)[0].Properties["latestVersion"]; v != 1.0 {
		t.Errorf("preview changed the template: latestVersion %v", v)
	}
	if outs, err = h.update("lt", props, false); err != nil {
		t.Fatal(err)
	}
	if num(t, outs, "latestVersion") != 2 || num(t, outs, "defaultVersion") != 2 {
		t.Errorf("after a content change: %v", outs)
	}
	// Tags are not content.
	props["tags"] = map[string]any{"team": "b"}
	if outs, err = h.update("lt", props, false); err != nil {
		t.Fatal(err)
	}
	if num(t, outs, "latestVersion") != 2 {
		t.Errorf("a tag change made a version: %v", outs["latestVersion"])
	}
	props["instanceType"] = "m5.2xlarge"
	if outs, _ = h.update("lt", props, false); num(t, outs, "latestVersion") != 3 {
		t.Errorf("instance type change: %v", outs["latestVersion"])
	}
	// Only the name replaces.
	props["name"] = "circleci_nomad_clients_v2"
	if d := h.diff("lt", props); len(d.Replaces) != 1 || d.Replaces[0] != "name" {
		t.Errorf("rename: %v", d)
	}

	// The group follows the version; with an instance refresh that starts one.
	group["launchTemplate"] = map[string]any{"id": lt.id, "version": "3"}
	if d := h.diff("group", group); len(d.Replaces) != 0 || len(d.Diffs) != 1 {
		t.Errorf("group diff: %v", d)
	}
	if _, err := h.update("group", group, false); err != nil {
		t.Fatal(err)
	}
	ops := h.srv.Operations()
	if last := ops[len(ops)-1]; last.Op != "instance-refresh" || last.Name != "group" {
		t.Errorf("last operation %+v, want an instance refresh of the group", last)
	}
	group["launchTemplate"] = map[string]any{"id": lt.id, "version": "4"}
	_, err = h.update("group", group, false)
	wantErr(t, err, "version 4 does not exist")
}

func TestLaunchTemplateUserData(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	_, err := h.tryUp(tLT, "plain", ltProps("plain-script", map[string]any{"userData": "#!/bin/bash\necho hi\n"}))
	wantErr(t, err, "InvalidUserData.Malformed: Invalid BASE64 encoding of user data.")
	big := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("#", 16385)))
	_, err = h.tryUp(tLT, "big", ltProps("big-script", map[string]any{"userData": big}))
	wantErr(t, err, "User data is limited to 16384 bytes")
	h.up(tLT, "ok", ltProps("ok-script", nil))
	// An update is held to the same rules.
	_, err = h.update("ok", ltProps("ok-script", map[string]any{"userData": "not base64!"}), false)
	wantErr(t, err, "Invalid BASE64 encoding of user data.")
	// Instances have the same limit.
	_, err = h.tryUp(tInstance, "box", map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": subnetID, "userDataBase64": big})
	wantErr(t, err, "User data is limited to 16384 bytes")
}

// The provider's schema checks of a launch template, as a preview reports
// them.
func TestLaunchTemplateChecks(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	bdm := func(ebs map[string]any) map[string]any {
		return map[string]any{"blockDeviceMappings": []any{map[string]any{"deviceName": "/dev/sda1", "ebs": ebs}}}
	}
	ni := func(m map[string]any) map[string]any { return map[string]any{"networkInterfaces": []any{m}} }
	for _, tc := range []struct {
		name  string
		props map[string]any
		want  string // "" for no failure
	}{
		{"good", ltProps("circleci_nomad_clients", nil), ""},
		{"name of 3", ltProps("abc", nil), ""},
		{"name of 2", ltProps("ab", nil), "\"name\" cannot be less than 3 characters"},
		{"name of 125", ltProps(strings.Repeat("a", 125), nil), ""},
		{"name of 126", ltProps(strings.Repeat("a", 126), nil), "\"name\" cannot be longer than 125 characters"},
		{"name with a space", ltProps("nomad clients", nil), "\"name\" can only alphanumeric characters and ()./_- symbols"},
		{"name with every allowed symbol", ltProps("circleci_nomad-clients(1)./x", nil), ""},
		{"prefix of 100", map[string]any{"namePrefix": strings.Repeat("a", 100)}, "\"name_prefix\" cannot be longer than 99 characters"},
		{"description of 256", ltProps("d", map[string]any{"name": "ddd", "description": strings.Repeat("d", 256)}),
			"expected length of description to be in the range (0 - 255)"},
		{"encrypted yes", ltProps("ebs", bdm(map[string]any{"encrypted": "yes"})),
			"block_device_mappings.0.ebs.0.encrypted: cannot parse 'yes' as boolean"},
		{"encrypted 1, as the v5 provider reads booleans", ltProps("ebs", bdm(map[string]any{"encrypted": "1"})), ""},
		{"encrypted empty", ltProps("ebs", bdm(map[string]any{"encrypted": ""})), ""},
		{"throughput below 125", ltProps("ebs", bdm(map[string]any{"volumeType": "gp3", "throughput": 100})), "range (125 - 1000)"},
		{"interface public address maybe", ltProps("nis", ni(map[string]any{"deviceIndex": 0, "associatePublicIpAddress": "maybe"})),
			"network_interfaces.0.associate_public_ip_address: cannot parse 'maybe' as boolean"},
		{"interface delete on termination", ltProps("nis", ni(map[string]any{"deviceIndex": 0, "deleteOnTermination": "always"})),
			"network_interfaces.0.delete_on_termination: cannot parse 'always' as boolean"},
		{"interface type", ltProps("nis", ni(map[string]any{"deviceIndex": 0, "interfaceType": "trunk"})),
			"expected network_interfaces.0.interface_type to be one of"},
		{"interface with the installer's settings", ltProps("nis", ni(map[string]any{"deviceIndex": 0,
			"associatePublicIpAddress": "false", "securityGroups": []string{"sg-0123456789abcdef0"}, "deleteOnTermination": "true"})), ""},
		{"default version 0", ltProps("dv", map[string]any{"updateDefaultVersion": nil, "defaultVersion": 0}), "expected default_version to be at least (1)"},
		{"default version and update default version", ltProps("dv", map[string]any{"defaultVersion": 1}),
			"\"default_version\": conflicts with update_default_version"},
		{"group ids and group names", ltProps("sg", map[string]any{"vpcSecurityGroupIds": []string{"sg-1"}, "securityGroupNames": []string{"x"}}),
			"\"vpc_security_group_ids\": conflicts with security_group_names"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			props := map[string]any{}
			for k, v := range tc.props {
				if v != nil {
					props[k] = v
				}
			}
			_, failures, err := h.check(tLT, "lt", props)
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
}

// CreateLaunchTemplate takes tags only for what an instance launch creates.
func TestLaunchTemplateTagSpecifications(t *testing.T) {
	for i, tc := range []struct {
		resourceType string
		refused      bool
	}{
		{"instance", false}, {"volume", false}, {"network-interface", false}, {"spot-instances-request", false},
		{"launch-template", true}, {"elastic-gpu", true}, {"capacity-reservation", true},
	} {
		t.Run(tc.resourceType, func(t *testing.T) {
			h := newHarness(t, "eu-central-1")
			_, err := h.tryUp(tLT, "lt", ltProps(fmt.Sprintf("tagged-%d", i), map[string]any{"tagSpecifications": []any{
				map[string]any{"resourceType": tc.resourceType, "tags": map[string]any{"team": "ci"}}}}))
			switch {
			case tc.refused:
				wantErr(t, err, "creating EC2 Launch Template", "EC2: CreateLaunchTemplate", "InvalidParameterValue", tc.resourceType)
			case err != nil:
				t.Errorf("expected it accepted, found %v", err)
			}
		})
	}
}

// What a preview of an update knows about the versions, and what the update
// then does, as the provider's CustomizeDiff and resourceLaunchTemplateUpdate
// have it.
func TestLaunchTemplateVersionPreviews(t *testing.T) {
	for _, tc := range []struct {
		name                          string
		change                        map[string]any
		latestUnknown, defaultUnknown bool
		latestAfter, defaultAfter     float64
	}{
		{"boot script", map[string]any{"userData": "IyEvYmluL3NoCg=="}, true, true, 2, 2},
		{"tags: unknown in preview, yet no version", map[string]any{"tags": map[string]any{"team": "b"}}, true, true, 1, 1},
		{"description: known in preview, yet a version", map[string]any{"description": "nomad clients"}, false, false, 2, 2},
		{"interfaces", map[string]any{"networkInterfaces": []any{map[string]any{"deviceIndex": 0, "associatePublicIpAddress": "true"}}}, true, true, 2, 2},
		{"default version pinned", map[string]any{"updateDefaultVersion": false}, false, false, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "eu-central-1")
			props := ltProps("circleci_nomad_clients", map[string]any{"tags": map[string]any{"team": "a"}})
			h.up(tLT, "lt", props)
			for k, v := range tc.change {
				props[k] = v
			}
			outs, err := h.update("lt", props, true)
			if err != nil {
				t.Fatal(err)
			}
			if got := outs["latestVersion"].IsComputed(); got != tc.latestUnknown {
				t.Errorf("preview latestVersion unknown: expected %v, found %v (%v)", tc.latestUnknown, got, outs["latestVersion"])
			}
			if got := outs["defaultVersion"].IsComputed(); got != tc.defaultUnknown {
				t.Errorf("preview defaultVersion unknown: expected %v, found %v (%v)", tc.defaultUnknown, got, outs["defaultVersion"])
			}
			if outs, err = h.update("lt", props, false); err != nil {
				t.Fatal(err)
			}
			if l, d := num(t, outs, "latestVersion"), num(t, outs, "defaultVersion"); l != tc.latestAfter || d != tc.defaultAfter {
				t.Errorf("after the update: expected versions %v/%v, found %v/%v", tc.latestAfter, tc.defaultAfter, l, d)
			}
		})
	}
}
