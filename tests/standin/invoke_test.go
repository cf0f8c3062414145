package standin_test

import (
	"testing"
)

func TestNetworkLookups(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	s, err := h.invoke("aws:ec2/getSubnet:getSubnet", map[string]any{"id": subnetID})
	if err != nil {
		t.Fatal(err)
	}
	if s["cidrBlock"].StringValue() != "10.0.1.0/24" || s["vpcId"].StringValue() != vpcID || s["availabilityZone"].StringValue() != "eu-central-1a" ||
		s["arn"].StringValue() != "arn:aws:ec2:eu-central-1:123456789012:subnet/"+subnetID {
		t.Errorf("subnet %v", s)
	}
	if other, err := h.invoke("aws:ec2/getSubnet:getSubnet", map[string]any{"id": otherSubnet}); err != nil || other["vpcId"].StringValue() != otherVPC {
		t.Errorf("subnet of another VPC: %v, %v", other, err)
	}
	_, err = h.invoke("aws:ec2/getSubnet:getSubnet", map[string]any{"id": "subnet-0123456789abcdef0"})
	wantErr(t, err, "no matching EC2 Subnet found")
	_, err = h.invoke("aws:ec2/getSubnet:getSubnet", map[string]any{"vpcId": vpcID})
	wantErr(t, err, "multiple EC2 Subnets matched")
	byFilter, err := h.invoke("aws:ec2/getSubnet:getSubnet", map[string]any{
		"filters": []any{map[string]any{"name": "vpc-id", "values": []string{noDNSVPC}}}})
	if err != nil || byFilter["id"].StringValue() != noDNSSubnet {
		t.Errorf("subnet by filter: %v, %v", byFilter, err)
	}
	_, err = h.invoke("aws:ec2/getSubnet:getSubnet", map[string]any{
		"filters": []any{map[string]any{"name": "no-such-filter", "values": []string{"x"}}}})
	wantErr(t, err, "The filter 'no-such-filter' is invalid")

	v, err := h.invoke("aws:ec2/getVpc:getVpc", map[string]any{"id": vpcID})
	if err != nil || v["cidrBlock"].StringValue() != "10.0.0.0/16" || !v["enableDnsSupport"].BoolValue() {
		t.Errorf("vpc %v, %v", v, err)
	}
	if v, err := h.invoke("aws:ec2/getVpc:getVpc", map[string]any{"id": noDNSVPC}); err != nil || v["enableDnsSupport"].BoolValue() {
		t.Errorf("vpc without DNS: %v, %v", v, err)
	}
	_, err = h.invoke("aws:ec2/getVpc:getVpc", map[string]any{"id": "vpc-0123456789abcdef0"})
	wantErr(t, err, "no matching EC2 VPC found")

	gateway := func(subnet string) (igw, nat string) {
		rt, err := h.invoke("aws:ec2/getRouteTable:getRouteTable", map[string]any{"subnetId": subnet})
		if err != nil {
			t.Fatalf("route table of %s: %v", subnet, err)
		}
		for _, r := range rt["routes"].ArrayValue() {
			o := r.ObjectValue()
			if o["cidrBlock"].StringValue() == "0.0.0.0/0" {
				if g := o["gatewayId"]; g.IsString() {
					igw = g.StringValue()
				}
				if n := o["natGatewayId"]; n.IsString() {
					nat = n.StringValue()
				}
			}
		}
		return igw, nat
	}
	if igw, _ := gateway(subnetID); igw == "" || igw[:4] != "igw-" {
		t.Errorf("public subnet has no internet gateway route: %q", igw)
	}
	if igw, nat := gateway(privateSubnet); igw != "" || nat == "" {
		t.Errorf("private subnet: igw %q nat %q", igw, nat)
	}
	tables, err := h.invoke("aws:ec2/getRouteTables:getRouteTables", map[string]any{"vpcId": vpcID})
	if err != nil || len(tables["ids"].ArrayValue()) != 6 {
		t.Errorf("route tables of %s: expected the 6 fixture tables, found %v, %v", vpcID, tables, err)
	}
	_, err = h.invoke("aws:ec2/getRouteTable:getRouteTable", map[string]any{"subnetId": "subnet-0123456789abcdef0"})
	wantErr(t, err, "no matching Route Table found")
}

func TestImageLookups(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	byID := func(id string, deprecated bool) (string, string, error) {
		img, err := h.invoke("aws:ec2/getAmi:getAmi", map[string]any{"mostRecent": true, "includeDeprecated": deprecated,
			"filters": []any{map[string]any{"name": "image-id", "values": []string{id}}}})
		if err != nil {
			return "", "", err
		}
		return img["id"].StringValue(), img["rootDeviceName"].StringValue(), nil
	}
	for _, id := range []string{"ami-0123abcd", "ami-0123456789abcdef0"} {
		if got, root, err := byID(id, true); err != nil || got != id || root != "/dev/sda1" {
			t.Errorf("image %s: %s %s %v", id, got, root, err)
		}
	}
	for _, id := range []string{"ami-123", "ami-0123456789ABCDEF0", "ubuntu"} {
		_, _, err := byID(id, true)
		wantErr(t, err, "Your query returned no results. Please change your search criteria and try again.")
	}
	ubuntu := map[string]any{"owners": []string{"099720109477"}, "mostRecent": true, "includeDeprecated": true,
		"filters": []any{
			map[string]any{"name": "name", "values": []string{"ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"}},
			map[string]any{"name": "architecture", "values": []string{"x86_64"}},
			map[string]any{"name": "virtualization-type", "values": []string{"hvm"}},
		}}
	img, err := h.invoke("aws:ec2/getAmi:getAmi", ubuntu)
	if err != nil || img["rootDeviceName"].StringValue() != "/dev/sda1" || img["architecture"].StringValue() != "x86_64" {
		t.Fatalf("ubuntu: %v, %v", img, err)
	}
	// Ubuntu 16.04 images are deprecated: without includeDeprecated there are none.
	ubuntu["includeDeprecated"] = false
	_, err = h.invoke("aws:ec2/getAmi:getAmi", ubuntu)
	wantErr(t, err, "Your query returned no results")
	// An image id found by lookup is found by id too.
	if got, _, err := byID(img["id"].StringValue(), true); err != nil || got != img["id"].StringValue() {
		t.Errorf("canonical image by id: %s %v", got, err)
	}
}

func TestInstanceTypes(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	for _, tc := range []struct {
		name          string
		vcpus, cores  float64
		memory, clock float64
	}{
		{"m5.large", 2, 1, 8192, 3.1},
		{"m5.xlarge", 4, 2, 16384, 3.1},
		{"m5.2xlarge", 8, 4, 32768, 3.1},
		{"m5.4xlarge", 16, 8, 65536, 3.1},
		{"m4.2xlarge", 8, 4, 32768, 2.4},
		{"r5.2xlarge", 8, 4, 65536, 3.1},
		{"t3.medium", 2, 1, 4096, 2.5},
	} {
		it, err := h.invoke("aws:ec2/getInstanceType:getInstanceType", map[string]any{"instanceType": tc.name})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if it["defaultVcpus"].NumberValue() != tc.vcpus || it["defaultCores"].NumberValue() != tc.cores ||
			it["memorySize"].NumberValue() != tc.memory || it["sustainedClockSpeed"].NumberValue() != tc.clock ||
			it["supportedArchitectures"].ArrayValue()[0].StringValue() != "x86_64" {
			t.Errorf("%s: %v", tc.name, it)
		}
	}
	_, err := h.invoke("aws:ec2/getInstanceType:getInstanceType", map[string]any{"instanceType": "m5.2xlarg"})
	wantErr(t, err, "InvalidInstanceType: The following supplied instance types do not exist: [m5.2xlarg]")
}

func TestAccountLookups(t *testing.T) {
	h := newHarness(t, "cn-north-1")
	id, err := h.invoke("aws:index/getCallerIdentity:getCallerIdentity", nil)
	if err != nil || id["accountId"].StringValue() != "123456789012" || id["arn"].StringValue() != "arn:aws-cn:iam::123456789012:user/standin" {
		t.Errorf("caller identity %v, %v", id, err)
	}
	r, err := h.invoke("aws:index/getRegion:getRegion", nil)
	if err != nil || r["name"].StringValue() != "cn-north-1" || r["endpoint"].StringValue() != "ec2.cn-north-1.amazonaws.com.cn" {
		t.Errorf("region %v, %v", r, err)
	}
	p, err := h.invoke("aws:index/getPartition:getPartition", nil)
	if err != nil || p["reverseDnsPrefix"].StringValue() != "cn.com.amazonaws" {
		t.Errorf("partition %v, %v", p, err)
	}
}

// TestLookupArguments: the arguments and filters the provider turns into
// EC2 filters, and the provider's errors.
func TestLookupArguments(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	for _, tc := range []struct {
		name, tok string
		args      map[string]any
		id        string // the id found, or
		err       string
	}{
		{"subnet by zone argument", "aws:ec2/getSubnet:getSubnet", map[string]any{"vpcId": vpcID, "availabilityZone": "eu-central-1a",
			"tags": map[string]any{"Name": "circleci-example-public"}}, subnetID, ""},
		{"subnet by zone id filter", "aws:ec2/getSubnet:getSubnet", map[string]any{"filters": []any{
			map[string]any{"name": "availability-zone-id", "values": []string{"euc1-az1"}},
			map[string]any{"name": "vpc-id", "values": []string{noDNSVPC}}}}, noDNSSubnet, ""},
		{"subnet by default-for-az alias", "aws:ec2/getSubnet:getSubnet", map[string]any{"filters": []any{
			map[string]any{"name": "defaultForAz", "values": []string{"true"}}}}, otherSubnet, ""},
		{"subnet filter error", "aws:ec2/getSubnet:getSubnet", map[string]any{"filters": []any{
			map[string]any{"name": "zone", "values": []string{"a"}}}}, "",
			"reading EC2 Subnet: operation error EC2: DescribeSubnets"},
		{"vpc by cidr argument", "aws:ec2/getVpc:getVpc", map[string]any{"cidrBlock": "10.1.0.0/16"}, noDNSVPC, ""},
		{"vpc default", "aws:ec2/getVpc:getVpc", map[string]any{"default": true}, otherVPC, ""},
		{"vpc cidr-block is no DescribeVpcs filter", "aws:ec2/getVpc:getVpc", map[string]any{"filters": []any{
			map[string]any{"name": "cidr-block", "values": []string{"10.0.0.0/16"}}}}, "", "The filter 'cidr-block' is invalid"},
		{"route table needs an argument", "aws:ec2/getRouteTable:getRouteTable", map[string]any{}, "",
			"one of route_table_id, vpc_id, subnet_id, gateway_id, filters, or tags must be assigned"},
		{"main route table", "aws:ec2/getRouteTable:getRouteTable", map[string]any{"vpcId": vpcID,
			"filters": []any{map[string]any{"name": "association.main", "values": []string{"true"}}}}, "rtb-0a1b2c3d4e5f60001", ""},
		{"route tables of a vpc", "aws:ec2/getRouteTable:getRouteTable", map[string]any{"vpcId": vpcID}, "",
			"multiple Route Tables matched; use additional constraints to reduce matches to a single Route Table"},
		{"key pair", "aws:ec2/getKeyPair:getKeyPair", map[string]any{"keyName": "circleci-admin"}, "", ""},
		{"missing key pair", "aws:ec2/getKeyPair:getKeyPair", map[string]any{"keyName": "nobody"}, "", "no matching EC2 Key Pair found"},
		{"every key pair", "aws:ec2/getKeyPair:getKeyPair", map[string]any{}, "",
			"multiple EC2 Key Pairs matched; use additional constraints to reduce matches to a single EC2 Key Pair"},
		{"key pair by filter", "aws:ec2/getKeyPair:getKeyPair", map[string]any{"filters": []any{
			map[string]any{"name": "key-name", "values": []string{"ops"}}}}, "", ""},
		{"region by name", "aws:index/getRegion:getRegion", map[string]any{"name": "ap-southeast-4"}, "ap-southeast-4", ""},
		{"region by endpoint", "aws:index/getRegion:getRegion", map[string]any{"endpoint": "ec2.cn-north-1.amazonaws.com.cn"}, "cn-north-1", ""},
		{"unknown region", "aws:index/getRegion:getRegion", map[string]any{"name": "eu-east-9"}, "", `region not found for name "eu-east-9"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := h.invoke(tc.tok, tc.args)
			if tc.err != "" {
				wantErr(t, err, tc.err)
				return
			}
			if err != nil {
				t.Fatalf("expected a result, got %v", err)
			}
			if got := res["id"].StringValue(); tc.id != "" && got != tc.id {
				t.Errorf("found %s, expected %s", got, tc.id)
			}
		})
	}
}
