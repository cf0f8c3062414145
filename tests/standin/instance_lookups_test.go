package standin_test

import (
	"context"
	"crypto/sha1" //nolint:gosec // the provider's user data hash
	"encoding/hex"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	tGetInstances = "aws:ec2/getInstances:getInstances"
	tGetInstance  = "aws:ec2/getInstance:getInstance"
)

// pulumiKeys are the pulumi tags of a Go SDK struct: the keys its answer has.
func pulumiKeys(v any) []string {
	var out []string
	t := reflect.TypeOf(v)
	for i := 0; i < t.NumField(); i++ {
		if k := t.Field(i).Tag.Get("pulumi"); k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func mapKeys(m resource.PropertyMap) []string {
	var out []string
	for k := range m {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}

func strList(v resource.PropertyValue) []string {
	out := []string{}
	for _, e := range v.ArrayValue() {
		out = append(out, e.StringValue())
	}
	return out
}

// lookupFleet creates the instances the lookup tests look for: the services
// box, in the public subnet; a Nomad client, in the private one; and a box
// of the same name in another VPC.
func lookupFleet(h *harness) (services, nomad, other *live) {
	h.t.Helper()
	services = h.up(tInstance, "services", map[string]any{"ami": ami, "instanceType": "m5.2xlarge", "keyName": "circleci-admin",
		"subnetId": subnetID, "userData": "#!/bin/bash\necho services\n",
		"tags": map[string]any{"Name": "circleci-services", "circleci:snapshots": "circleci"}})
	nomad = h.up(tInstance, "nomad", map[string]any{"ami": ami, "instanceType": "t3.medium", "subnetId": privateSubnet,
		"tags": map[string]any{"Name": "circleci-nomad"}})
	other = h.up(tInstance, "other", map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": otherSubnet,
		"tags": map[string]any{"Name": "circleci-services"}})
	return services, nomad, other
}

func filters(pairs ...string) []any {
	var out []any
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, map[string]any{"name": pairs[i], "values": strings.Split(pairs[i+1], ",")})
	}
	return out
}

func TestGetInstances(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	services, nomad, other := lookupFleet(h)
	notGone := []string{"pending", "running", "stopping", "stopped"}
	for _, tc := range []struct {
		name string
		args map[string]any
		want []*live
		err  []string
	}{
		{"the installer's lookup", map[string]any{"filters": filters("tag:Name", "circleci-services", "vpc-id", vpcID),
			"instanceStateNames": notGone}, []*live{services}, nil},
		{"by name in any VPC", map[string]any{"filters": filters("tag:Name", "circleci-services")}, []*live{services, other}, nil},
		{"by instance tags", map[string]any{"instanceTags": map[string]any{"Name": "circleci-nomad"}}, []*live{nomad}, nil},
		{"name wildcard", map[string]any{"filters": filters("tag:Name", "circleci-*")}, []*live{services, nomad, other}, nil},
		{"tag key", map[string]any{"filters": filters("tag-key", "circleci:snapshots")}, []*live{services}, nil},
		{"subnet", map[string]any{"filters": filters("subnet-id", privateSubnet)}, []*live{nomad}, nil},
		{"instance id", map[string]any{"filters": filters("instance-id", other.id)}, []*live{other}, nil},
		{"two values of a filter", map[string]any{"filters": filters("instance-type", "m5.large,t3.medium")}, []*live{nomad, other}, nil},
		{"key pair", map[string]any{"filters": filters("key-name", "circleci-admin")}, []*live{services}, nil},
		{"running by the state filter", map[string]any{"filters": filters("instance-state-name", "running")}, []*live{services, nomad, other}, nil},
		{"stopped by the state filter", map[string]any{"filters": filters("instance-state-name", "stopped")}, nil, nil},
		{"stopped by state names", map[string]any{"instanceStateNames": []string{"stopped"}}, nil, nil},
		{"no match is no error", map[string]any{"filters": filters("tag:Name", "nope")}, nil, nil},
		{"unknown filter", map[string]any{"filters": filters("vpc", vpcID)}, nil,
			[]string{"reading EC2 Instances: operation error EC2: DescribeInstances", "InvalidParameterValue: The filter 'vpc' is invalid"}},
		{"unknown state", map[string]any{"instanceStateNames": []string{"sleeping"}}, nil,
			[]string{"expected instance_state_names to be one of", "got sleeping"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := h.invoke(tGetInstances, tc.args)
			if tc.err != nil {
				if err == nil {
					t.Fatalf("expected %q, found %v", tc.err, out)
				}
				wantErr(t, err, tc.err...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want, private, public := []string{}, []string{}, []string{}
			for _, l := range tc.want {
				want = append(want, l.id)
				private = append(private, l.str("privateIp"))
				if ip := l.str("publicIp"); ip != "" {
					public = append(public, ip)
				}
			}
			for key, exp := range map[string][]string{"ids": want, "privateIps": private, "publicIps": public} {
				if got := strList(out[resource.PropertyKey(key)]); strings.Join(got, ",") != strings.Join(exp, ",") {
					t.Errorf("%s: expected %v, found %v", key, exp, got)
				}
			}
			if got, exp := mapKeys(out), pulumiKeys(ec2.GetInstancesResult{}); strings.Join(got, ",") != strings.Join(exp, ",") {
				t.Errorf("keys: expected %v (GetInstancesResult), found %v", exp, got)
			}
			if out["id"].StringValue() != "eu-central-1" {
				t.Errorf("id: expected the region, found %v", out["id"])
			}
		})
	}
}

func TestLookupInstance(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	services, nomad, _ := lookupFleet(h)

	got, err := h.invoke(tGetInstance, map[string]any{"instanceId": services.id})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum([]byte("#!/bin/bash\necho services\n")) //nolint:gosec // userDataHashSum
	for key, want := range map[string]any{
		"id": services.id, "instanceId": services.id, "ami": ami, "keyName": "circleci-admin", "subnetId": subnetID,
		"availabilityZone": "eu-central-1a", "instanceType": "m5.2xlarge", "instanceState": "running",
		"arn":       "arn:aws:ec2:eu-central-1:123456789012:instance/" + services.id,
		"privateIp": services.str("privateIp"), "publicIp": services.str("publicIp"), "associatePublicIpAddress": true,
		"networkInterfaceId": services.str("primaryNetworkInterfaceId"), "tenancy": "default", "sourceDestCheck": true,
		"disableApiTermination": false, "userData": hex.EncodeToString(sum[:]), "userDataBase64": "",
	} {
		if v := got[resource.PropertyKey(key)]; !reflect.DeepEqual(v.V, want) {
			t.Errorf("%s: expected %v, found %v", key, want, v.V)
		}
	}
	if tags := got["tags"].ObjectValue(); len(tags) != 2 || tags["Name"].StringValue() != "circleci-services" {
		t.Errorf("tags: expected Name and circleci:snapshots, found %v", tags)
	}
	if keys, exp := mapKeys(got), pulumiKeys(ec2.LookupInstanceResult{}); strings.Join(keys, ",") != strings.Join(exp, ",") {
		t.Errorf("keys: expected %v (LookupInstanceResult), found %v", exp, keys)
	}
	for key, sdk := range map[string]any{
		"rootBlockDevices": ec2.GetInstanceRootBlockDevice{}, "metadataOptions": ec2.GetInstanceMetadataOption{},
		"enclaveOptions": ec2.GetInstanceEnclaveOption{}, "maintenanceOptions": ec2.GetInstanceMaintenanceOption{},
		"privateDnsNameOptions": ec2.GetInstancePrivateDnsNameOption{},
	} {
		l := got[resource.PropertyKey(key)].ArrayValue()
		if len(l) != 1 {
			t.Errorf("%s: expected one block, found %v", key, l)
			continue
		}
		if keys, exp := mapKeys(l[0].ObjectValue()), pulumiKeys(sdk); strings.Join(keys, ",") != strings.Join(exp, ",") {
			t.Errorf("%s keys: expected %v, found %v", key, exp, keys)
		}
	}
	root := got["rootBlockDevices"].ArrayValue()[0].ObjectValue()
	if want := services.outputs["rootBlockDevice"].ObjectValue()["volumeId"].StringValue(); root["volumeId"].StringValue() != want {
		t.Errorf("root volume: expected %s, found %v", want, root["volumeId"])
	}
	if c := got["creditSpecifications"].ArrayValue(); len(c) != 0 {
		t.Errorf("m5 credit specification: expected none, found %v", c)
	}

	// A burstable type reports its credits; user data on request.
	burst, err := h.invoke(tGetInstance, map[string]any{"instanceId": nomad.id, "getUserData": true})
	if err != nil {
		t.Fatal(err)
	}
	if c := burst["creditSpecifications"].ArrayValue(); len(c) != 1 || c[0].ObjectValue()["cpuCredits"].StringValue() != "unlimited" {
		t.Errorf("t3 credit specification: expected unlimited, found %v", c)
	}
	if burst["associatePublicIpAddress"].BoolValue() || burst["publicIp"].StringValue() != "" || burst["userData"].StringValue() != "" {
		t.Errorf("private instance without user data: %v %v %v", burst["associatePublicIpAddress"], burst["publicIp"], burst["userData"])
	}

	// EC2 reports the EIP an instance got after launch.
	eip := h.up(tEIP, "services-eip", map[string]any{"domain": "vpc", "instance": services.id})
	if got, err := h.invoke(tGetInstance, map[string]any{"instanceId": services.id}); err != nil || got["publicIp"].StringValue() != eip.str("publicIp") {
		t.Errorf("after the EIP: expected public IP %s, found %v, %v", eip.str("publicIp"), got["publicIp"], err)
	}

	for _, tc := range []struct {
		name string
		args map[string]any
		err  []string
	}{
		{"by filters", map[string]any{"filters": filters("tag:Name", "circleci-services", "vpc-id", vpcID)}, nil},
		{"an id that does not exist", map[string]any{"instanceId": "i-0123456789abcdef0"}, []string{"no matching EC2 Instance found"}},
		{"no match", map[string]any{"instanceTags": map[string]any{"Name": "nope"}}, []string{"no matching EC2 Instance found"}},
		{"two matches", map[string]any{"filters": filters("tag:Name", "circleci-services")},
			[]string{"multiple EC2 Instances matched; use additional constraints to reduce matches to a single EC2 Instance"}},
		{"nothing to go by", map[string]any{}, []string{"multiple EC2 Instances matched"}},
		{"a malformed id", map[string]any{"instanceId": "services"},
			[]string{"reading EC2 Instance: operation error EC2: DescribeInstances", `InvalidInstanceID.Malformed: Invalid id: "services"`}},
		{"unknown filter", map[string]any{"filters": filters("name", "x")}, []string{"The filter 'name' is invalid"}},
		{"password data", map[string]any{"instanceId": services.id, "getPasswordData": true}, []string{"does not model instance password data"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := h.invoke(tGetInstance, tc.args)
			if tc.err == nil {
				if err != nil || out["id"].StringValue() != services.id {
					t.Fatalf("expected %s, found %v, %v", services.id, out["id"], err)
				}
				return
			}
			if err == nil {
				t.Fatalf("expected %q, found %v", tc.err, out["id"])
			}
			wantErr(t, err, tc.err...)
		})
	}
}

// A preview's lookups see the current state: what exists, not what the
// preview plans.
func TestInstanceLookupsInPreview(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	preview := func(args map[string]any) []string {
		t.Helper()
		resp, err := h.rp.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: tGetInstances,
			Args: mustMarshal(t, toPM(args)), Preview: true})
		if err != nil {
			t.Fatal(err)
		}
		return strList(mustUnmarshal(t, resp.Return)["ids"])
	}
	byName := map[string]any{"filters": filters("tag:Name", "circleci-services")}
	if _, err := h.previewCreate(tInstance, "services", map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": subnetID,
		"tags": map[string]any{"Name": "circleci-services"}}); err != nil {
		t.Fatal(err)
	}
	if ids := preview(byName); len(ids) != 0 {
		t.Errorf("planned instance: expected none found, found %v", ids)
	}
	box := h.up(tInstance, "services", map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": subnetID,
		"tags": map[string]any{"Name": "circleci-services"}})
	if ids := preview(byName); len(ids) != 1 || ids[0] != box.id {
		t.Errorf("live instance: expected [%s], found %v", box.id, ids)
	}
	if err := h.delete("services"); err != nil {
		t.Fatal(err)
	}
	if ids := preview(byName); len(ids) != 0 {
		t.Errorf("deleted instance: expected none found, found %v", ids)
	}
}

// The instance's ARN follows the partition.
func TestLookupInstancePartitions(t *testing.T) {
	for _, tc := range []struct{ region, partition string }{
		{"us-east-1", "aws"}, {"us-gov-west-1", "aws-us-gov"}, {"cn-northwest-1", "aws-cn"},
	} {
		t.Run(tc.region, func(t *testing.T) {
			h := newHarness(t, tc.region)
			box := h.up(tInstance, "services", map[string]any{"ami": ami, "instanceType": "m5.large", "subnetId": privateSubnet})
			got, err := h.invoke(tGetInstance, map[string]any{"instanceId": box.id})
			if err != nil {
				t.Fatal(err)
			}
			want := "arn:" + tc.partition + ":ec2:" + tc.region + ":123456789012:instance/" + box.id
			if got["arn"].StringValue() != want || got["availabilityZone"].StringValue() != tc.region+"b" {
				t.Errorf("expected %s in %sb, found %v in %v", want, tc.region, got["arn"], got["availabilityZone"])
			}
		})
	}
}
