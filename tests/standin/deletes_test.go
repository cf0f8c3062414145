package standin_test

import (
	"fmt"
	"reflect"
	"testing"
)

func TestSecurityGroupDeleteRefusals(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	services := h.sg("services")
	builders := h.sg("builders")
	nomad := h.sg("nomad")
	vm := h.sg("vm")
	admin := h.up(tSG, "admin", map[string]any{"name": "circleci_admin", "vpcId": vpcID, "revokeRulesOnDelete": true})
	// builders admits services: services can't go while that rule lives.
	h.up(tIngress, "from-services", map[string]any{"securityGroupId": builders.id, "ipProtocol": "-1",
		"referencedSecurityGroupId": services.id})
	// A group's rules referring to itself do not hold it.
	h.up(tIngress, "among-builders", map[string]any{"securityGroupId": builders.id, "ipProtocol": "-1",
		"referencedSecurityGroupId": builders.id})
	h.up(tENI, "eni", map[string]any{"subnetId": subnetID, "securityGroups": []string{nomad.id}})
	// A launch template alone does not hold a group; the instances a group launches from it do.
	lt := h.up(tLT, "lt", ltProps("circleci_vm", map[string]any{"vpcSecurityGroupIds": []string{vm.id}}))
	h.up(tGroup, "asg", map[string]any{"name": "circleci_vm_asg", "minSize": 0, "maxSize": 1, "desiredCapacity": 1,
		"vpcZoneIdentifiers": []string{subnetID}, "launchTemplate": map[string]any{"id": lt.id, "version": "$Latest"}})

	for _, name := range []string{"services", "nomad", "vm"} {
		err := h.delete(name)
		wantErr(t, err, "DependencyViolation: resource "+h.res[name].id+" has a dependent object")
	}
	// With revoke_rules_on_delete the provider revokes the other groups' rules that refer to it.
	h.up(tIngress, "from-admin", map[string]any{"securityGroupId": nomad.id, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
		"referencedSecurityGroupId": admin.id})
	if err := h.delete("admin"); err != nil {
		t.Fatalf("delete with revoke_rules_on_delete: %v", err)
	}
	if rules := h.srv.Find(tIngress); len(rules) != 2 {
		t.Errorf("the rule referring to the deleted group should be revoked: %v", rules)
	}
	// Once what uses them is gone, they go.
	for _, name := range []string{"from-services", "eni", "asg", "vm", "lt", "services", "nomad"} {
		if err := h.delete(name); err != nil {
			t.Fatalf("delete %s: %v", name, err)
		}
	}
	// builders takes its own rules with it.
	if err := h.delete("builders"); err != nil {
		t.Fatal(err)
	}
	if inv := h.srv.Inventory(); len(inv) != 0 {
		t.Errorf("left over: %v", inv)
	}
	// Deleting the rules afterwards is deleting what is already gone.
	for _, name := range []string{"among-builders", "from-admin"} {
		if err := h.delete(name); err != nil {
			t.Fatal(err)
		}
	}
}

// opsOf lists the non-preview operations on one resource, by name.
func opsOf(h *harness, name string) []string {
	var out []string
	for _, o := range h.srv.Operations() {
		if o.Name == name && !o.Preview {
			out = append(out, o.Op)
		}
	}
	return out
}

// The provider's delete lifts termination protection before it terminates
// (resourceInstanceDelete); only stop protection still refuses.
func TestInstanceTerminationProtection(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		termination, stop     any // nil leaves the input out
		err                   string
		ops                   []string
		gone, terminationLeft bool
	}{
		{name: "termination protection is lifted, then the instance goes", termination: true,
			ops: []string{"create", "disable-api-termination=false", "delete"}, gone: true},
		{name: "unprotected: the provider lifts it all the same", termination: false,
			ops: []string{"create", "disable-api-termination=false", "delete"}, gone: true},
		{name: "attribute left out", ops: []string{"create", "disable-api-termination=false", "delete"}, gone: true},
		{name: "stop protection is set again, not lifted, and refuses", termination: true, stop: true,
			err: "OperationNotPermitted: The instance '%s' may not be terminated. Modify its 'disableApiStop' instance attribute and try again.",
			ops: []string{"create", "disable-api-termination=false", "disable-api-stop=true"}},
		{name: "stop protection false is not touched", stop: false,
			ops: []string{"create", "disable-api-termination=false", "delete"}, gone: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "eu-central-1")
			props := map[string]any{"ami": ami, "instanceType": "m5.2xlarge", "subnetId": subnetID}
			if tc.termination != nil {
				props["disableApiTermination"] = tc.termination
			}
			if tc.stop != nil {
				props["disableApiStop"] = tc.stop
			}
			i := h.up(tInstance, "services", props)
			err := h.delete("services")
			if tc.err != "" {
				wantErr(t, err, fmt.Sprintf(tc.err, i.id))
			} else if err != nil {
				t.Fatalf("delete: expected success, found %v", err)
			}
			if got := opsOf(h, "services"); !reflect.DeepEqual(got, tc.ops) {
				t.Errorf("operations: expected %v, found %v", tc.ops, got)
			}
			left := h.srv.Find(tInstance)
			if tc.gone && len(left) != 0 {
				t.Errorf("expected the instance terminated, found %v", left)
			}
			if !tc.gone {
				if len(left) != 1 {
					t.Fatalf("expected the instance kept, found %v", left)
				}
				// The first ModifyInstanceAttribute took effect before the refusal.
				if v := left[0].Properties["disableApiTermination"]; v != false {
					t.Errorf("disableApiTermination after the refused delete: expected false, found %v", v)
				}
				if v := left[0].Properties["disableApiStop"]; v != true {
					t.Errorf("disableApiStop after the refused delete: expected true, found %v", v)
				}
			}
		})
	}
}

func TestBucketDelete(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	h.up(tBucket, "kept", map[string]any{"bucket": "circleci-kept"})
	h.up(tSSE, "kept-sse", map[string]any{"bucket": "circleci-kept", "rules": []any{
		map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}}})
	if err := h.srv.PutObject("circleci-kept", "artifacts/build-1/log.txt"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, h.delete("kept"), "BucketNotEmpty: The bucket you tried to delete is not empty")

	h.up(tBucket, "scratch", map[string]any{"bucket": "circleci-scratch", "forceDestroy": true})
	if err := h.srv.PutObject("circleci-scratch", "x"); err != nil {
		t.Fatal(err)
	}
	if err := h.delete("scratch"); err != nil {
		t.Fatal(err)
	}
	// An empty bucket goes, and its configuration with it.
	h.up(tBucket, "empty", map[string]any{"bucket": "circleci-empty"})
	h.up(tPAB, "empty-pab", map[string]any{"bucket": "circleci-empty", "blockPublicAcls": true})
	if err := h.delete("empty"); err != nil {
		t.Fatal(err)
	}
	if got := h.srv.Find(tPAB); len(got) != 0 {
		t.Errorf("configuration outlived its bucket: %v", got)
	}
	wantErr(t, h.srv.PutObject("circleci-empty", "x"), "NoSuchBucket")
}

func TestInterfaceInUse(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	eni := h.up(tENI, "eni", map[string]any{"subnetId": subnetID})
	onENI := map[string]any{"ami": ami, "instanceType": "m5.2xlarge", "networkInterfaces": []any{
		map[string]any{"deviceIndex": 0, "networkInterfaceId": eni.id}}}
	h.up(tInstance, "services", onENI)
	_, err := h.tryUp(tInstance, "services-2", onENI)
	wantErr(t, err, "InvalidNetworkInterface.InUse: Interface: ["+eni.id+"] in use.")
	wantErr(t, h.delete("eni"), "InvalidParameterValue: Network interface '"+eni.id+"' is currently in use.")
	// Delete-before-replace frees the interface for the replacement.
	if err := h.delete("services"); err != nil {
		t.Fatal(err)
	}
	h.up(tInstance, "services-2", onENI)
}

func TestRoleDeleteNeedsPoliciesGone(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	h.up(tRole, "role", map[string]any{"name": "r", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
	h.up(tPolicy, "policy", map[string]any{"name": "p", "role": "r", "policy": allowPolicy("s3:*", "*")})
	wantErr(t, h.delete("role"), "DeleteConflict: Cannot delete entity, must delete policies first.")
	if err := h.delete("policy"); err != nil {
		t.Fatal(err)
	}
	if err := h.delete("role"); err != nil {
		t.Fatal(err)
	}
}
