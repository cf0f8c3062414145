package standin_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

const getInstanceTypeOfferings = "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings"

func offeringFilter(name string, values ...string) map[string]any {
	return map[string]any{"name": name, "values": values}
}

// offeringsOf invokes getInstanceTypeOfferings and returns its offerings as
// "type@location", in order.
func (h *harness) offeringsOf(args map[string]any) ([]string, error) {
	h.t.Helper()
	res, err := h.invoke(getInstanceTypeOfferings, args)
	if err != nil {
		return nil, err
	}
	types, locs, lts := res["instanceTypes"].ArrayValue(), res["locations"].ArrayValue(), res["locationTypes"].ArrayValue()
	if len(types) != len(locs) || len(types) != len(lts) {
		h.t.Fatalf("instanceTypes, locations and locationTypes differ in length: %d %d %d", len(types), len(locs), len(lts))
	}
	want := "region"
	if lt, ok := args["locationType"].(string); ok {
		want = lt
	}
	out := []string{}
	for i := range types {
		if lt := lts[i].StringValue(); lt != want {
			h.t.Errorf("location type %s of offering %d, expected %s", lt, i, want)
		}
		out = append(out, types[i].StringValue()+"@"+locs[i].StringValue())
	}
	if got := res["id"].StringValue(); got == "" {
		h.t.Error("no id, expected the region")
	}
	return out, nil
}

func TestInstanceTypeOfferings(t *testing.T) {
	all := []string{"m4.2xlarge", "m5.2xlarge", "m5.4xlarge", "m5.large", "m5.xlarge", "r5.2xlarge", "t3.medium"}
	at := func(loc string, types ...string) []string {
		var out []string
		for _, ty := range types {
			out = append(out, ty+"@"+loc)
		}
		return out
	}
	for _, tc := range []struct {
		name, region string
		args         map[string]any
		want         []string // type@location, or
		err          string
	}{
		{"region by default", "eu-central-1", nil, at("eu-central-1", all...), ""},
		{"one type in the region", "eu-central-1", map[string]any{"filters": []any{offeringFilter("instance-type", "r5.2xlarge")}},
			at("eu-central-1", "r5.2xlarge"), ""},
		{"zones offering r5.2xlarge (not b)", "eu-central-1", map[string]any{"locationType": "availability-zone",
			"filters": []any{offeringFilter("instance-type", "r5.2xlarge")}}, []string{"r5.2xlarge@eu-central-1a", "r5.2xlarge@eu-central-1c"}, ""},
		{"zone ids offering r5.2xlarge", "eu-central-1", map[string]any{"locationType": "availability-zone-id",
			"filters": []any{offeringFilter("instance-type", "r5.2xlarge")}}, []string{"r5.2xlarge@euc1-az1", "r5.2xlarge@euc1-az3"}, ""},
		{"what zone b offers", "us-east-1", map[string]any{"locationType": "availability-zone",
			"filters": []any{offeringFilter("location", "us-east-1b")}},
			at("us-east-1b", "m4.2xlarge", "m5.2xlarge", "m5.4xlarge", "m5.large", "m5.xlarge", "t3.medium"), ""},
		{"zone c lacks m4.2xlarge", "cn-north-1", map[string]any{"locationType": "availability-zone-id",
			"filters": []any{offeringFilter("instance-type", "m4.2xlarge")}}, []string{"m4.2xlarge@cnn1-az1", "m4.2xlarge@cnn1-az2"}, ""},
		{"wildcards", "eu-central-1", map[string]any{"locationType": "availability-zone",
			"filters": []any{offeringFilter("instance-type", "r5.*"), offeringFilter("location", "*c")}}, []string{"r5.2xlarge@eu-central-1c"}, ""},
		{"unknown type is no error", "eu-central-1", map[string]any{"filters": []any{offeringFilter("instance-type", "m5.2xlarg")}}, []string{}, ""},
		{"location type spelling", "eu-central-1", map[string]any{"locationType": "availability_zone"}, nil,
			`expected location_type to be one of ["region" "availability-zone" "availability-zone-id"], got availability_zone`},
		{"unknown filter", "eu-central-1", map[string]any{"filters": []any{offeringFilter("zone", "a")}}, nil,
			"reading EC2 Instance Type Offerings: operation error EC2: DescribeInstanceTypeOfferings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.region)
			got, err := h.offeringsOf(tc.args)
			if tc.err != "" {
				wantErr(t, err, tc.err)
				return
			}
			if err != nil {
				t.Fatalf("expected offerings %v, got error %v", tc.want, err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("offerings %v, expected %v", got, tc.want)
			}
		})
	}
}

// TestExampleStackZoneOffersItsTypes guards the fixture's gap: the zone of
// the example stack's subnet (Pulumi.dev.yaml) offers the instance types it
// configures, so the gap breaks nothing existing, while zone b does not
// offer r5.2xlarge.
func TestExampleStackZoneOffersItsTypes(t *testing.T) {
	b, err := os.ReadFile("../../Pulumi.dev.yaml")
	if err != nil {
		t.Fatal(err)
	}
	config := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s+circleci-server:(\w+): (\S+)$`).FindAllStringSubmatch(string(b), -1) {
		config[m[1]] = strings.Trim(m[2], `"`)
	}
	region, subnet := config["aws_region"], config["aws_subnet_id"]
	if region == "" || subnet == "" {
		t.Fatalf("Pulumi.dev.yaml: aws_region %q, aws_subnet_id %q; expected both", region, subnet)
	}
	h := newHarness(t, region)
	s, err := h.invoke("aws:ec2/getSubnet:getSubnet", map[string]any{"id": subnet})
	if err != nil {
		t.Fatal(err)
	}
	zone := s["availabilityZone"].StringValue()
	for _, key := range []string{"services_instance_type", "builder_instance_type", "nomad_client_instance_type"} {
		ty := config[key]
		got, err := h.offeringsOf(map[string]any{"locationType": "availability-zone",
			"filters": []any{offeringFilter("instance-type", ty), offeringFilter("location", zone)}})
		if err != nil || len(got) != 1 {
			t.Errorf("%s %s in %s (the zone of %s): offerings %v, %v; expected it offered", key, ty, zone, subnet, got, err)
		}
	}
	private, err := h.invoke("aws:ec2/getSubnet:getSubnet", map[string]any{"id": privateSubnet})
	if err != nil {
		t.Fatal(err)
	}
	got, err := h.offeringsOf(map[string]any{"locationType": "availability-zone",
		"filters": []any{offeringFilter("instance-type", "r5.2xlarge"), offeringFilter("location", private["availabilityZone"].StringValue())}})
	if err != nil || len(got) != 0 {
		t.Errorf("r5.2xlarge in %s (the zone of %s): offerings %v, %v; expected none (the fixture's gap)",
			private["availabilityZone"].StringValue(), privateSubnet, got, err)
	}
}
