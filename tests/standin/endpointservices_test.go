package standin_test

import (
	"fmt"
	"hash/crc32"
	"regexp"
	"strconv"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const getVpcEndpointService = "aws:ec2/getVpcEndpointService:getVpcEndpointService"

var serviceIDRE = regexp.MustCompile(`^vpce-svc-[0-9a-f]{17}$`)

// gatewayS3 is the installer's question: the gateway service whose name
// ends in .s3.
var gatewayS3 = map[string]any{"serviceType": "Gateway",
	"filters": []any{map[string]any{"name": "service-name", "values": []string{"*.s3"}}}}

// TestVpcEndpointServiceLookups asks getVpcEndpointService what the provider
// would ask DescribeVpcEndpointServices, per partition.
func TestVpcEndpointServiceLookups(t *testing.T) {
	for _, tc := range []struct {
		name, region string
		args         map[string]any
		service, typ string // the service found, or
		err          string // the error
	}{
		{"s3 gateway", "eu-central-1", map[string]any{"service": "s3", "serviceType": "Gateway"}, "com.amazonaws.eu-central-1.s3", "Gateway", ""},
		{"s3 interface", "eu-central-1", map[string]any{"service": "s3", "serviceType": "Interface"}, "com.amazonaws.eu-central-1.s3", "Interface", ""},
		{"s3 of either type", "eu-central-1", map[string]any{"service": "s3"}, "", "",
			"multiple EC2 VPC Endpoint Services matched; use additional constraints to reduce matches to a single EC2 VPC Endpoint Service"},
		{"dynamodb gateway", "eu-central-1", map[string]any{"service": "dynamodb", "serviceType": "Gateway"}, "com.amazonaws.eu-central-1.dynamodb", "Gateway", ""},
		{"dynamodb of either type", "eu-central-1", map[string]any{"service": "dynamodb"}, "", "",
			"does not know whether the Interface service com.amazonaws.eu-central-1.dynamodb exists"},
		{"installer's gateway filter", "eu-central-1", gatewayS3, "com.amazonaws.eu-central-1.s3", "Gateway", ""},
		{"China's name outside China", "eu-central-1", map[string]any{"serviceName": "cn.com.amazonaws.eu-central-1.s3"}, "", "",
			"reading EC2 VPC Endpoint Services: couldn't find resource"},
		{"another region's name", "eu-central-1", map[string]any{"serviceName": "com.amazonaws.us-east-1.s3"}, "", "",
			"reading EC2 VPC Endpoint Services: couldn't find resource"},
		{"unmodelled service", "eu-central-1", map[string]any{"service": "ec2"}, "", "",
			`models only the endpoint services of S3 and DynamoDB, not "com.amazonaws.eu-central-1.ec2"`},
		{"unmodelled service by filter", "eu-central-1", map[string]any{
			"filters": []any{map[string]any{"name": "service-name", "values": []string{"*.ec2"}}}}, "", "",
			`the service-name filter "*.ec2" may name another`},
		{"other service regions", "eu-central-1", map[string]any{"service": "s3", "serviceType": "Gateway", "serviceRegions": []string{"us-east-1"}}, "", "",
			"does not model endpoint services of other regions"},
		{"own service region", "eu-central-1", map[string]any{"service": "s3", "serviceType": "Gateway", "serviceRegions": []string{"eu-central-1"}},
			"com.amazonaws.eu-central-1.s3", "Gateway", ""},
		{"service and service name", "eu-central-1", map[string]any{"service": "s3", "serviceName": "com.amazonaws.eu-central-1.s3"}, "", "",
			`"service": conflicts with service_name`},
		{"service type spelling", "eu-central-1", map[string]any{"service": "s3", "serviceType": "gateway"}, "", "",
			`expected service_type to be one of ["Interface" "Gateway" "GatewayLoadBalancer"], got gateway`},
		{"unknown filter", "eu-central-1", map[string]any{"service": "s3", "filters": []any{map[string]any{"name": "color", "values": []string{"red"}}}}, "", "",
			"reading EC2 VPC Endpoint Services: operation error EC2: DescribeVpcEndpointServices"},
		{"owner filter", "eu-central-1", map[string]any{"service": "s3", "serviceType": "Gateway",
			"filters": []any{map[string]any{"name": "owner", "values": []string{"123456789012"}}}}, "", "", "no matching EC2 VPC Endpoint Service found"},
		{"govcloud s3 gateway", "us-gov-west-1", map[string]any{"service": "s3", "serviceType": "Gateway"}, "com.amazonaws.us-gov-west-1.s3", "Gateway", ""},
		{"govcloud installer's filter", "us-gov-west-1", gatewayS3, "com.amazonaws.us-gov-west-1.s3", "Gateway", ""},
		// In China the gateway keeps com.amazonaws, the interface service
		// takes cn.com.amazonaws; the provider builds com.amazonaws names
		// from service.
		{"china s3 gateway", "cn-north-1", map[string]any{"service": "s3", "serviceType": "Gateway"}, "com.amazonaws.cn-north-1.s3", "Gateway", ""},
		{"china s3 of either type", "cn-north-1", map[string]any{"service": "s3"}, "com.amazonaws.cn-north-1.s3", "Gateway", ""},
		{"china s3 interface by service", "cn-north-1", map[string]any{"service": "s3", "serviceType": "Interface"}, "", "",
			"no matching EC2 VPC Endpoint Service found"},
		{"china s3 interface by name", "cn-north-1", map[string]any{"serviceName": "cn.com.amazonaws.cn-north-1.s3"},
			"cn.com.amazonaws.cn-north-1.s3", "Interface", ""},
		{"china interface name as gateway", "cn-north-1", map[string]any{"serviceName": "cn.com.amazonaws.cn-north-1.s3", "serviceType": "Gateway"}, "", "",
			"no matching EC2 VPC Endpoint Service found"},
		{"china installer's filter", "cn-north-1", gatewayS3, "com.amazonaws.cn-north-1.s3", "Gateway", ""},
		{"ningxia installer's filter", "cn-northwest-1", gatewayS3, "com.amazonaws.cn-northwest-1.s3", "Gateway", ""},
		{"china dynamodb with China's prefix", "cn-north-1", map[string]any{"serviceName": "cn.com.amazonaws.cn-north-1.dynamodb"}, "", "",
			"reading EC2 VPC Endpoint Services: couldn't find resource"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.region)
			res, err := h.invoke(getVpcEndpointService, tc.args)
			if tc.err != "" {
				wantErr(t, err, tc.err)
				return
			}
			if err != nil {
				t.Fatalf("expected %s (%s), got error %v", tc.service, tc.typ, err)
			}
			if got, typ := res["serviceName"].StringValue(), res["serviceType"].StringValue(); got != tc.service || typ != tc.typ {
				t.Fatalf("found %s (%s), expected %s (%s)", got, typ, tc.service, tc.typ)
			}
			partition := map[string]string{"eu-central-1": "aws", "us-gov-west-1": "aws-us-gov", "cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn"}[tc.region]
			id := res["serviceId"].StringValue()
			for field, want := range map[string]string{
				"id":     strconv.Itoa(int(crc32.ChecksumIEEE([]byte(tc.service)))),
				"owner":  "amazon",
				"region": tc.region,
				"arn":    "arn:" + partition + ":ec2:" + tc.region + ":123456789012:vpc-endpoint-service/" + id,
			} {
				if got := res[resource.PropertyKey(field)].StringValue(); got != want {
					t.Errorf("%s = %q, expected %q", field, got, want)
				}
			}
			if !serviceIDRE.MatchString(id) {
				t.Errorf("serviceId %q, expected vpce-svc- and 17 hex digits", id)
			}
			if zones := fmt.Sprint(fromPV(res["availabilityZones"])); zones != fmt.Sprintf("[%[1]sa %[1]sb %[1]sc]", tc.region) {
				t.Errorf("availabilityZones %s, expected the region's zones a, b and c", zones)
			}
			if !res["vpcEndpointPolicySupported"].BoolValue() {
				t.Error("vpcEndpointPolicySupported false, expected true")
			}
		})
	}
}

// TestGatewayServiceAgreement checks that the gateway service lookup, the
// prefix list and the gateway endpoint agree on S3's name in every
// partition, as the installer relies on.
func TestGatewayServiceAgreement(t *testing.T) {
	for _, region := range []string{"eu-central-1", "us-east-1", "us-gov-west-1", "us-gov-east-1", "cn-north-1", "cn-northwest-1"} {
		t.Run(region, func(t *testing.T) {
			h := newHarness(t, region)
			svc, err := h.invoke(getVpcEndpointService, gatewayS3)
			if err != nil {
				t.Fatalf("gateway service lookup: expected S3's, got %v", err)
			}
			name := svc["serviceName"].StringValue()
			if want := "com.amazonaws." + region + ".s3"; name != want {
				t.Errorf("S3 gateway service %s, expected %s", name, want)
			}
			pl := h.prefixList(name)
			ep, err := h.tryUp(tEndpoint, "s3", map[string]any{"vpcId": vpcID, "serviceName": name, "routeTableIds": []string{privateRT}})
			if err != nil {
				t.Fatalf("gateway endpoint for %s: expected it to be created, got %v", name, err)
			}
			if got := ep.str("prefixListId"); got != pl {
				t.Errorf("endpoint prefix list %s, expected %s (getPrefixList %s)", got, pl, name)
			}
		})
	}
}
