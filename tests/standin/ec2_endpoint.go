package standin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tVpcEndpoint = "aws:ec2/vpcEndpoint:VpcEndpoint"

func init() {
	register(vpcEndpointKind())
}

// --- gateway services and their prefix lists -------------------------------

// gatewayServiceKeys are the services that offer gateway VPC endpoints, in
// the order EC2 lists their prefix lists. Fixture routes name a service's
// prefix list as "{s3}" or "{dynamodb}".
var gatewayServiceKeys = []string{"s3", "dynamodb"}

// gatewayService is the endpoint service name of a gateway service in the
// configured region, which is also the name of its AWS-managed prefix list:
// com.amazonaws.<region>.<service>. In China only S3's is reversed from the
// partition's DNS suffix (cn.com.amazonaws.<region>.s3); DynamoDB's keeps
// com.amazonaws.
func (c *providerConfig) gatewayService(key string) string {
	name := "com.amazonaws." + c.region + "." + key
	if c.partition.name == "aws-cn" && key == "s3" {
		name = "cn." + name
	}
	return name
}

// gatewayServiceKey returns the key of a gateway service name offered in the
// configured region, or "".
func (c *providerConfig) gatewayServiceKey(name string) string {
	for _, k := range gatewayServiceKeys {
		if c.gatewayService(k) == name {
			return k
		}
	}
	return ""
}

// prefixListID is the id of the AWS-managed prefix list of a gateway
// service, given its name (which names the region): pl- and 8 hex digits.
// Fixtures, getPrefixList and gateway endpoints all take it from here.
func prefixListID(name string) string {
	sum := sha256.Sum256([]byte("prefix-list/" + name))
	return "pl-" + hex.EncodeToString(sum[:])[:8]
}

// prefixListCIDRs are the (made-up, stable) public ranges of a prefix list.
func prefixListCIDRs(name string) []string {
	sum := sha256.Sum256([]byte("prefix-list-cidrs/" + name))
	first := []int{52, 3, 18, 54}
	return []string{
		fmt.Sprintf("%d.%d.%d.0/22", first[sum[0]%4], 16+sum[1]%200, sum[2]&^3),
		fmt.Sprintf("%d.%d.%d.0/23", first[sum[3]%4], 16+sum[4]%200, sum[5]&^1),
		fmt.Sprintf("%d.%d.%d.0/24", first[sum[6]%4], 16+sum[7]%200, sum[8]),
	}
}

// fixtureValue resolves a placeholder of a fixture route: "{s3}" is the
// configured region's S3 prefix list id.
func (c *providerConfig) fixtureValue(v string) string {
	if strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}") {
		return prefixListID(c.gatewayService(strings.Trim(v, "{}")))
	}
	return v
}

func getPrefixList(c *call, args resource.PropertyMap) (map[string]any, error) {
	fs := filtersOf(args)
	if name := str(args, "name"); name != "" {
		fs = append(fs, filter{name: "prefix-list-name", values: []string{name}})
	}
	var found []string
	for _, k := range gatewayServiceKeys {
		name := c.cfg.gatewayService(k)
		id := prefixListID(name)
		if want := str(args, "prefixListId"); want != "" && want != id {
			continue
		}
		ok, err := matchFilters(fs, map[string]func() []string{
			"prefix-list-id":   func() []string { return []string{id} },
			"prefix-list-name": func() []string { return []string{name} },
		}, nil)
		if err != nil {
			return nil, err
		}
		if ok {
			found = append(found, name)
		}
	}
	if len(found) != 1 {
		return nil, singular("EC2 Prefix List", len(found))
	}
	name := found[0]
	return map[string]any{
		"id": prefixListID(name), "name": name, "cidrBlocks": prefixListCIDRs(name),
		"prefixListId": args["prefixListId"], "filters": args["filters"],
	}, nil
}

// --- routes --------------------------------------------------------------

// routesOf returns the routes EC2 holds in a fixture route table, as
// DescribeRouteTables lists them: the fixture's own (placeholders resolved
// for the region), then one per live gateway endpoint of the region that
// names the table. Fixture route tables never change; endpoint routes come
// and go with the endpoints, and move with their routeTableIds.
func routesOf(cfg *providerConfig, st *state, rt *routeTableFixture) []map[string]string {
	var out []map[string]string
	for _, r := range rt.Routes {
		route := map[string]string{}
		for k, v := range r {
			route[k] = cfg.fixtureValue(v)
		}
		out = append(out, route)
	}
	regional := map[string]bool{}
	for _, k := range gatewayServiceKeys {
		regional[prefixListID(cfg.gatewayService(k))] = true
	}
	for _, e := range st.all(tVpcEndpoint) {
		pl := str(e.outputs, "prefixListId")
		if !regional[pl] || str(e.outputs, "vpcEndpointType") != "Gateway" {
			continue
		}
		if contains(strs(e.outputs, "routeTableIds"), rt.ID) {
			out = append(out, map[string]string{"destinationPrefixListId": pl, "vpcEndpointId": e.id})
		}
	}
	return out
}

// providerShows says whether the provider's getRouteTable reports a route:
// like aws_route_table's data source it leaves out the local route and the
// routes of gateway VPC endpoints ("handled separately, see
// aws_vpc_endpoint"). getRouteTables' route.* filters still see them, as
// EC2 filters the routes it holds.
func providerShows(r map[string]string) bool {
	if r["gatewayId"] == "local" {
		return false
	}
	return !(r["destinationPrefixListId"] != "" && strings.HasPrefix(r["vpcEndpointId"], "vpce-"))
}

// routeValues collects the values of some route fields, for route.* filters.
func routeValues(routes []map[string]string, fields ...string) func() []string {
	return func() []string {
		var out []string
		for _, r := range routes {
			for _, f := range fields {
				if v := r[f]; v != "" {
					out = append(out, v)
				}
			}
		}
		return out
	}
}

// Routes lists the routes EC2 holds in a fixture route table in a region,
// including those the provider's getRouteTable leaves out (the local route
// and gateway endpoint routes), or nil for an unknown table. Keys are the
// provider's route field names: cidrBlock, gatewayId, natGatewayId,
// destinationPrefixListId, vpcEndpointId.
func (s *Server) Routes(region, routeTableID string) []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.fx.routeTable(routeTableID)
	if rt == nil {
		return nil
	}
	return routesOf(&providerConfig{region: region, partition: partitionOf(region)}, s.st, rt)
}

// --- VPC endpoints -------------------------------------------------------

// A gateway endpoint's policy when none is given: full access.
const fullAccessPolicy = `{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2008-10-17"}`

func vpcEndpointKind() *kind {
	// validate checks an endpoint's inputs against EC2 and returns its
	// service's prefix list id; self is the endpoint being updated.
	validate := func(c *call, doing, op string, ins resource.PropertyMap, self string) (string, error) {
		if t := str(ins, "vpcEndpointType"); t != "Gateway" {
			return "", fmt.Errorf("%s: the AWS stand-in implements only Gateway VPC endpoints, not %q: add it to tests/standin before using it",
				doing, t)
		}
		vpcID, service := str(ins, "vpcId"), str(ins, "serviceName")
		if c.s.fx.vpc(vpcID) == nil {
			return "", awsErr(doing, op, 400, "InvalidVpcId.NotFound", "The vpc ID '%s' does not exist", vpcID)
		}
		if service == "" {
			return "", awsErr(doing, op, 400, "MissingParameter", "The request must contain the parameter ServiceName")
		}
		if c.cfg.gatewayServiceKey(service) == "" {
			return "", awsErr(doing, op, 400, "InvalidServiceName", "The Vpc Endpoint Service '%s' does not exist", service)
		}
		pl := prefixListID(service)
		seen := map[string]bool{}
		for _, id := range strs(ins, "routeTableIds") {
			if seen[id] {
				continue
			}
			seen[id] = true
			rt := c.s.fx.routeTable(id)
			if rt == nil {
				return "", awsErr(doing, op, 400, "InvalidRouteTableID.NotFound", "The routeTable ID '%s' does not exist", id)
			}
			if rt.VpcID != vpcID {
				return "", awsErr(doing, op, 400, "InvalidParameter", "Route table %s does not belong to vpc %s", id, vpcID)
			}
			for _, r := range routesOf(c.cfg, c.st, rt) {
				if r["destinationPrefixListId"] == pl && (self == "" || r["vpcEndpointId"] != self) {
					return "", awsErr(doing, op, 400, "RouteAlreadyExists",
						"route table %s already has a route with destination-prefix-list-id %s", id, pl)
				}
			}
		}
		return pl, nil
	}
	return &kind{
		token: tVpcEndpoint, what: "EC2 VPC Endpoint",
		replaces: []string{"vpcId", "serviceName", "vpcEndpointType", "serviceRegion", "serviceNetworkArn", "resourceConfigurationArn"},
		defaults: map[string]any{"vpcEndpointType": "Gateway"},
		computed: []string{"arn", "cidrBlocks", "dnsEntries", "dnsOptions", "ipAddressType", "networkInterfaceIds", "ownerId",
			"policy", "prefixListId", "privateDnsEnabled", "requesterManaged", "routeTableIds", "securityGroupIds", "serviceRegion",
			"state", "subnetConfigurations", "subnetIds"},
		tags: true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "vpcId")
			oneOf(f, news, "vpc_endpoint_type", []string{"vpcEndpointType"},
				"Gateway", "GatewayLoadBalancer", "Interface", "Resource", "ServiceNetwork")
			checkTags(f, news)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			service := str(ins, "serviceName")
			pl, err := validate(c, "creating EC2 VPC Endpoint ("+service+")", "EC2: CreateVpcEndpoint", ins, "")
			if err != nil {
				return "", nil, err
			}
			id := c.st.hexID("vpce", 17)
			out := resource.PropertyMap{}
			for k, v := range map[string]any{
				"arn": c.cfg.regional("ec2", "vpc-endpoint/"+id), "cidrBlocks": prefixListCIDRs(service), "dnsEntries": []any{},
				"dnsOptions":    map[string]any{"dnsRecordIpType": "ipv4", "privateDnsOnlyForInboundResolverEndpoint": false},
				"ipAddressType": "ipv4", "networkInterfaceIds": []string{}, "ownerId": Account, "policy": fullAccessPolicy,
				"prefixListId": pl, "privateDnsEnabled": false, "requesterManaged": false, "routeTableIds": []string{},
				"securityGroupIds": []string{}, "serviceRegion": c.cfg.region, "state": "available",
				"subnetConfigurations": []any{}, "subnetIds": []string{},
			} {
				if !has(ins, k) {
					out[resource.PropertyKey(k)] = pv(v)
				}
			}
			return id, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			if _, err := validate(c, "updating EC2 VPC Endpoint ("+old.id+")", "EC2: ModifyVpcEndpoint", ins, old.id); err != nil {
				return nil, err
			}
			if !has(ins, "routeTableIds") {
				return resource.PropertyMap{"routeTableIds": pv([]string{})}, nil
			}
			return nil, nil
		},
	}
}

// getVpcEndpoint answers ec2.LookupVpcEndpoint from the live endpoints:
// by id, vpcId, serviceName, tags, and the vpc-endpoint-id, vpc-id,
// service-name, vpc-endpoint-type and tag:* filters.
func getVpcEndpoint(c *call, args resource.PropertyMap) (map[string]any, error) {
	fs := filtersOf(args)
	var found []*record
	for _, e := range c.st.all(tVpcEndpoint) {
		o := e.outputs
		if (str(args, "id") != "" && e.id != str(args, "id")) ||
			(str(args, "vpcId") != "" && str(o, "vpcId") != str(args, "vpcId")) ||
			(str(args, "serviceName") != "" && str(o, "serviceName") != str(args, "serviceName")) {
			continue
		}
		tags := stringMap(o, "tagsAll")
		if !hasTags(tags, stringMap(args, "tags")) {
			continue
		}
		if ok, err := matchFilters(fs, map[string]func() []string{
			"vpc-endpoint-id":   func() []string { return []string{e.id} },
			"vpc-id":            func() []string { return []string{str(o, "vpcId")} },
			"service-name":      func() []string { return []string{str(o, "serviceName")} },
			"vpc-endpoint-type": func() []string { return []string{str(o, "vpcEndpointType")} },
		}, tags); err != nil {
			return nil, err
		} else if ok {
			found = append(found, e)
		}
	}
	if len(found) != 1 {
		return nil, singular("EC2 VPC Endpoint", len(found))
	}
	out := plainMap(found[0].outputs)
	out["id"] = found[0].id
	out["filters"] = args["filters"]
	return out, nil
}

// hasTags says whether tags include every one of want.
func hasTags(tags, want map[string]string) bool {
	for k, v := range want {
		if tags[k] != v {
			return false
		}
	}
	return true
}
