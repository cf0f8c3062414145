package standin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// --- AWS endpoint services and the prefix lists of gateway services --------

// gatewayServiceKeys are the services that offer gateway VPC endpoints, in
// the order EC2 lists their prefix lists. Fixture routes name a service's
// prefix list as "{s3}" or "{dynamodb}".
// Source: Amazon VPC AWS PrivateLink guide, "Gateway endpoints": gateway
// endpoints connect to Amazon S3 and DynamoDB.
var gatewayServiceKeys = []string{"s3", "dynamodb"}

// endpointService is an AWS service a VPC endpoint can connect to, as
// DescribeVpcEndpointServices describes it.
type endpointService struct {
	key  string // "s3"
	typ  string // "Gateway" or "Interface"
	name string // com.amazonaws.eu-central-1.s3
	// unknown marks a service that may or may not exist in the region: the
	// stand-in does not know, and fails loudly when an answer depends on it.
	unknown bool
}

// endpointServices are the AWS endpoint services of S3 and DynamoDB in the
// configured region, as the stand-in knows them.
//
// Source: aws/aws-cdk packages/aws-cdk-lib/aws-ec2/lib/vpc-endpoint.ts:
// GatewayVpcEndpointAwsService names every gateway service
// com.amazonaws.<region>.<service>, in every partition (S3 and DynamoDB,
// China included); InterfaceVpcEndpointAwsService.getDefaultEndpointPrefix
// gives interface services "cn.com.amazonaws" in cn-north-1 and
// cn-northwest-1 for the services listed there, s3 among them, and not
// dynamodb (the list "could be fetched using aws ec2
// describe-vpc-endpoint-services", aws/aws-cdk#16139). A China
// DescribeVpcEndpointServices answer recorded in weaveworks/eksctl
// pkg/cfn/builder/vpc_endpoint_test.go (serviceDetailsJSONChina) has the
// gateway service com.amazonaws.cn-north-1.s3. In the commercial partition
// the gateway and the interface service share the name
// com.amazonaws.<region>.s3 (hashicorp/terraform-provider-aws#17417 and
// terraform-aws-modules/terraform-aws-vpc#579 show both details under one
// name).
//
// Assumption: S3's interface service exists in GovCloud under
// com.amazonaws.<region>.s3, as in the commercial partition.
// Assumption: the stand-in does not know in which regions DynamoDB has an
// interface service (AWS added them in 2024) or S3 Express One Zone a
// gateway service; answers that depend on them fail loudly.
func (c *providerConfig) endpointServices() []endpointService {
	std := "com.amazonaws." + c.region + "."
	s3Interface := std + "s3"
	if c.partition.name == "aws-cn" {
		s3Interface = "cn." + s3Interface
	}
	return []endpointService{
		{key: "s3", typ: "Gateway", name: std + "s3"},
		{key: "dynamodb", typ: "Gateway", name: std + "dynamodb"},
		{key: "s3", typ: "Interface", name: s3Interface},
		{key: "dynamodb", typ: "Interface", name: std + "dynamodb", unknown: true},
		{key: "s3express", typ: "Gateway", name: std + "s3express", unknown: true},
	}
}

// gatewayService is the endpoint service name of a gateway service in the
// configured region, which is also the name of its AWS-managed prefix list.
// Source: Amazon VPC User Guide, "Gateway VPC endpoints": "an AWS prefix
// list name uses the form com.amazonaws.region.service. Use the AWS prefix
// list name (service name) to create an endpoint."
func (c *providerConfig) gatewayService(key string) string {
	for _, s := range c.endpointServices() {
		if s.key == key && s.typ == "Gateway" && !s.unknown {
			return s.name
		}
	}
	panic("standin: no gateway service " + key)
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

// unmodelledService says whether a service name (or filter value) may name
// an AWS service of the configured region that the stand-in does not model:
// <prefix>.<region>.<service> for a service other than those above. Such a
// question fails loudly rather than answering "does not exist".
func (c *providerConfig) unmodelledService(name string) bool {
	i := strings.Index(name, "."+c.region+".")
	if i < 0 {
		return false
	}
	svc := name[i+len(c.region)+2:]
	for _, s := range c.endpointServices() {
		if s.key == svc {
			return false
		}
	}
	return true
}

// prefixListID is the id of the AWS-managed prefix list of a gateway
// service, given its name (which names the region): pl- and 8 hex digits.
// Fixtures, getPrefixList and gateway endpoints all take it from here.
// Assumption: the ids are made up; AWS's differ per region, as these do.
func prefixListID(name string) string {
	sum := sha256.Sum256([]byte("prefix-list/" + name))
	return "pl-" + hex.EncodeToString(sum[:])[:8]
}

// prefixListCIDRs are the (made-up, stable) public ranges of a prefix list.
// Assumption: illustrative ranges, not AWS's.
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

// getPrefixList answers ec2.GetPrefixList from the gateway services of the
// region.
// Source: terraform-provider-aws internal/service/ec2/vpc_prefix_list_data_source.go,
// dataSourcePrefixListRead: name becomes a prefix-list-name filter,
// prefixListId the PrefixListIds of DescribePrefixLists, then the custom
// filters; errors through tfresource.SingularDataSourceFindError("EC2 Prefix
// List"). Source: EC2 API Reference, DescribePrefixLists: the filters are
// prefix-list-id and prefix-list-name; it lists the prefix lists of AWS
// services (the gateway services).
func getPrefixList(c *call, args resource.PropertyMap) (map[string]any, error) {
	const doing, op = "reading EC2 Prefix List", "EC2: DescribePrefixLists"
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
		ok, err := matchFilters(doing, op, fs, map[string]func() []string{
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

// getVpcEndpointService answers ec2.LookupVpcEndpointService from the
// endpoint services above.
//
// Source: terraform-provider-aws internal/service/ec2/vpc_endpoint_service_data_source.go,
// dataSourceVPCEndpointServiceRead: serviceType becomes a service-type
// filter; serviceName, or else "com.amazonaws.<region>.<service>" built
// from service (for every partition: the partition's reverse DNS prefix is
// not used), is the only ServiceNames entry; tags become tag:<key> filters,
// then the custom filters. A ServiceNames entry that does not exist makes
// EC2 answer InvalidServiceName, which findVPCEndpointServices turns into a
// NotFoundError: "reading EC2 VPC Endpoint Services: couldn't find resource"
// (as in terraform-aws-modules/terraform-aws-vpc#946). No detail: "no
// matching EC2 VPC Endpoint Service found"; more than one: "multiple EC2
// VPC Endpoint Services matched; use additional constraints to reduce
// matches to a single EC2 VPC Endpoint Service" (S3's gateway and interface
// services share a name outside China: hashicorp/terraform-provider-aws#17417).
// The id is strconv.Itoa(create.StringHashcode(serviceName)), the CRC-32 of
// the name. Source: EC2 API Reference, DescribeVpcEndpointServices, for the
// filters: owner, service-name, service-region, service-type,
// supported-ip-address-types, tag:<key>, tag-key.
//
// Assumption: the indexed provider source predates serviceRegions; the
// stand-in takes serviceRegions holding only the configured region as no
// constraint, and fails loudly on any other region (cross-region services
// are not modelled).
// Assumption: GovCloud answers with service details like the other
// partitions (the provider keeps a branch for GovCloud answers that held
// only ServiceNames).
func getVpcEndpointService(c *call, args resource.PropertyMap) (map[string]any, error) {
	const doing, op = "reading EC2 VPC Endpoint Services", "EC2: DescribeVpcEndpointServices"
	if has(args, "service") && has(args, "serviceName") {
		// Source: the schema's ConflictsWith between service and service_name.
		return nil, fmt.Errorf(`"service": conflicts with service_name`)
	}
	if t := str(args, "serviceType"); t != "" && t != "Gateway" && t != "Interface" && t != "GatewayLoadBalancer" {
		// Source: the schema's enum.Validate[awstypes.ServiceType]().
		return nil, fmt.Errorf("expected service_type to be one of %q, got %s",
			[]string{"Interface", "Gateway", "GatewayLoadBalancer"}, t)
	}
	for _, r := range strs(args, "serviceRegions") {
		if r != c.cfg.region {
			return nil, fmt.Errorf("the AWS stand-in does not model endpoint services of other regions (serviceRegions %q): add them to tests/standin before using them", r)
		}
	}
	name := str(args, "serviceName")
	if s := str(args, "service"); s != "" {
		name = "com.amazonaws." + c.cfg.region + "." + s
	}
	fs := filtersOf(args)
	if t := str(args, "serviceType"); t != "" {
		fs = append([]filter{{name: "service-type", values: []string{t}}}, fs...)
	}
	for k, v := range stringMap(args, "tags") {
		fs = append(fs, filter{name: "tag:" + k, values: []string{v}})
	}
	services := c.cfg.endpointServices()
	if name != "" {
		if c.cfg.unmodelledService(name) {
			return nil, fmt.Errorf("the AWS stand-in models only the endpoint services of S3 and DynamoDB, not %q: add it to tests/standin before using it", name)
		}
		var named []endpointService
		for _, s := range services {
			if s.name == name {
				named = append(named, s)
			}
		}
		if len(named) == 0 {
			return nil, fmt.Errorf("%s: couldn't find resource", doing)
		}
		services = named
	}
	for _, f := range fs {
		if f.name != "service-name" {
			continue
		}
		for _, v := range f.values {
			matched := false
			for _, s := range c.cfg.endpointServices() {
				matched = matched || globMatch(v, s.name)
			}
			if c.cfg.unmodelledService(v) || (!matched && strings.ContainsAny(v, "*?")) {
				return nil, fmt.Errorf("the AWS stand-in models only the endpoint services of S3 and DynamoDB; the service-name filter %q may name another: add it to tests/standin before using it", v)
			}
		}
	}
	var found, unknown []endpointService
	for _, s := range services {
		s := s
		ok, err := matchFilters(doing, op, fs, map[string]func() []string{
			"owner":                      func() []string { return []string{"amazon"} },
			"service-name":               func() []string { return []string{s.name} },
			"service-region":             func() []string { return []string{c.cfg.region} },
			"service-type":               func() []string { return []string{s.typ} },
			"supported-ip-address-types": func() []string { return []string{"ipv4"} },
			"tag-key":                    func() []string { return nil },
		}, nil)
		if err != nil {
			return nil, err
		}
		switch {
		case ok && s.unknown:
			unknown = append(unknown, s)
		case ok:
			found = append(found, s)
		}
	}
	if len(unknown) > 0 && len(found) < 2 {
		return nil, fmt.Errorf("the AWS stand-in does not know whether the %s service %s exists in %s, and the answer depends on it: add it to tests/standin",
			unknown[0].typ, unknown[0].name, c.cfg.region)
	}
	if len(found) != 1 {
		return nil, singular("EC2 VPC Endpoint Service", len(found))
	}
	s := found[0]
	id := serviceID(s)
	out := map[string]any{
		"id": strconv.Itoa(int(crc32.ChecksumIEEE([]byte(s.name)))), "serviceName": s.name, "serviceType": s.typ,
		"serviceId": id, "arn": c.cfg.regional("ec2", "vpc-endpoint-service/"+id), "owner": "amazon",
		"availabilityZones": c.zones(), "baseEndpointDnsNames": []string{baseEndpointDNSName(c.cfg, s)},
		"acceptanceRequired": false, "managesVpcEndpoints": false, "vpcEndpointPolicySupported": true,
		"privateDnsName": "", "privateDnsNames": []string{}, "supportedIpAddressTypes": []string{"ipv4"},
		"region": c.cfg.region, "tags": map[string]string{},
		"service": args["service"], "serviceRegions": args["serviceRegions"], "filters": args["filters"],
	}
	if s.typ == "Interface" {
		// Assumption: S3's interface service offers private DNS for
		// *.s3.<region>.<dns suffix>.
		dns := "*.s3." + c.cfg.region + "." + c.cfg.partition.dnsSuffix
		out["privateDnsName"], out["privateDnsNames"] = dns, []string{dns}
	}
	return out, nil
}

// serviceID is a stable vpce-svc- id for an AWS service.
// Assumption: made-up ids, one per service name and type.
func serviceID(s endpointService) string {
	sum := sha256.Sum256([]byte("vpce-svc/" + s.typ + "/" + s.name))
	return "vpce-svc-" + hex.EncodeToString(sum[:])[:17]
}

// baseEndpointDNSName is a service's base endpoint DNS name: the service's
// regional endpoint for a gateway service (s3.eu-central-1.amazonaws.com, as
// in terraform-aws-modules/terraform-aws-vpc#579), <service>.<region>.vpce.<dns
// suffix> for an interface service (as the interface services of
// weaveworks/eksctl's recorded answers).
// Assumption: the same forms in China, with the partition's DNS suffix.
func baseEndpointDNSName(cfg *providerConfig, s endpointService) string {
	if s.typ == "Gateway" {
		return s.key + "." + cfg.region + "." + cfg.partition.dnsSuffix
	}
	return s.key + "." + cfg.region + ".vpce." + cfg.partition.dnsSuffix
}
