package standin

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

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

func getPartition(c *call, _ resource.PropertyMap) (map[string]any, error) {
	rev := "com.amazonaws"
	if c.cfg.partition.name == "aws-cn" {
		rev = "cn.com.amazonaws"
	}
	p := c.cfg.partition
	return map[string]any{"id": p.name, "partition": p.name, "dnsSuffix": p.dnsSuffix, "reverseDnsPrefix": rev}, nil
}

var regionNames = map[string]string{
	"us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)", "us-west-2": "US West (Oregon)",
	"eu-west-1": "Europe (Ireland)", "eu-central-1": "Europe (Frankfurt)", "us-gov-west-1": "AWS GovCloud (US-West)",
	"us-gov-east-1": "AWS GovCloud (US-East)", "cn-north-1": "China (Beijing)", "cn-northwest-1": "China (Ningxia)",
}

func getRegion(c *call, args resource.PropertyMap) (map[string]any, error) {
	for _, k := range []string{"name", "id"} {
		if v := str(args, k); v != "" && v != c.cfg.region {
			return nil, fmt.Errorf("region %s not found", v)
		}
	}
	return map[string]any{
		"id": c.cfg.region, "name": c.cfg.region, "description": regionNames[c.cfg.region],
		"endpoint": "ec2." + c.cfg.region + "." + c.cfg.partition.dnsSuffix,
	}, nil
}

func getCallerIdentity(c *call, _ resource.PropertyMap) (map[string]any, error) {
	return map[string]any{
		"id": Account, "accountId": Account, "userId": "AIDASTANDINSTANDIN0001",
		"arn": c.cfg.arn("iam", "", Account, "user/standin"),
	}, nil
}

// --- filters -------------------------------------------------------------

type filter struct {
	name   string
	values []string
}

func filtersOf(args resource.PropertyMap) []filter {
	var out []filter
	for _, f := range objs(args, "filters") {
		out = append(out, filter{name: str(f, "name"), values: strs(f, "values")})
	}
	return out
}

// matches says whether v matches one of the filter values (EC2 filter
// values take * and ? wildcards).
func (f filter) matches(v string) bool {
	for _, want := range f.values {
		if globMatch(want, v) {
			return true
		}
	}
	return false
}

// matchFilters applies EC2 filters to an object's fields; an unsupported
// filter name is an error, as EC2 reports it.
func matchFilters(fs []filter, fields map[string]func() []string, tags map[string]string) (bool, error) {
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
			return false, awsErr("reading EC2 resources", "EC2: Describe", 400, "InvalidParameterValue",
				"The filter '%s' is invalid", f.name)
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

func azID(c *call, suffix string) string {
	parts := strings.Split(c.cfg.region, "-")
	short := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		short += p[:1]
	}
	return short + parts[len(parts)-1] + "-az" + fmt.Sprint(int(suffix[0]-'a')+1)
}

func getSubnet(c *call, args resource.PropertyMap) (map[string]any, error) {
	fs := filtersOf(args)
	var found []*subnetFixture
	for i := range c.s.fx.Subnets {
		s := &c.s.fx.Subnets[i]
		if (str(args, "id") != "" && s.ID != str(args, "id")) || (str(args, "vpcId") != "" && s.VPCID != str(args, "vpcId")) ||
			(str(args, "cidrBlock") != "" && s.CidrBlock != str(args, "cidrBlock")) ||
			(str(args, "availabilityZone") != "" && c.az(s) != str(args, "availabilityZone")) ||
			(has(args, "defaultForAz") && boolv(args, "defaultForAz") != s.DefaultForAz) {
			continue
		}
		ok, err := matchFilters(fs, map[string]func() []string{
			"subnet-id":         func() []string { return []string{s.ID} },
			"vpc-id":            func() []string { return []string{s.VPCID} },
			"cidr-block":        func() []string { return []string{s.CidrBlock} },
			"cidrBlock":         func() []string { return []string{s.CidrBlock} },
			"availability-zone": func() []string { return []string{c.az(s)} },
			"default-for-az":    func() []string { return []string{boolStr(s.DefaultForAz)} },
			"state":             func() []string { return []string{"available"} },
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

func getVpc(c *call, args resource.PropertyMap) (map[string]any, error) {
	fs := filtersOf(args)
	var found []*vpcFixture
	for i := range c.s.fx.VPCs {
		v := &c.s.fx.VPCs[i]
		if (str(args, "id") != "" && v.ID != str(args, "id")) || (str(args, "cidrBlock") != "" && v.CidrBlock != str(args, "cidrBlock")) ||
			(has(args, "default") && boolv(args, "default") != v.Default) {
			continue
		}
		ok, err := matchFilters(fs, map[string]func() []string{
			"vpc-id":     func() []string { return []string{v.ID} },
			"cidr":       func() []string { return []string{v.CidrBlock} },
			"cidr-block": func() []string { return []string{v.CidrBlock} },
			"is-default": func() []string { return []string{boolStr(v.Default)} },
			"state":      func() []string { return []string{"available"} },
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

func (c *call) routeTables(args resource.PropertyMap, withSubnetArg bool) ([]*routeTableFixture, error) {
	fs := filtersOf(args)
	var found []*routeTableFixture
	for i := range c.s.fx.RouteTables {
		rt := &c.s.fx.RouteTables[i]
		subnets := func() []string { return rt.SubnetIDs }
		routes := routesOf(c.cfg, c.st, rt)
		if (str(args, "vpcId") != "" && rt.VPCID != str(args, "vpcId")) ||
			(withSubnetArg && str(args, "routeTableId") != "" && rt.ID != str(args, "routeTableId")) ||
			(withSubnetArg && str(args, "subnetId") != "" && !contains(rt.SubnetIDs, str(args, "subnetId"))) ||
			(withSubnetArg && str(args, "gatewayId") != "") {
			continue
		}
		ok, err := matchFilters(fs, map[string]func() []string{
			"route-table-id":        func() []string { return []string{rt.ID} },
			"vpc-id":                func() []string { return []string{rt.VPCID} },
			"association.subnet-id": subnets,
			"association.main":      func() []string { return []string{boolStr(rt.Main)} },
			// EC2 filters on the routes it holds, gateway endpoint routes
			// included (their target is the gateway id vpce-...).
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

func getRouteTable(c *call, args resource.PropertyMap) (map[string]any, error) {
	found, err := c.routeTables(args, true)
	if err != nil {
		return nil, err
	}
	if len(found) != 1 {
		return nil, singular("EC2 Route Table", len(found))
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
	// The provider's routes leave out the local route and the routes of
	// gateway VPC endpoints, as aws_route_table's data source does.
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

func getRouteTables(c *call, args resource.PropertyMap) (map[string]any, error) {
	found, err := c.routeTables(args, false)
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
		if ci.Partition == c.cfg.partition.name {
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

func getAmi(c *call, args resource.PropertyMap) (map[string]any, error) {
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
		ok, err := matchFilters(filtersOf(args), map[string]func() []string{
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

// getKeyPair answers ec2.LookupKeyPair by name, as DescribeKeyPairs does.
func getKeyPair(c *call, args resource.PropertyMap) (map[string]any, error) {
	name := str(args, "keyName")
	if name == "" || !c.s.keyPairExists(name) {
		return nil, awsErr("reading EC2 Key Pair", "EC2: DescribeKeyPairs", 400, "InvalidKeyPair.NotFound",
			"The key pair '%s' does not exist", name)
	}
	sum := sha256.Sum256([]byte("key-pair/" + name))
	id := fmt.Sprintf("key-%x", sum[:])[:21]
	return map[string]any{
		"id": id, "keyPairId": id, "keyName": name, "keyType": "rsa",
		"arn": c.cfg.regional("ec2", "key-pair/"+name), "fingerprint": fmt.Sprintf("%x", sum[:20]),
	}, nil
}
