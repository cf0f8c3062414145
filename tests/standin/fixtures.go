package standin

import (
	"embed"
	"encoding/json"
	"fmt"
	"net"
	"strings"
)

//go:embed fixtures/*.json
var fixtureFS embed.FS

type vpcFixture struct {
	ID                 string            `json:"id"`
	CidrBlock          string            `json:"cidrBlock"`
	EnableDNSSupport   bool              `json:"enableDnsSupport"`
	EnableDNSHostnames bool              `json:"enableDnsHostnames"`
	Default            bool              `json:"default"`
	MainRouteTableID   string            `json:"mainRouteTableId"`
	DhcpOptionsID      string            `json:"dhcpOptionsId"`
	Tags               map[string]string `json:"tags"`
}

type subnetFixture struct {
	ID                  string            `json:"id"`
	VPCID               string            `json:"vpcId"`
	CidrBlock           string            `json:"cidrBlock"`
	AZSuffix            string            `json:"azSuffix"`
	MapPublicIPOnLaunch bool              `json:"mapPublicIpOnLaunch"`
	DefaultForAz        bool              `json:"defaultForAz"`
	Tags                map[string]string `json:"tags"`
	cidr                *net.IPNet
}

type routeTableFixture struct {
	ID        string              `json:"id"`
	VPCID     string              `json:"vpcId"`
	Main      bool                `json:"main"`
	SubnetIDs []string            `json:"subnetIds"`
	Routes    []map[string]string `json:"routes"`
}

type imageFixtures struct {
	Canonical []struct {
		Partition string `json:"partition"`
		OwnerID   string `json:"ownerId"`
		ImageID   string `json:"imageId"`
	} `json:"canonical"`
	Ubuntu  map[string]any `json:"ubuntu"`
	Generic map[string]any `json:"generic"`
	// NoUbuntu1604 are the regions opened after Canonical's last 16.04
	// image: getAmi finds no Canonical 16.04 image there.
	NoUbuntu1604 []struct {
		Region string `json:"region"`
		Name   string `json:"name"`
		Opened string `json:"opened"`
		Source string `json:"source"`
	} `json:"regionsWithoutUbuntu1604"`
}

// offeringFixtures say which zones (by suffix) offer each instance type,
// in every region (fixtures/offerings.json).
type offeringFixtures struct {
	Zones []string            `json:"zones"`
	Types map[string][]string `json:"types"`
}

type fixtureSet struct {
	VPCs          []vpcFixture        `json:"vpcs"`
	Subnets       []subnetFixture     `json:"subnets"`
	RouteTables   []routeTableFixture `json:"routeTables"`
	Images        imageFixtures
	InstanceTypes []map[string]any `json:"instanceTypes"`
	Offerings     offeringFixtures `json:"instanceTypeOfferings"`
	KeyPairs      []string         `json:"keyPairs"`
	HostedZones   []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"hostedZones"`
}

func loadFixtures() (*fixtureSet, error) {
	fx := &fixtureSet{}
	for file, into := range map[string]any{
		"network.json": fx, "instance_types.json": fx, "account.json": fx, "images.json": &fx.Images, "offerings.json": fx,
	} {
		b, err := fixtureFS.ReadFile("fixtures/" + file)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, into); err != nil {
			return nil, fmt.Errorf("standin fixture %s: %w", file, err)
		}
	}
	for i := range fx.Subnets {
		_, n, err := net.ParseCIDR(fx.Subnets[i].CidrBlock)
		if err != nil {
			return nil, fmt.Errorf("standin fixture subnet %s: %w", fx.Subnets[i].ID, err)
		}
		fx.Subnets[i].cidr = n
	}
	for _, rt := range fx.RouteTables {
		for _, r := range rt.Routes {
			for k, v := range r {
				if strings.HasPrefix(v, "{") && !contains(gatewayServiceKeys, strings.Trim(v, "{}")) {
					return nil, fmt.Errorf("standin fixture route table %s: %s %s names no gateway service (one of %v)",
						rt.ID, k, v, gatewayServiceKeys)
				}
			}
		}
	}
	if err := fx.checkOfferings(); err != nil {
		return nil, err
	}
	if err := fx.checkImages(); err != nil {
		return nil, err
	}
	return fx, nil
}

func (fx *fixtureSet) subnet(id string) *subnetFixture {
	for i := range fx.Subnets {
		if fx.Subnets[i].ID == id {
			return &fx.Subnets[i]
		}
	}
	return nil
}

func (fx *fixtureSet) vpc(id string) *vpcFixture {
	for i := range fx.VPCs {
		if fx.VPCs[i].ID == id {
			return &fx.VPCs[i]
		}
	}
	return nil
}

func (fx *fixtureSet) routeTable(id string) *routeTableFixture {
	for i := range fx.RouteTables {
		if fx.RouteTables[i].ID == id {
			return &fx.RouteTables[i]
		}
	}
	return nil
}

func (fx *fixtureSet) instanceType(name string) map[string]any {
	for _, t := range fx.InstanceTypes {
		if t["instanceType"] == name {
			return t
		}
	}
	return nil
}

func (s *Server) keyPairExists(name string) bool {
	for _, k := range append(append([]string(nil), s.fx.KeyPairs...), s.opts.KeyPairs...) {
		if k == name {
			return true
		}
	}
	return false
}

func (fx *fixtureSet) hostedZone(id string) string {
	for _, z := range fx.HostedZones {
		if z.ID == id {
			return z.Name
		}
	}
	return ""
}
