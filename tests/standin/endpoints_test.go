package standin_test

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const getPrefixList = "aws:ec2/getPrefixList:getPrefixList"

var (
	prefixListRE = regexp.MustCompile(`^pl-[0-9a-f]{8}$`)
	endpointRE   = regexp.MustCompile(`^vpce-[0-9a-f]{17}$`)
)

// prefixList looks a prefix list up by name and returns its id.
func (h *harness) prefixList(name string) string {
	h.t.Helper()
	pl, err := h.invoke(getPrefixList, map[string]any{"name": name})
	if err != nil {
		h.t.Fatalf("prefix list %s: %v", name, err)
	}
	return pl["id"].StringValue()
}

// endpointRoutes lists the gateway endpoint routes EC2 holds in a route
// table, as "pl-... -> vpce-...", sorted.
func (h *harness) endpointRoutes(region, rtb string) []string {
	h.t.Helper()
	var out []string
	for _, r := range h.srv.Routes(region, rtb) {
		if r["destinationPrefixListId"] != "" {
			out = append(out, r["destinationPrefixListId"]+" -> "+r["vpcEndpointId"])
		}
	}
	sort.Strings(out)
	return out
}

// tablesRouting lists the route tables of the VPC with a route to a prefix
// list, as getRouteTables finds them with EC2's route filter.
func (h *harness) tablesRouting(pl string) []string {
	h.t.Helper()
	res, err := h.invoke("aws:ec2/getRouteTables:getRouteTables", map[string]any{"vpcId": vpcID,
		"filters": []any{map[string]any{"name": "route.destination-prefix-list-id", "values": []string{pl}}}})
	if err != nil {
		h.t.Fatalf("route tables routing %s: %v", pl, err)
	}
	var ids []string
	for _, v := range res["ids"].ArrayValue() {
		ids = append(ids, v.StringValue())
	}
	return ids
}

func same(a, b []string) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func TestPrefixLists(t *testing.T) {
	names := map[string]string{} // every id, across regions and services, to its list's name
	for _, tc := range []struct {
		region, s3, dynamodb string
		unknown              []string
	}{
		{"eu-central-1", "com.amazonaws.eu-central-1.s3", "com.amazonaws.eu-central-1.dynamodb",
			[]string{"cn.com.amazonaws.eu-central-1.s3", "com.amazonaws.us-east-1.s3", "com.amazonaws.eu-central-1.s4", "s3"}},
		{"us-east-1", "com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.dynamodb",
			[]string{"com.amazonaws.eu-central-1.s3", "com.amazonaws.us-east-1.sqs"}},
		{"us-gov-west-1", "com.amazonaws.us-gov-west-1.s3", "com.amazonaws.us-gov-west-1.dynamodb",
			[]string{"cn.com.amazonaws.us-gov-west-1.s3", "com.amazonaws.us-gov-east-1.s3"}},
		// China's S3 gateway service (and so its prefix list) keeps
		// com.amazonaws; cn.com.amazonaws.cn-north-1.s3 is its interface
		// service, which has no prefix list.
		{"cn-north-1", "com.amazonaws.cn-north-1.s3", "com.amazonaws.cn-north-1.dynamodb",
			[]string{"cn.com.amazonaws.cn-north-1.s3", "cn.com.amazonaws.cn-north-1.dynamodb", "com.amazonaws.cn-northwest-1.s3"}},
	} {
		t.Run(tc.region, func(t *testing.T) {
			h := newHarness(t, tc.region)
			for _, name := range []string{tc.s3, tc.dynamodb} {
				pl, err := h.invoke(getPrefixList, map[string]any{"name": name})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				id := pl["id"].StringValue()
				if !prefixListRE.MatchString(id) || pl["name"].StringValue() != name || len(pl["cidrBlocks"].ArrayValue()) == 0 {
					t.Errorf("%s: %v", name, pl)
				}
				if other, dup := names[id]; dup {
					t.Errorf("%s and %s share the id %s", name, other, id)
				}
				names[id] = name
				// The same list by id, and by filter.
				for _, args := range []map[string]any{
					{"prefixListId": id},
					{"filters": []any{map[string]any{"name": "prefix-list-name", "values": []string{name}}}},
					{"filters": []any{map[string]any{"name": "prefix-list-id", "values": []string{id}}}},
					{"name": name, "prefixListId": id},
				} {
					if got, err := h.invoke(getPrefixList, args); err != nil || got["id"].StringValue() != id || got["name"].StringValue() != name {
						t.Errorf("by %v: %v, %v", args, got, err)
					}
				}
			}
			for _, args := range []map[string]any{
				{"prefixListId": "pl-00000000"},
				{"name": tc.s3, "prefixListId": h.prefixList(tc.dynamodb)},
			} {
				_, err := h.invoke(getPrefixList, args)
				wantErr(t, err, "no matching EC2 Prefix List found")
			}
			for _, name := range tc.unknown {
				_, err := h.invoke(getPrefixList, map[string]any{"name": name})
				wantErr(t, err, "no matching EC2 Prefix List found")
			}
			_, err := h.invoke(getPrefixList, nil)
			wantErr(t, err, "multiple EC2 Prefix Lists matched")
			_, err = h.invoke(getPrefixList, map[string]any{
				"filters": []any{map[string]any{"name": "service-name", "values": []string{tc.s3}}}})
			wantErr(t, err, "The filter 'service-name' is invalid")

			// The fixture endpoint's route goes to this region's S3 list.
			if got, want := h.endpointRoutes(tc.region, s3RT), []string{h.prefixList(tc.s3) + " -> " + s3Endpoint}; !same(got, want) {
				t.Errorf("fixture endpoint routes %v, want %v", got, want)
			}
		})
	}
}

func TestVpcEndpointRefusals(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	s3 := "com.amazonaws.eu-central-1.s3"
	h.up(tEndpoint, "taken", map[string]any{"vpcId": vpcID, "serviceName": s3, "vpcEndpointType": "Gateway",
		"routeTableIds": []string{privateRT}})
	endpoint := func(extra map[string]any) map[string]any {
		p := map[string]any{"vpcId": vpcID, "serviceName": s3, "vpcEndpointType": "Gateway", "routeTableIds": []string{isolatedRT}}
		for k, v := range extra {
			p[k] = v
		}
		return p
	}
	for i, tc := range []struct {
		name      string
		props     map[string]any
		checkFail string // a Check failure
		err       string // an error from Create
	}{
		{"no VPC", map[string]any{"serviceName": s3}, "Missing required property 'vpcId'", ""},
		{"endpoint type", endpoint(map[string]any{"vpcEndpointType": "gateway"}), "expected vpc_endpoint_type to be one of", ""},
		{"unknown VPC", endpoint(map[string]any{"vpcId": "vpc-0123456789abcdef0"}), "",
			"InvalidVpcId.NotFound: The vpc ID 'vpc-0123456789abcdef0' does not exist"},
		{"unknown route table", endpoint(map[string]any{"routeTableIds": []string{"rtb-0123456789abcdef0"}}), "",
			"InvalidRouteTableID.NotFound: The routeTable ID 'rtb-0123456789abcdef0' does not exist"},
		{"route table of another VPC", endpoint(map[string]any{"routeTableIds": []string{isolatedRT, "rtb-0ccccccccccccccc1"}}), "",
			"InvalidParameter: Route table rtb-0ccccccccccccccc1 does not belong to vpc " + vpcID},
		{"no service", endpoint(map[string]any{"serviceName": nil}), "", "MissingParameter"},
		{"service of another region", endpoint(map[string]any{"serviceName": "com.amazonaws.us-east-1.s3"}), "",
			"InvalidServiceName: The Vpc Endpoint Service 'com.amazonaws.us-east-1.s3' does not exist"},
		{"China's name outside China", endpoint(map[string]any{"serviceName": "cn.com.amazonaws.eu-central-1.s3"}), "",
			"InvalidServiceName: The Vpc Endpoint Service 'cn.com.amazonaws.eu-central-1.s3' does not exist"},
		{"no such service", endpoint(map[string]any{"serviceName": "s3"}), "",
			"InvalidServiceName: The Vpc Endpoint Service 's3' does not exist"},
		// Another AWS service of the region: EC2 refuses it either way
		// (interface-only or unknown), but the stand-in cannot tell which.
		{"unmodelled service", endpoint(map[string]any{"serviceName": "com.amazonaws.eu-central-1.s4"}), "",
			"models only the endpoint services of S3 and DynamoDB"},
		{"fixture endpoint's table", endpoint(map[string]any{"routeTableIds": []string{s3RT}}), "",
			"RouteAlreadyExists: route table " + s3RT + " already has a route with destination-prefix-list-id " + h.prefixList(s3)},
		{"live endpoint's table", endpoint(map[string]any{"routeTableIds": []string{isolatedRT, privateRT}}), "",
			"RouteAlreadyExists: route table " + privateRT + " already has a route with destination-prefix-list-id"},
		{"interface endpoint", endpoint(map[string]any{"vpcEndpointType": "Interface"}), "", "implements only Gateway VPC endpoints"},
		// Another service's route is no conflict.
		{"dynamodb beside s3", endpoint(map[string]any{"serviceName": "com.amazonaws.eu-central-1.dynamodb",
			"routeTableIds": []string{s3RT, privateRT}}), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := fmt.Sprintf("endpoint-%d", i)
			_, failures, err := h.check(tEndpoint, name, tc.props)
			if err != nil {
				t.Fatal(err)
			}
			if tc.checkFail != "" {
				if len(failures) == 0 || !strings.Contains(failures[0].Reason, tc.checkFail) {
					t.Errorf("check failures %v, want %q", failures, tc.checkFail)
				}
				return
			}
			if len(failures) > 0 {
				t.Fatalf("check failures %v", failures)
			}
			_, err = h.tryUp(tEndpoint, name, tc.props)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, tc.err, "creating EC2 VPC Endpoint (")
			if strings.Contains(tc.err, ": ") && !strings.Contains(err.Error(), "operation error EC2: CreateVpcEndpoint, https response error StatusCode: 400") {
				t.Errorf("not shaped like an EC2 API error: %v", err)
			}
		})
	}
	// A refused endpoint added no route.
	if got := h.endpointRoutes("eu-central-1", isolatedRT); len(got) != 0 {
		t.Errorf("refused endpoints left routes: %v", got)
	}
	// An update is refused alike, and changes nothing.
	_, err := h.update("taken", map[string]any{"vpcId": vpcID, "serviceName": s3, "vpcEndpointType": "Gateway",
		"routeTableIds": []string{privateRT, s3RT}}, false)
	wantErr(t, err, "updating EC2 VPC Endpoint ("+h.res["taken"].id+")", "EC2: ModifyVpcEndpoint", "RouteAlreadyExists: route table "+s3RT)
	if got := h.endpointRoutes("eu-central-1", privateRT); len(got) != 2 { // s3 and dynamodb
		t.Errorf("routes of %s after a refused update: %v", privateRT, got)
	}
}

// TestVpcEndpointServiceNamesByPartition creates gateway endpoints with the
// S3 and DynamoDB names of each partition: the gateway names work, S3's
// China interface name is refused as EC2 refuses a type mismatch, and names
// of no service are refused as EC2 refuses them.
func TestVpcEndpointServiceNamesByPartition(t *testing.T) {
	for i, tc := range []struct {
		region, service string
		err             string // "" for success
	}{
		{"eu-central-1", "com.amazonaws.eu-central-1.s3", ""},
		{"eu-central-1", "com.amazonaws.eu-central-1.dynamodb", ""},
		{"eu-central-1", "cn.com.amazonaws.eu-central-1.s3", "InvalidServiceName: The Vpc Endpoint Service 'cn.com.amazonaws.eu-central-1.s3' does not exist"},
		{"us-gov-west-1", "com.amazonaws.us-gov-west-1.s3", ""},
		{"us-gov-west-1", "com.amazonaws.us-gov-east-1.s3", "InvalidServiceName: The Vpc Endpoint Service 'com.amazonaws.us-gov-east-1.s3' does not exist"},
		{"cn-north-1", "com.amazonaws.cn-north-1.s3", ""},
		{"cn-north-1", "com.amazonaws.cn-north-1.dynamodb", ""},
		{"cn-northwest-1", "com.amazonaws.cn-northwest-1.s3", ""},
		{"cn-north-1", "cn.com.amazonaws.cn-north-1.s3",
			"InvalidParameter: Endpoint type (Gateway) does not match available service types ([Interface])."},
		{"cn-north-1", "cn.com.amazonaws.cn-north-1.dynamodb", "InvalidServiceName: The Vpc Endpoint Service 'cn.com.amazonaws.cn-north-1.dynamodb' does not exist"},
		{"cn-north-1", "com.amazonaws.cn-northwest-1.s3", "InvalidServiceName: The Vpc Endpoint Service 'com.amazonaws.cn-northwest-1.s3' does not exist"},
	} {
		t.Run(tc.region+"/"+tc.service, func(t *testing.T) {
			h := newHarness(t, tc.region)
			ep, err := h.tryUp(tEndpoint, fmt.Sprintf("ep-%d", i), map[string]any{"vpcId": vpcID, "serviceName": tc.service,
				"vpcEndpointType": "Gateway", "routeTableIds": []string{privateRT}})
			if tc.err != "" {
				wantErr(t, err, tc.err, "creating EC2 VPC Endpoint ("+tc.service+")", "operation error EC2: CreateVpcEndpoint")
				return
			}
			if err != nil {
				t.Fatalf("gateway endpoint for %s in %s: expected it to be created, got %v", tc.service, tc.region, err)
			}
			// The endpoint routes to the prefix list of the same name.
			if got, want := ep.str("prefixListId"), h.prefixList(tc.service); got != want {
				t.Errorf("endpoint for %s routes to prefix list %s, expected %s (getPrefixList by that name)", tc.service, got, want)
			}
		})
	}
}

func TestVpcEndpointRoutes(t *testing.T) {
	for _, tc := range []struct{ region, partition, s3 string }{
		{"eu-central-1", "aws", "com.amazonaws.eu-central-1.s3"},
		{"us-gov-west-1", "aws-us-gov", "com.amazonaws.us-gov-west-1.s3"},
		{"cn-north-1", "aws-cn", "com.amazonaws.cn-north-1.s3"},
	} {
		t.Run(tc.region, func(t *testing.T) {
			h := newHarness(t, tc.region)
			pl := h.prefixList(tc.s3)
			props := map[string]any{"vpcId": vpcID, "serviceName": tc.s3, "vpcEndpointType": "Gateway",
				"routeTableIds": []string{privateRT}, "tags": map[string]any{"Name": "circleci-s3"}}
			ep := h.up(tEndpoint, "s3", props)
			if !endpointRE.MatchString(ep.id) || ep.str("arn") != "arn:"+tc.partition+":ec2:"+tc.region+":123456789012:vpc-endpoint/"+ep.id ||
				ep.str("prefixListId") != pl || ep.str("state") != "available" || ep.str("ownerId") != "123456789012" ||
				ep.str("vpcEndpointType") != "Gateway" || len(ep.outputs["cidrBlocks"].ArrayValue()) == 0 {
				t.Errorf("endpoint %s: %v", ep.id, ep.outputs)
			}

			// EC2 holds the route, and filters on it...
			if got, want := h.endpointRoutes(tc.region, privateRT), []string{pl + " -> " + ep.id}; !same(got, want) {
				t.Errorf("routes of %s: %v, want %v", privateRT, got, want)
			}
			if got := h.tablesRouting(pl); !same(got, []string{privateRT, s3RT}) {
				t.Errorf("tables routing to %s: %v", pl, got)
			}
			// ...but the provider's getRouteTable, like aws_route_table's
			// data source, leaves endpoint (and local) routes out.
			for _, subnet := range []string{privateSubnet, s3Subnet} {
				rt, err := h.invoke("aws:ec2/getRouteTable:getRouteTable", map[string]any{"subnetId": subnet})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range rt["routes"].ArrayValue() {
					o := fromPM(r.ObjectValue())
					got = append(got, fmt.Sprintf("%v %v %v %v %v", o["cidrBlock"], o["gatewayId"], o["natGatewayId"],
						o["destinationPrefixListId"], o["vpcEndpointId"]))
				}
				if !same(got, []string{"0.0.0.0/0 <nil> nat-0a1b2c3d4e5f60001 <nil> <nil>"}) {
					t.Errorf("getRouteTable of %s: routes %v", subnet, got)
				}
			}

			// Route tables update in place and the route moves; so do tags.
			props["routeTableIds"] = []string{isolatedRT}
			props["tags"] = map[string]any{"Name": "circleci-s3-isolated"}
			if d := h.diff("s3", props); len(d.Replaces) != 0 || !same(d.Diffs, []string{"routeTableIds", "tags", "tagsAll"}) {
				t.Errorf("diff %v", d)
			}
			// A preview of it moves nothing.
			if _, err := h.update("s3", props, true); err != nil {
				t.Fatal(err)
			}
			if got := h.endpointRoutes(tc.region, privateRT); len(got) != 1 {
				t.Errorf("a preview moved the route: %v", got)
			}
			outs, err := h.update("s3", props, false)
			if err != nil {
				t.Fatal(err)
			}
			if outs["prefixListId"].StringValue() != pl || outs["tagsAll"].ObjectValue()["Name"].StringValue() != "circleci-s3-isolated" {
				t.Errorf("outputs after update: %v", outs)
			}
			if got := h.endpointRoutes(tc.region, privateRT); len(got) != 0 {
				t.Errorf("route left in %s: %v", privateRT, got)
			}
			if got := h.endpointRoutes(tc.region, isolatedRT); !same(got, []string{pl + " -> " + ep.id}) {
				t.Errorf("route not moved to %s: %v", isolatedRT, got)
			}
			// Now the old table takes another S3 endpoint.
			h.up(tEndpoint, "s3-private", map[string]any{"vpcId": vpcID, "serviceName": tc.s3, "routeTableIds": []string{privateRT}})
			if got := h.tablesRouting(pl); !same(got, []string{privateRT, s3RT, isolatedRT}) {
				t.Errorf("tables routing to %s: %v", pl, got)
			}

			// Deleting an endpoint removes its routes; the fixture's stays.
			for _, name := range []string{"s3", "s3-private"} {
				if err := h.delete(name); err != nil {
					t.Fatal(err)
				}
			}
			if got := h.tablesRouting(pl); !same(got, []string{s3RT}) {
				t.Errorf("tables routing to %s after the deletes: %v", pl, got)
			}
			if got := h.srv.Routes(tc.region, isolatedRT); len(got) != 1 || got[0]["gatewayId"] != "local" {
				t.Errorf("routes of %s after the delete: %v", isolatedRT, got)
			}
		})
	}
}

func TestVpcEndpointPreview(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	ins := h.checked(tEndpoint, "s3", map[string]any{"vpcId": vpcID, "serviceName": "com.amazonaws.eu-central-1.s3",
		"routeTableIds": []any{unknownV}})
	if ins["vpcEndpointType"].StringValue() != "Gateway" {
		t.Errorf("the endpoint type defaults to Gateway: %v", ins)
	}
	resp, err := h.rp.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urnOf(tEndpoint, "s3"), Type: tEndpoint, Properties: mustMarshal(t, ins), Preview: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	outs := mustUnmarshal(t, resp.Properties)
	if resp.Id != "" || !outs["arn"].IsComputed() || !outs["prefixListId"].IsComputed() || !outs["state"].IsComputed() ||
		!outs["routeTableIds"].ContainsUnknowns() || outs["serviceName"].StringValue() != "com.amazonaws.eu-central-1.s3" {
		t.Errorf("preview create: id %q, outputs %v", resp.Id, outs)
	}
	if inv := h.srv.Inventory(); len(inv) != 0 {
		t.Errorf("preview created %v", inv)
	}
	for rtb, want := range map[string]int{publicRT: 0, privateRT: 0, s3RT: 1, isolatedRT: 0} {
		if got := h.endpointRoutes("eu-central-1", rtb); len(got) != want {
			t.Errorf("routes of %s after a preview: %v", rtb, got)
		}
	}
	if ops := h.srv.Operations(); len(ops) != 1 || !ops[0].Preview || ops[0].Op != "create" {
		t.Errorf("operations %v", ops)
	}
}

func TestNetworkFixtures(t *testing.T) {
	h := newHarness(t, "eu-west-1")
	for _, tc := range []struct {
		subnet, cidr, routeTable string
		igw, nat                 bool
		endpointRoutes           int
	}{
		{subnetID, "10.0.1.0/24", publicRT, true, false, 0},
		{privateSubnet, "10.0.2.0/24", privateRT, false, true, 0},
		{s3Subnet, "10.0.3.0/24", s3RT, false, true, 1},
		{isolatedSub, "10.0.4.0/24", isolatedRT, false, false, 0},
	} {
		s, err := h.invoke("aws:ec2/getSubnet:getSubnet", map[string]any{"id": tc.subnet})
		if err != nil || s["cidrBlock"].StringValue() != tc.cidr || s["vpcId"].StringValue() != vpcID || s["mapPublicIpOnLaunch"].BoolValue() != tc.igw {
			t.Errorf("subnet %s: %v, %v", tc.subnet, s, err)
		}
		rt, err := h.invoke("aws:ec2/getRouteTable:getRouteTable", map[string]any{"subnetId": tc.subnet})
		if err != nil || rt["id"].StringValue() != tc.routeTable {
			t.Fatalf("route table of %s: %v, %v", tc.subnet, rt, err)
		}
		var igw, nat bool
		for _, r := range h.srv.Routes("eu-west-1", tc.routeTable) {
			igw = igw || strings.HasPrefix(r["gatewayId"], "igw-")
			nat = nat || strings.HasPrefix(r["natGatewayId"], "nat-")
		}
		if igw != tc.igw || nat != tc.nat || len(h.endpointRoutes("eu-west-1", tc.routeTable)) != tc.endpointRoutes {
			t.Errorf("%s: igw %v nat %v endpoint routes %v", tc.routeTable, igw, nat, h.endpointRoutes("eu-west-1", tc.routeTable))
		}
	}
	if h.srv.Routes("eu-west-1", "rtb-0123456789abcdef0") != nil {
		t.Error("routes of an unknown route table")
	}
}

// getVpcEndpoint finds live endpoints by VPC, service and tag, and says
// "no matching" otherwise, as the provider's data source does.
func TestGetVpcEndpoint(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	const s3 = "com.amazonaws.eu-central-1.s3"
	ep := h.up(tEndpoint, "s3", map[string]any{"vpcId": vpcID, "serviceName": s3, "vpcEndpointType": "Gateway",
		"routeTableIds": []string{privateRT}, "tags": map[string]any{"circleci:prefix": "circleci"}})
	byTag := func(value string) map[string]any {
		return map[string]any{"vpcId": vpcID, "serviceName": s3,
			"filters": []any{map[string]any{"name": "tag:circleci:prefix", "values": []string{value}}}}
	}
	cases := []struct {
		name    string
		args    map[string]any
		wantErr string
	}{
		{"by tag", byTag("circleci"), ""},
		{"by id", map[string]any{"id": ep.id}, ""},
		{"another installation's tag", byTag("other"), "no matching EC2 VPC Endpoint found"},
		{"another service", map[string]any{"vpcId": vpcID, "serviceName": "com.amazonaws.eu-central-1.dynamodb"}, "no matching EC2 VPC Endpoint found"},
		{"an unknown filter", map[string]any{"filters": []any{map[string]any{"name": "color", "values": []string{"red"}}}}, "The filter 'color' is invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := h.invoke("aws:ec2/getVpcEndpoint:getVpcEndpoint", c.args)
			if c.wantErr != "" {
				wantErr(t, err, c.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := res["id"].StringValue(); got != ep.id {
				t.Errorf("found %s, want %s", got, ep.id)
			}
		})
	}
}
