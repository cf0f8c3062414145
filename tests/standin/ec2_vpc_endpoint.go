package standin

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tVpcEndpoint = "aws:ec2/vpcEndpoint:VpcEndpoint"

func init() {
	register(vpcEndpointKind())
}

// A gateway endpoint's policy when none is given: full access.
// Source: Amazon VPC AWS PrivateLink guide, "Control access to VPC endpoints
// using endpoint policies": the default policy allows full access to the
// service. Assumption: EC2 returns it in this form (Version 2008-10-17).
const fullAccessPolicy = `{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2008-10-17"}`

func vpcEndpointKind() *kind {
	// validate checks an endpoint's inputs against EC2 and returns its
	// service's prefix list id; self is the endpoint being updated.
	// Source: terraform-provider-aws internal/service/ec2/vpc_endpoint.go,
	// resourceVPCEndpointCreate: "creating EC2 VPC Endpoint (<service
	// name>)", CreateVpcEndpoint; updates call ModifyVpcEndpoint.
	validate := func(c *call, doing, op string, ins resource.PropertyMap, self string) (string, error) {
		if t := str(ins, "vpcEndpointType"); t != "Gateway" {
			return "", fmt.Errorf("%s: the AWS stand-in implements only Gateway VPC endpoints, not %q: add it to tests/standin before using it",
				doing, t)
		}
		vpcID, service := str(ins, "vpcId"), str(ins, "serviceName")
		if c.s.fx.vpc(vpcID) == nil {
			// Assumption: CreateVpcEndpoint spells the code
			// InvalidVpcId.NotFound (the EC2 error codes list has
			// InvalidVpcID.NotFound); the message is EC2's usual one.
			return "", awsErr(doing, op, 400, "InvalidVpcId.NotFound", "The vpc ID '%s' does not exist", vpcID)
		}
		if service == "" {
			// Source: EC2 API Reference, CreateVpcEndpoint: ServiceName is
			// required for gateway endpoints; MissingParameter is EC2's
			// common error for a missing required parameter.
			return "", awsErr(doing, op, 400, "MissingParameter", "The request must contain the parameter ServiceName")
		}
		if c.cfg.gatewayServiceKey(service) == "" {
			var types []string
			for _, s := range c.cfg.endpointServices() {
				if s.name == service && !s.unknown {
					types = append(types, s.typ)
				}
			}
			switch {
			case len(types) > 0:
				// An interface-only service, such as S3's in China.
				// Source: EC2's refusal as quoted in
				// nimblehq/infrastructure-templates#286: "InvalidParameter:
				// Endpoint type (Gateway) does not match available service
				// types ([Interface])."
				return "", awsErr(doing, op, 400, "InvalidParameter",
					"Endpoint type (Gateway) does not match available service types ([%s]).", strings.Join(types, " "))
			case c.cfg.unmodelledService(service):
				return "", fmt.Errorf("%s: the AWS stand-in models only the endpoint services of S3 and DynamoDB, not %q: add it to tests/standin before using it",
					doing, service)
			}
			// Source: EC2's refusal as quoted in
			// terraform-aws-modules/terraform-aws-vpc#481: "InvalidServiceName:
			// The Vpc Endpoint Service '...' does not exist".
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
				// Assumption: EC2's usual not-found text for route tables.
				return "", awsErr(doing, op, 400, "InvalidRouteTableID.NotFound", "The routeTable ID '%s' does not exist", id)
			}
			if rt.VPCID != vpcID {
				// Assumption: the wording of EC2's refusal of a route table
				// of another VPC is not confirmed by a source.
				return "", awsErr(doing, op, 400, "InvalidParameter", "Route table %s does not belong to vpc %s", id, vpcID)
			}
			for _, r := range routesOf(c.cfg, c.st, rt) {
				if r["destinationPrefixListId"] == pl && (self == "" || r["vpcEndpointId"] != self) {
					// Assumption: EC2 refuses a second route to a prefix
					// list in one route table (route destinations are unique
					// per table); the wording of its RouteAlreadyExists
					// message is not confirmed by a source.
					return "", awsErr(doing, op, 400, "RouteAlreadyExists",
						"route table %s already has a route with destination-prefix-list-id %s", id, pl)
				}
			}
		}
		return pl, nil
	}
	// Source: terraform-provider-aws internal/service/ec2/vpc_endpoint.go,
	// resourceVPCEndpoint: vpc_id is required; vpc_id, service_name,
	// vpc_endpoint_type (default Gateway, one of the VpcEndpointType values),
	// service_region, service_network_arn and resource_configuration_arn
	// force a new endpoint; route_table_ids, policy and tags update in place.
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
		},
		// Computed outputs of a gateway endpoint. Source: EC2 API Reference,
		// VpcEndpoint; cidrBlocks are the service's prefix list ranges
		// (resourceVPCEndpointRead reads them from the prefix list).
		// Assumption: dnsOptions and ipAddressType as EC2 reports them for
		// a gateway endpoint.
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

// getVpcEndpoint answers ec2.LookupVpcEndpoint from the live endpoints.
// Source: terraform-provider-aws internal/service/ec2/vpc_endpoint_data_source.go,
// dataSourceVPCEndpointRead: state, vpcId and serviceName become the
// vpc-endpoint-state, vpc-id and service-name filters, id the
// VpcEndpointIds, tags tag:<key> filters, then the custom filters; errors
// through tfresource.SingularDataSourceFindError("EC2 VPC Endpoint").
// Source: EC2 API Reference, DescribeVpcEndpoints, for the filters:
// ip-address-type, service-name, service-region, tag:<key>, tag-key,
// vpc-id, vpc-endpoint-id, vpc-endpoint-state, vpc-endpoint-type.
func getVpcEndpoint(c *call, args resource.PropertyMap) (map[string]any, error) {
	const doing, op = "reading EC2 VPC Endpoint", "EC2: DescribeVpcEndpoints"
	fs := filtersOf(args)
	for arg, name := range map[string]string{"state": "vpc-endpoint-state", "vpcId": "vpc-id", "serviceName": "service-name"} {
		if v := str(args, arg); v != "" {
			fs = append(fs, filter{name: name, values: []string{v}})
		}
	}
	for k, v := range stringMap(args, "tags") {
		fs = append(fs, filter{name: "tag:" + k, values: []string{v}})
	}
	var found []*record
	for _, e := range c.st.all(tVpcEndpoint) {
		o := e.outputs
		if str(args, "id") != "" && e.id != str(args, "id") {
			continue
		}
		tags := stringMap(o, "tagsAll")
		one := func(k string) func() []string { return func() []string { return []string{str(o, k)} } }
		if ok, err := matchFilters(doing, op, fs, map[string]func() []string{
			"ip-address-type":    one("ipAddressType"),
			"service-name":       one("serviceName"),
			"service-region":     one("serviceRegion"),
			"tag-key":            func() []string { return keys(tags) },
			"vpc-id":             one("vpcId"),
			"vpc-endpoint-id":    func() []string { return []string{e.id} },
			"vpc-endpoint-state": one("state"),
			"vpc-endpoint-type":  one("vpcEndpointType"),
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

// keys lists a map's keys.
func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
