package standin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

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
