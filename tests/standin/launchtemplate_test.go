package standin_test

import (
	"encoding/base64"
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
