package standin

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

type invokeFunc func(c *call, args resource.PropertyMap) (map[string]any, error)

var invokes = map[string]invokeFunc{
	"aws:index/getPartition:getPartition":           getPartition,
	"aws:index/getRegion:getRegion":                 getRegion,
	"aws:index/getCallerIdentity:getCallerIdentity": getCallerIdentity,
	"aws:ec2/getSubnet:getSubnet":                   getSubnet,
	"aws:ec2/getVpc:getVpc":                         getVpc,
	"aws:ec2/getRouteTable:getRouteTable":           getRouteTable,
	"aws:ec2/getRouteTables:getRouteTables":         getRouteTables,
	"aws:ec2/getPrefixList:getPrefixList":           getPrefixList,
	"aws:ec2/getAmi:getAmi":                         getAmi,
	"aws:ec2/getInstanceType:getInstanceType":       getInstanceType,
	"aws:ec2/getVpcEndpoint:getVpcEndpoint":         getVpcEndpoint,
	"aws:ec2/getKeyPair:getKeyPair":                 getKeyPair,
	// Data sources added for the installer's lookups of services and offerings.
	"aws:ec2/getVpcEndpointService:getVpcEndpointService":       getVpcEndpointService,
	"aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": getInstanceTypeOfferings,
	"aws:ec2/getInstances:getInstances":                         getInstances,
	"aws:ec2/getInstance:getInstance":                           getInstance,
}

// Invoke answers the data sources the installer reads, from the fixtures.
func (s *Server) Invoke(ctx context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	fn := invokes[req.GetTok()]
	if fn == nil {
		return nil, status.Errorf(codes.InvalidArgument,
			"the AWS stand-in does not implement function %q: add it to tests/standin before using it", req.GetTok())
	}
	args, err := unmarshal(req.GetArgs())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg, err := s.config(ctx)
	if err != nil {
		return nil, err
	}
	c := &call{s: s, st: s.st, cfg: cfg, typ: req.GetTok(), preview: req.GetPreview()}
	c.st.seeARNs(args)
	out, err := fn(c, args)
	if err != nil {
		return nil, rpcErr(err)
	}
	res := pmap(out)
	c.st.seeARNs(res)
	ret, err := marshal(res)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

// getPartition answers aws.GetPartition for the configured region.
// Source: terraform-provider-aws internal/service/meta/partition_data_source.go:
// id and partition are the partition's name, dns_suffix its DNS suffix,
// reverse_dns_prefix its reversed DNS suffix (cn.com.amazonaws in China).
func getPartition(c *call, _ resource.PropertyMap) (map[string]any, error) {
	rev := "com.amazonaws"
	if c.cfg.partition.name == "aws-cn" {
		rev = "cn.com.amazonaws"
	}
	p := c.cfg.partition
	return map[string]any{"id": p.name, "partition": p.name, "dnsSuffix": p.dnsSuffix, "reverseDnsPrefix": rev}, nil
}

// regionNames are the descriptions of the regions the endpoints catalogue
// knows. Source: AWS General Reference, "AWS service endpoints" (region
// names), and the regions' launch entries in the AWS Regions and
// Availability Zones guide's document history.
var regionNames = map[string]string{
	"us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)", "us-west-1": "US West (N. California)",
	"us-west-2": "US West (Oregon)", "af-south-1": "Africa (Cape Town)", "ap-east-1": "Asia Pacific (Hong Kong)",
	"ap-south-1": "Asia Pacific (Mumbai)", "ap-northeast-1": "Asia Pacific (Tokyo)", "ap-northeast-2": "Asia Pacific (Seoul)",
	"ap-northeast-3": "Asia Pacific (Osaka)", "ap-southeast-1": "Asia Pacific (Singapore)", "ap-southeast-2": "Asia Pacific (Sydney)",
	"ca-central-1": "Canada (Central)", "eu-central-1": "Europe (Frankfurt)", "eu-west-1": "Europe (Ireland)",
	"eu-west-2": "Europe (London)", "eu-west-3": "Europe (Paris)", "eu-north-1": "Europe (Stockholm)", "eu-south-1": "Europe (Milan)",
	"me-south-1": "Middle East (Bahrain)", "sa-east-1": "South America (Sao Paulo)",
	"us-gov-west-1": "AWS GovCloud (US-West)", "us-gov-east-1": "AWS GovCloud (US-East)",
	"cn-north-1": "China (Beijing)", "cn-northwest-1": "China (Ningxia)",
	// Opened after Canonical's last Ubuntu 16.04 image (fixtures/images.json).
	"ap-southeast-3": "Asia Pacific (Jakarta)", "me-central-1": "Middle East (UAE)", "eu-central-2": "Europe (Zurich)",
	"eu-south-2": "Europe (Spain)", "ap-south-2": "Asia Pacific (Hyderabad)", "ap-southeast-4": "Asia Pacific (Melbourne)",
	"il-central-1": "Israel (Tel Aviv)", "ca-west-1": "Canada West (Calgary)", "ap-southeast-5": "Asia Pacific (Malaysia)",
	"ap-southeast-7": "Asia Pacific (Thailand)", "mx-central-1": "Mexico (Central)", "ap-east-2": "Asia Pacific (Taipei)",
	"ap-southeast-6": "Asia Pacific (New Zealand)",
}

// getRegion answers aws.GetRegion: the configured region, or the region
// named by name or endpoint, which need not be the configured one.
// Source: terraform-provider-aws internal/service/meta/region_data_source.go:
// FindRegionByName and FindRegionByEndpoint search every region of the
// endpoints catalogue; an unknown one is "region not found for name %q" or
// "region not found for endpoint %q"; the endpoint is EC2's,
// ec2.<region>.<dns suffix>.
// Assumption: a region the stand-in is configured with is in the catalogue.
func getRegion(c *call, args resource.PropertyMap) (map[string]any, error) {
	region := c.cfg.region
	if n := str(args, "name"); n != "" {
		if _, ok := regionNames[n]; !ok && n != c.cfg.region {
			return nil, fmt.Errorf("region not found for name %q", n)
		}
		region = n
	}
	if e := str(args, "endpoint"); e != "" {
		found := ""
		for r := range regionNames {
			if ec2Endpoint(r) == e {
				found = r
			}
		}
		if ec2Endpoint(c.cfg.region) == e {
			found = c.cfg.region
		}
		if found == "" {
			return nil, fmt.Errorf("region not found for endpoint %q", e)
		}
		if str(args, "name") != "" && found != region {
			// Assumption: the provider's wording when name and endpoint
			// name different regions.
			return nil, fmt.Errorf("multiple regions matched; use additional constraints to reduce matches to a single region")
		}
		region = found
	}
	return map[string]any{
		"id": region, "name": region, "description": regionNames[region], "endpoint": ec2Endpoint(region),
	}, nil
}

func ec2Endpoint(region string) string { return "ec2." + region + "." + partitionOf(region).dnsSuffix }

// getCallerIdentity answers aws.GetCallerIdentity.
// Source: terraform-provider-aws internal/service/sts/caller_identity_data_source.go:
// id and account_id are the account, arn and user_id the caller's.
// Assumption: the caller is an IAM user named standin.
func getCallerIdentity(c *call, _ resource.PropertyMap) (map[string]any, error) {
	return map[string]any{
		"id": Account, "accountId": Account, "userId": "AIDASTANDINSTANDIN0001",
		"arn": c.cfg.arn("iam", "", Account, "user/standin"),
	}, nil
}

// --- filters -------------------------------------------------------------

// filter is one EC2 filter: a name and the values any of which may match.
// Source: EC2 API Reference, Filter.
type filter struct {
	name   string
	values []string
}

// filtersOf reads a data source's filters argument. Source:
// terraform-provider-aws internal/service/ec2, newCustomFilterList: each
// filter block becomes one EC2 filter.
func filtersOf(args resource.PropertyMap) []filter {
	var out []filter
	for _, f := range objs(args, "filters") {
		out = append(out, filter{name: str(f, "name"), values: strs(f, "values")})
	}
	return out
}

// matches says whether v matches one of the filter values.
// Source: Amazon EC2 User Guide, filtering resources with the CLI and API:
// filter values take the wildcards * (any run) and ? (one character).
func (f filter) matches(v string) bool {
	for _, want := range f.values {
		if globMatch(want, v) {
			return true
		}
	}
	return false
}

// matchFilters applies EC2 filters to an object's fields: every filter must
// match one of the field's values. An unsupported filter name is refused as
// EC2 refuses it, in the words of the calling data source (doing, op).
// Source: EC2 API Reference, the Filters of each Describe operation, and
// EC2's refusal "InvalidParameterValue: The filter '...' is invalid".
// Assumption: that refusal's wording is the same for every Describe
// operation.
func matchFilters(doing, op string, fs []filter, fields map[string]func() []string, tags map[string]string) (bool, error) {
	for _, f := range fs {
		var vals []string
		switch {
		case strings.HasPrefix(f.name, "tag:"):
			if v, ok := tags[strings.TrimPrefix(f.name, "tag:")]; ok {
				vals = []string{v}
			}
		case fields[f.name] != nil:
			vals = fields[f.name]()
		default:
			return false, awsErr(doing, op, 400, "InvalidParameterValue", "The filter '%s' is invalid", f.name)
		}
		ok := false
		for _, v := range vals {
			ok = ok || f.matches(v)
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// singular is the provider's error for a singular data source that found
// no object or more than one.
// Source: terraform-provider-aws internal/tfresource/not_found_error.go,
// SingularDataSourceFindError.
func singular(what string, n int) error {
	if n == 0 {
		return fmt.Errorf("no matching %s found", what)
	}
	return fmt.Errorf("multiple %ss matched; use additional constraints to reduce matches to a single %s", what, what)
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// --- network -------------------------------------------------------------

// azID is a zone's id: the region's short form and az<n>, zone a being az1.
// Assumption: AWS maps zone names to zone ids per account; the stand-in
// maps them in order.
func azID(c *call, suffix string) string {
	parts := strings.Split(c.cfg.region, "-")
	short := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		short += p[:1]
	}
	return short + parts[len(parts)-1] + "-az" + fmt.Sprint(int(suffix[0]-'a')+1)
}

// getSubnet answers ec2.LookupSubnet from the fixture subnets.
// Source: terraform-provider-aws internal/service/ec2/vpc_subnet_data_source.go,
// dataSourceSubnetRead: availabilityZone, availabilityZoneId, defaultForAz,
// state, vpcId and cidrBlock become the availabilityZone,
// availabilityZoneId, defaultForAz, state, vpc-id and cidrBlock filters, id
// the SubnetIds, tags tag:<key> filters, then the custom filters; errors
// through tfresource.SingularDataSourceFindError("EC2 Subnet").
// Source: EC2 API Reference, DescribeSubnets, for the filters (with their
// aliases availabilityZone, availabilityZoneId, cidr, cidrBlock,
// defaultForAz).
func getSubnet(c *call, args resource.PropertyMap) (map[string]any, error) {
	const doing, op = "reading EC2 Subnet", "EC2: DescribeSubnets"
	fs := filtersOf(args)
	for arg, name := range map[string]string{"availabilityZone": "availabilityZone", "availabilityZoneId": "availabilityZoneId",
		"state": "state", "vpcId": "vpc-id", "cidrBlock": "cidrBlock"} {
		if v := str(args, arg); v != "" {
			fs = append(fs, filter{name: name, values: []string{v}})
		}
	}
	if has(args, "defaultForAz") {
		fs = append(fs, filter{name: "defaultForAz", values: []string{boolStr(boolv(args, "defaultForAz"))}})
	}
	for k, v := range stringMap(args, "tags") {
		fs = append(fs, filter{name: "tag:" + k, values: []string{v}})
	}
	var found []*subnetFixture
	for i := range c.s.fx.Subnets {
		s := &c.s.fx.Subnets[i]
		if str(args, "id") != "" && s.ID != str(args, "id") {
			continue
		}
		one := func(v string) func() []string { return func() []string { return []string{v} } }
		zone, zoneID, cidr := one(c.az(s)), one(azID(c, s.AZSuffix)), one(s.CidrBlock)
		ok, err := matchFilters(doing, op, fs, map[string]func() []string{
			"availability-zone": zone, "availabilityZone": zone,
			"availability-zone-id": zoneID, "availabilityZoneId": zoneID,
			"cidr-block": cidr, "cidrBlock": cidr, "cidr": cidr,
			"default-for-az": one(boolStr(s.DefaultForAz)), "defaultForAz": one(boolStr(s.DefaultForAz)),
			"map-public-ip-on-launch": one(boolStr(s.MapPublicIPOnLaunch)),
			"owner-id":                one(Account),
			"state":                   one("available"),
			"subnet-arn":              one(c.cfg.regional("ec2", "subnet/"+s.ID)),
			"subnet-id":               one(s.ID),
			"tag-key":                 func() []string { return keys(s.Tags) },
			"vpc-id":                  one(s.VPCID),
		}, s.Tags)
		if err != nil {
			return nil, err
		}
		if ok {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		return nil, singular("EC2 Subnet", len(found))
	}
	s := found[0]
	ones, bits := s.cidr.Mask.Size()
	// Source: Amazon VPC User Guide, "Subnet CIDR blocks": AWS reserves
	// five addresses of every subnet.
	free := (1 << (bits - ones)) - 5 - len(c.st.usedIPs(s.ID))
	return map[string]any{
		"id": s.ID, "arn": c.cfg.regional("ec2", "subnet/"+s.ID), "vpcId": s.VPCID, "cidrBlock": s.CidrBlock,
		"availabilityZone": c.az(s), "availabilityZoneId": azID(c, s.AZSuffix), "availableIpAddressCount": free,
		"mapPublicIpOnLaunch": s.MapPublicIPOnLaunch, "defaultForAz": s.DefaultForAz, "state": "available",
		"ownerId": Account, "tags": tagsOrEmpty(s.Tags), "assignIpv6AddressOnCreation": false, "customerOwnedIpv4Pool": "",
		"enableDns64": false, "enableLniAtDeviceIndex": 0, "enableResourceNameDnsARecordOnLaunch": false,
		"enableResourceNameDnsAaaaRecordOnLaunch": false, "ipv6CidrBlock": "", "ipv6CidrBlockAssociationId": "",
		"ipv6Native": false, "mapCustomerOwnedIpOnLaunch": false, "outpostArn": "",
		"privateDnsHostnameTypeOnLaunch": "ip-name", "filters": args["filters"],
	}, nil
}

func tagsOrEmpty(t map[string]string) map[string]string {
	if t == nil {
		return map[string]string{}
	}
	return t
}

// getVpc answers ec2.LookupVpc from the fixture VPCs.
// Source: terraform-provider-aws internal/service/ec2/vpc_data_source.go,
// dataSourceVPCRead: cidrBlock, dhcpOptionsId, state and default become the
// cidr, dhcp-options-id, state and is-default filters, id the VpcIds, tags
// tag:<key> filters, then the custom filters; errors through
// tfresource.SingularDataSourceFindError("EC2 VPC"). Source: EC2 API
// Reference, DescribeVpcs, for the filters (cidr, not cidr-block).
func getVpc(c *call, args resource.PropertyMap) (map[string]any, error) {
	const doing, op = "reading EC2 VPC", "EC2: DescribeVpcs"
	fs := filtersOf(args)
	for arg, name := range map[string]string{"cidrBlock": "cidr", "dhcpOptionsId": "dhcp-options-id", "state": "state"} {
		if v := str(args, arg); v != "" {
			fs = append(fs, filter{name: name, values: []string{v}})
		}
	}
	if has(args, "default") {
		fs = append(fs, filter{name: "is-default", values: []string{boolStr(boolv(args, "default"))}})
	}
	for k, v := range stringMap(args, "tags") {
		fs = append(fs, filter{name: "tag:" + k, values: []string{v}})
	}
	var found []*vpcFixture
	for i := range c.s.fx.VPCs {
		v := &c.s.fx.VPCs[i]
		if str(args, "id") != "" && v.ID != str(args, "id") {
			continue
		}
		one := func(x string) func() []string { return func() []string { return []string{x} } }
		ok, err := matchFilters(doing, op, fs, map[string]func() []string{
			"cidr":                              one(v.CidrBlock),
			"cidr-block-association.cidr-block": one(v.CidrBlock),
			"cidr-block-association.state":      one("associated"),
			"dhcp-options-id":                   one(v.DhcpOptionsID),
			"is-default":                        one(boolStr(v.Default)),
			"owner-id":                          one(Account),
			"state":                             one("available"),
			"tag-key":                           func() []string { return keys(v.Tags) },
			"vpc-id":                            one(v.ID),
		}, v.Tags)
		if err != nil {
			return nil, err
		}
		if ok {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		return nil, singular("EC2 VPC", len(found))
	}
	v := found[0]
	return map[string]any{
		"id": v.ID, "arn": c.cfg.regional("ec2", "vpc/"+v.ID), "cidrBlock": v.CidrBlock, "default": v.Default,
		"cidrBlockAssociations": []any{map[string]any{
			"associationId": "vpc-cidr-assoc-" + strings.TrimPrefix(v.ID, "vpc-"), "cidrBlock": v.CidrBlock, "state": "associated",
		}},
		"dhcpOptionsId": v.DhcpOptionsID, "enableDnsHostnames": v.EnableDNSHostnames, "enableDnsSupport": v.EnableDNSSupport,
		"enableNetworkAddressUsageMetrics": false, "instanceTenancy": "default", "ipv6AssociationId": "", "ipv6CidrBlock": "",
		"mainRouteTableId": v.MainRouteTableID, "ownerId": Account, "state": "available", "tags": tagsOrEmpty(v.Tags),
		"filters": args["filters"],
	}, nil
}

// routeTables finds fixture route tables as DescribeRouteTables does.
// Source: terraform-provider-aws internal/service/ec2/vpc_route_table_data_source.go,
// dataSourceRouteTableRead: routeTableId, vpcId, subnetId and gatewayId
// become the route-table-id, vpc-id, association.subnet-id and
// association.gateway-id filters (withArgs); both data sources add tags as
// tag:<key> filters and the custom filters. Source: EC2 API Reference,
// DescribeRouteTables, for the filters: the route.* filters see every route
// EC2 holds, gateway endpoint routes (whose gateway id is vpce-...)
// included.
func (c *call) routeTables(doing string, args resource.PropertyMap, withArgs bool) ([]*routeTableFixture, error) {
	const op = "EC2: DescribeRouteTables"
	fs := filtersOf(args)
	argFilters := map[string]string{"vpcId": "vpc-id"}
	if withArgs {
		argFilters = map[string]string{"routeTableId": "route-table-id", "vpcId": "vpc-id",
			"subnetId": "association.subnet-id", "gatewayId": "association.gateway-id"}
	}
	for arg, name := range argFilters {
		if v := str(args, arg); v != "" {
			fs = append(fs, filter{name: name, values: []string{v}})
		}
	}
	for k, v := range stringMap(args, "tags") {
		fs = append(fs, filter{name: "tag:" + k, values: []string{v}})
	}
	var found []*routeTableFixture
	for i := range c.s.fx.RouteTables {
		rt := &c.s.fx.RouteTables[i]
		routes := routesOf(c.cfg, c.st, rt)
		ok, err := matchFilters(doing, op, fs, map[string]func() []string{
			"route-table-id":                   func() []string { return []string{rt.ID} },
			"vpc-id":                           func() []string { return []string{rt.VPCID} },
			"owner-id":                         func() []string { return []string{Account} },
			"association.subnet-id":            func() []string { return rt.SubnetIDs },
			"association.gateway-id":           func() []string { return nil }, // no fixture table has a gateway association
			"association.main":                 func() []string { return []string{boolStr(rt.Main)} },
			"tag-key":                          func() []string { return nil },
			"route.destination-cidr-block":     routeValues(routes, "cidrBlock"),
			"route.destination-prefix-list-id": routeValues(routes, "destinationPrefixListId"),
			"route.gateway-id":                 routeValues(routes, "gatewayId", "vpcEndpointId"),
			"route.nat-gateway-id":             routeValues(routes, "natGatewayId"),
		}, nil)
		if err != nil {
			return nil, err
		}
		if ok {
			found = append(found, rt)
		}
	}
	return found, nil
}

func contains(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

// getRouteTable answers ec2.LookupRouteTable.
// Source: terraform-provider-aws internal/service/ec2/vpc_route_table_data_source.go,
// dataSourceRouteTableRead: one of routeTableId, vpcId, subnetId,
// gatewayId, filters or tags is required; errors through
// tfresource.SingularDataSourceFindError("Route Table") (the newest stored
// version; an older one said "query returned no results. Please change
// your search criteria and try again" for none, and the same "multiple
// Route Tables matched" for several); its routes leave out the local
// route, propagated ones and gateway endpoint routes (flattenDataSourceRoutes).
func getRouteTable(c *call, args resource.PropertyMap) (map[string]any, error) {
	if str(args, "routeTableId") == "" && str(args, "vpcId") == "" && str(args, "subnetId") == "" &&
		str(args, "gatewayId") == "" && len(objs(args, "filters")) == 0 && len(stringMap(args, "tags")) == 0 {
		return nil, errors.New("one of route_table_id, vpc_id, subnet_id, gateway_id, filters, or tags must be assigned")
	}
	found, err := c.routeTables("reading Route Table", args, true)
	if err != nil {
		return nil, err
	}
	if len(found) != 1 {
		return nil, singular("Route Table", len(found))
	}
	rt := found[0]
	var assocs []any
	if rt.Main {
		assocs = append(assocs, map[string]any{"main": true, "routeTableId": rt.ID, "subnetId": "", "gatewayId": "",
			"routeTableAssociationId": "rtbassoc-" + strings.TrimPrefix(rt.ID, "rtb-")})
	}
	for _, s := range rt.SubnetIDs {
		sum := sha256.Sum256([]byte(rt.ID + s))
		assocs = append(assocs, map[string]any{"main": false, "routeTableId": rt.ID, "subnetId": s, "gatewayId": "",
			"routeTableAssociationId": fmt.Sprintf("rtbassoc-%x", sum[:])[:26]})
	}
	routes := []any{}
	for _, r := range routesOf(c.cfg, c.st, rt) {
		if !providerShows(r) {
			continue
		}
		route := map[string]any{}
		for k, v := range r {
			route[k] = v
		}
		routes = append(routes, route)
	}
	return map[string]any{
		"id": rt.ID, "routeTableId": rt.ID, "arn": c.cfg.regional("ec2", "route-table/"+rt.ID), "vpcId": rt.VPCID,
		"ownerId": Account, "associations": assocs, "routes": routes, "tags": map[string]string{},
		"subnetId": str(args, "subnetId"), "gatewayId": "", "filters": args["filters"],
	}, nil
}

// getRouteTables answers ec2.GetRouteTables.
// Source: terraform-provider-aws internal/service/ec2/vpc_route_tables_data_source.go,
// dataSourceRouteTablesRead: vpcId becomes a vpc-id filter; no match is no
// error; the id is the region; errors read "reading EC2 Route Tables: ...".
func getRouteTables(c *call, args resource.PropertyMap) (map[string]any, error) {
	found, err := c.routeTables("reading EC2 Route Tables", args, false)
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, rt := range found {
		ids = append(ids, rt.ID)
	}
	sort.Strings(ids)
	return map[string]any{"id": c.cfg.region, "ids": ids, "vpcId": str(args, "vpcId"), "filters": args["filters"],
		"tags": map[string]string{}}, nil
}

// --- images and instance types --------------------------------------------

type image struct {
	fields    map[string]any
	id, owner string
}

// noUbuntu1604 says whether the configured region opened after Canonical's
// last Ubuntu 16.04 image, and so has none (fixtures/images.json).
// Assumption: the lead's rule, "regions opened after 2021 have no Canonical
// Ubuntu 16.04 image at all"; the fixture lists every region opened after
// the newest 16.04 image it holds (2021-10-01), Jakarta (2021-12-13) too.
func (c *call) noUbuntu1604() bool {
	for _, r := range c.s.fx.Images.NoUbuntu1604 {
		if r.Region == c.cfg.region {
			return true
		}
	}
	return false
}

// images are the images DescribeImages can see in the configured region:
// Canonical's Ubuntu 16.04 image of the partition (none in regions opened
// after its last one), and a generic image for any other well-formed image
// id named by an image-id filter.
// Assumption: one Canonical image id per partition, the same in every
// region of it (AWS's ids differ per region).
func (c *call) images(args resource.PropertyMap) []image {
	var out []image
	fromTemplate := func(tmpl map[string]any, id, owner string) image {
		f := map[string]any{}
		for k, v := range tmpl {
			f[k] = v
		}
		f["imageId"], f["ownerId"] = id, owner
		return image{fields: f, id: id, owner: owner}
	}
	canonical := map[string]bool{}
	for _, ci := range c.s.fx.Images.Canonical {
		canonical[ci.ImageID] = true
		if ci.Partition == c.cfg.partition.name && !c.noUbuntu1604() {
			out = append(out, fromTemplate(c.s.fx.Images.Ubuntu, ci.ImageID, ci.OwnerID))
		}
	}
	for _, f := range filtersOf(args) {
		if f.name != "image-id" {
			continue
		}
		for _, id := range f.values {
			if amiRE.MatchString(id) && !canonical[id] {
				img := fromTemplate(c.s.fx.Images.Generic, id, Account)
				img.fields["name"] = "standin-image-" + id
				out = append(out, img)
			}
		}
	}
	return out
}

// checkImages checks fixtures/images.json: the regions without a 16.04
// image opened after the newest Canonical image it holds.
func (fx *fixtureSet) checkImages() error {
	newest, err := time.Parse(time.RFC3339, fmt.Sprint(fx.Images.Ubuntu["creationDate"]))
	if err != nil {
		return fmt.Errorf("standin fixture images.json: ubuntu creationDate: %w", err)
	}
	for _, r := range fx.Images.NoUbuntu1604 {
		opened, err := time.Parse("2006-01-02", r.Opened)
		if err != nil || !opened.After(newest) || r.Source == "" {
			return fmt.Errorf("standin fixture images.json: %s must have a source and have opened (%s) after %s, the newest 16.04 image",
				r.Region, r.Opened, newest.Format("2006-01-02"))
		}
	}
	return nil
}

// getAmi answers ec2.LookupAmi.
// Source: terraform-provider-aws internal/service/ec2/ec2_ami_data_source.go,
// dataSourceAMIRead: owners, filters and includeDeprecated go to
// DescribeImages, nameRegex filters the names afterwards; none: "Your query
// returned no results. Please change your search criteria and try again.";
// several without mostRecent: "Your query returned more than one result.
// Please try a more specific search criteria, or set `most_recent`
// attribute to true."; mostRecent takes the newest creation date. Source:
// EC2 API Reference, DescribeImages: deprecated images are listed only with
// IncludeDeprecated; the filters below are among its filters.
func getAmi(c *call, args resource.PropertyMap) (map[string]any, error) {
	const doing, op = "reading EC2 AMIs", "EC2: DescribeImages"
	owners := strs(args, "owners")
	var nameRE *regexp.Regexp
	if p := str(args, "nameRegex"); p != "" {
		var err error
		if nameRE, err = regexp.Compile(p); err != nil {
			return nil, fmt.Errorf("invalid name_regex: %w", err)
		}
	}
	var found []image
	for _, img := range c.images(args) {
		f := img.fields
		s := func(k string) func() []string { return func() []string { return []string{fmt.Sprint(f[k])} } }
		ok, err := matchFilters(doing, op, filtersOf(args), map[string]func() []string{
			"image-id": s("imageId"), "name": s("name"), "architecture": s("architecture"),
			"virtualization-type": s("virtualizationType"), "owner-id": s("ownerId"), "root-device-type": s("rootDeviceType"),
			"root-device-name": s("rootDeviceName"), "state": s("state"), "image-type": s("imageType"), "is-public": s("public"),
			"hypervisor": s("hypervisor"), "description": s("description"), "ena-support": s("enaSupport"),
		}, nil)
		if err != nil {
			return nil, err
		}
		if !ok || (len(owners) > 0 && !contains(owners, img.owner) && !(contains(owners, "self") && img.owner == Account)) {
			continue
		}
		if f["deprecationTime"] != "" && !boolv(args, "includeDeprecated") {
			continue
		}
		if nameRE != nil && !nameRE.MatchString(fmt.Sprint(f["name"])) {
			continue
		}
		found = append(found, img)
	}
	if len(found) == 0 {
		//lint:ignore ST1005 the provider's own message, word for word
		return nil, errors.New("Your query returned no results. Please change your search criteria and try again.")
	}
	if len(found) > 1 && !boolv(args, "mostRecent") {
		//lint:ignore ST1005 the provider's own message, word for word
		return nil, errors.New("Your query returned more than one result. Please try a more specific search criteria, or set `most_recent` attribute to true.")
	}
	sort.Slice(found, func(i, j int) bool {
		return fmt.Sprint(found[i].fields["creationDate"]) > fmt.Sprint(found[j].fields["creationDate"])
	})
	img := found[0]
	f := img.fields
	sum := sha256.Sum256([]byte(img.id))
	snap := fmt.Sprintf("snap-%x", sum[:])[:22]
	out := map[string]any{}
	for k, v := range f {
		if k != "volumeSize" && k != "public" {
			out[k] = v
		}
	}
	for k, v := range map[string]any{
		"id": img.id, "arn": c.cfg.arn("ec2", c.cfg.region, "", "image/"+img.id), "public": f["public"] == true,
		"imageLocation": img.owner + "/" + fmt.Sprint(f["name"]), "rootSnapshotId": snap, "kernelId": "", "ramdiskId": "",
		"platform": "", "imageOwnerAlias": "", "lastLaunchedTime": "", "uefiData": "", "productCodes": []any{},
		"stateReason": map[string]string{"code": "UNSET", "message": "UNSET"}, "tags": map[string]string{},
		"blockDeviceMappings": []any{map[string]any{
			"deviceName": f["rootDeviceName"], "noDevice": "", "virtualName": "",
			"ebs": map[string]string{"delete_on_termination": "true", "encrypted": "false", "iops": "0", "snapshot_id": snap,
				"throughput": "0", "volume_size": fmt.Sprint(f["volumeSize"]), "volume_type": "gp2"},
		}},
		"owners": args["owners"], "filters": args["filters"], "mostRecent": boolv(args, "mostRecent"),
		"includeDeprecated": boolv(args, "includeDeprecated"), "nameRegex": str(args, "nameRegex"),
		"executableUsers": args["executableUsers"],
	} {
		out[k] = v
	}
	for _, k := range []string{"bootMode", "imdsSupport", "tpmSupport"} {
		if out[k] == nil {
			out[k] = ""
		}
	}
	return out, nil
}

// getInstanceType answers ec2.GetInstanceType from fixtures/instance_types.json.
// Source: terraform-provider-aws internal/service/ec2/ec2_instance_type_data_source.go,
// dataSourceInstanceTypeRead: DescribeInstanceTypes for the one type,
// errors "reading EC2 Instance Type (<type>): ..."; EC2's refusal of an
// unknown type is "InvalidInstanceType: The following supplied instance
// types do not exist: [<type>]" (as moto's test_describe_instance_types
// records it).
// Assumption: the defaults below for what the fixture leaves out.
func getInstanceType(c *call, args resource.PropertyMap) (map[string]any, error) {
	name := str(args, "instanceType")
	t := c.s.fx.instanceType(name)
	if t == nil {
		return nil, awsErr("reading EC2 Instance Type ("+name+")", "EC2: DescribeInstanceTypes", 400, "InvalidInstanceType",
			"The following supplied instance types do not exist: [%s]", name)
	}
	out := map[string]any{
		"id": name, "supportedArchitectures": []string{"x86_64"}, "supportedVirtualizationTypes": []string{"hvm"},
		"supportedRootDeviceTypes": []string{"ebs"}, "supportedUsagesClasses": []string{"on-demand", "spot"},
		"ebsOptimizedSupport": "default", "burstablePerformanceSupported": false, "freeTierEligible": false,
	}
	for k, v := range t {
		out[k] = v
	}
	return out, nil
}

// locationTypes are DescribeInstanceTypeOfferings' location types.
// Source: the provider's documentation of getInstanceTypeOfferings
// (locationType: "Defaults to region. Valid values: availability-zone,
// availability-zone-id, and region"), and the schema's
// enum.Validate[awstypes.LocationType]().
// Assumption: the outpost location type of newer EC2 SDKs is not accepted.
var locationTypes = []string{"region", "availability-zone", "availability-zone-id"}

// offering is one instance type offered at one location.
type offering struct{ instanceType, location, locationType string }

// offerings lists the instance type offerings of the configured region for
// a location type, from fixtures/offerings.json.
// Source: EC2 API Reference, DescribeInstanceTypeOfferings: with the region
// location type, an offering per type offered in the region, located at the
// region; with availability-zone (availability-zone-id), an offering per
// type and zone (zone id) offering it.
func (c *call) offerings(locationType string) []offering {
	var types []string
	for t := range c.s.fx.Offerings.Types {
		types = append(types, t)
	}
	sort.Strings(types)
	var out []offering
	for _, t := range types {
		zones := c.s.fx.Offerings.Types[t]
		if locationType == "region" {
			if len(zones) > 0 {
				out = append(out, offering{t, c.cfg.region, locationType})
			}
			continue
		}
		for _, z := range zones {
			loc := c.cfg.region + z
			if locationType == "availability-zone-id" {
				loc = azID(c, z)
			}
			out = append(out, offering{t, loc, locationType})
		}
	}
	return out
}

// getInstanceTypeOfferings answers ec2.GetInstanceTypeOfferings.
// Source: terraform-provider-aws internal/service/ec2/ec2_instance_type_offerings_data_source.go,
// dataSourceInstanceTypeOfferingsRead: the filters and locationType go to
// DescribeInstanceTypeOfferings; the answer lists instanceTypes, locations
// and locationTypes, one entry per offering, in the same order; no
// offering is no error; the id is the region; errors read "reading EC2
// Instance Type Offerings: ...". Source: EC2 API Reference,
// DescribeInstanceTypeOfferings: the filters are instance-type and
// location; the location type defaults to region.
func getInstanceTypeOfferings(c *call, args resource.PropertyMap) (map[string]any, error) {
	const doing, op = "reading EC2 Instance Type Offerings", "EC2: DescribeInstanceTypeOfferings"
	lt := str(args, "locationType")
	if lt != "" && !contains(locationTypes, lt) {
		return nil, fmt.Errorf("expected location_type to be one of %q, got %s", locationTypes, lt)
	}
	if lt == "" {
		lt = "region"
	}
	instanceTypes, locations, lts := []string{}, []string{}, []string{}
	for _, o := range c.offerings(lt) {
		o := o
		ok, err := matchFilters(doing, op, filtersOf(args), map[string]func() []string{
			"instance-type": func() []string { return []string{o.instanceType} },
			"location":      func() []string { return []string{o.location} },
		}, nil)
		if err != nil {
			return nil, err
		}
		if ok {
			instanceTypes, locations, lts = append(instanceTypes, o.instanceType), append(locations, o.location), append(lts, o.locationType)
		}
	}
	return map[string]any{
		"id": c.cfg.region, "instanceTypes": instanceTypes, "locations": locations, "locationTypes": lts,
		"locationType": args["locationType"], "filters": args["filters"],
	}, nil
}

// checkOfferings checks fixtures/offerings.json against the instance types
// and the subnets' zones.
func (fx *fixtureSet) checkOfferings() error {
	for _, t := range fx.InstanceTypes {
		if _, ok := fx.Offerings.Types[fmt.Sprint(t["instanceType"])]; !ok {
			return fmt.Errorf("standin fixture offerings.json: no offerings for instance type %v", t["instanceType"])
		}
	}
	for t, zones := range fx.Offerings.Types {
		if fx.instanceType(t) == nil {
			return fmt.Errorf("standin fixture offerings.json: %s is not in instance_types.json", t)
		}
		for _, z := range zones {
			if !contains(fx.Offerings.Zones, z) {
				return fmt.Errorf("standin fixture offerings.json: %s: zone %q is not one of %v", t, z, fx.Offerings.Zones)
			}
		}
	}
	for _, s := range fx.Subnets {
		if !contains(fx.Offerings.Zones, s.AZSuffix) {
			return fmt.Errorf("standin fixture: subnet %s is in zone %q, not one of offerings.json's %v", s.ID, s.AZSuffix, fx.Offerings.Zones)
		}
	}
	return nil
}

// getKeyPair answers ec2.LookupKeyPair from the fixture key pairs and the
// Server's.
// Source: terraform-provider-aws internal/service/ec2/ec2_key_pair_data_source.go,
// dataSourceKeyPairRead: keyName and keyPairId become the KeyNames and
// KeyPairIds of DescribeKeyPairs, then the custom filters; EC2's
// InvalidKeyPair.NotFound for a missing name becomes a NotFoundError
// (findKeyPairs), so errors read, through
// tfresource.SingularDataSourceFindError("EC2 Key Pair"), "no matching EC2
// Key Pair found" or "multiple EC2 Key Pairs matched; ...". Source: EC2 API
// Reference, DescribeKeyPairs, for the filters: key-pair-id, key-name,
// key-type, fingerprint, tag:<key>, tag-key.
// Assumption: ids, fingerprints and the rsa key type are made up.
func getKeyPair(c *call, args resource.PropertyMap) (map[string]any, error) {
	const doing, op = "reading EC2 Key Pair", "EC2: DescribeKeyPairs"
	var found []map[string]any
	seen := map[string]bool{}
	for _, name := range append(append([]string(nil), c.s.fx.KeyPairs...), c.s.opts.KeyPairs...) {
		if seen[name] {
			continue
		}
		seen[name] = true
		sum := sha256.Sum256([]byte("key-pair/" + name))
		id, fp := fmt.Sprintf("key-%x", sum[:])[:21], fmt.Sprintf("%x", sum[:20])
		if (str(args, "keyName") != "" && name != str(args, "keyName")) || (str(args, "keyPairId") != "" && id != str(args, "keyPairId")) {
			continue
		}
		one := func(v string) func() []string { return func() []string { return []string{v} } }
		ok, err := matchFilters(doing, op, filtersOf(args), map[string]func() []string{
			"key-pair-id": one(id), "key-name": one(name), "key-type": one("rsa"), "fingerprint": one(fp),
			"tag-key": func() []string { return nil },
		}, nil)
		if err != nil {
			return nil, err
		}
		if ok {
			found = append(found, map[string]any{
				"id": id, "keyPairId": id, "keyName": name, "keyType": "rsa",
				"arn": c.cfg.regional("ec2", "key-pair/"+name), "fingerprint": fp, "tags": map[string]string{},
				"includePublicKey": boolv(args, "includePublicKey"), "filters": args["filters"],
			})
		}
	}
	if len(found) != 1 {
		return nil, singular("EC2 Key Pair", len(found))
	}
	return found[0], nil
}
