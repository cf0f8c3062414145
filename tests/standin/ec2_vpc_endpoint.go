package standin

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tVpcEndpoint = "aws:ec2/vpcEndpoint:VpcEndpoint"

func init() {
	register(vpcEndpointKind())
}

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
			if rt.VPCID != vpcID {
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
