package installer

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/components"
	"github.com/circleci-server-pulumi/installer/config"
	"github.com/circleci-server-pulumi/installer/preflight"
)

// Lookups: what the program reads from AWS before it creates anything.

// network is what the lookups found out about the subnet and its VPC.
type network struct {
	// S3GatewayEndpoint (in preflight.Network) is an S3 endpoint that this
	// installation did not create: one tagged with its prefix is its own.
	preflight.Network
	RouteTableID string
}

// lookupNetwork reads the subnet, its VPC, its route table and whether S3
// already has a gateway endpoint there.
func lookupNetwork(ctx *pulumi.Context, cfg *config.Config, opts ...pulumi.InvokeOption) (*network, error) {
	subnet, err := ec2.LookupSubnet(ctx, &ec2.LookupSubnetArgs{Id: pulumi.StringRef(cfg.AWSSubnetID)}, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s %q: looking up the subnet: %w", config.KeyAWSSubnetID, cfg.AWSSubnetID, err)
	}
	n := &network{Network: preflight.Network{
		VPCID: cfg.AWSVPCID, SubnetID: cfg.AWSSubnetID, SubnetVPCID: subnet.VpcId, SubnetCIDR: subnet.CidrBlock,
	}}
	vpc, err := ec2.LookupVpc(ctx, &ec2.LookupVpcArgs{Id: pulumi.StringRef(cfg.AWSVPCID)}, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s %q: looking up the VPC: %w", config.KeyAWSVPCID, cfg.AWSVPCID, err)
	}
	n.VPCCIDR, n.DNSSupport = vpc.CidrBlock, vpc.EnableDnsSupport

	rt, err := lookupRouteTable(ctx, cfg, subnet.VpcId, opts...)
	if err != nil {
		return nil, err
	}
	n.RouteTableID = rt.RouteTableId
	for _, r := range rt.Routes {
		switch {
		case r.CidrBlock == "0.0.0.0/0" && strings.HasPrefix(r.GatewayId, "igw-"):
			n.RouteToInternetGateway = true
		case r.CidrBlock == "0.0.0.0/0" && (r.NatGatewayId != "" || r.InstanceId != "" || r.NetworkInterfaceId != "" || r.TransitGatewayId != ""):
			// A NAT gateway, a NAT instance, or egress through a transit gateway.
			n.RouteToNAT = true
		}
	}
	if n.S3GatewayEndpoint, err = foreignS3Endpoint(ctx, cfg, subnet.VpcId, rt.RouteTableId, opts...); err != nil {
		return nil, err
	}
	return n, nil
}

// lookupRouteTable finds the subnet's route table: its own, or the VPC's
// main one when the subnet has no explicit association.
func lookupRouteTable(ctx *pulumi.Context, cfg *config.Config, vpcID string, opts ...pulumi.InvokeOption) (*ec2.LookupRouteTableResult, error) {
	rt, err := ec2.LookupRouteTable(ctx, &ec2.LookupRouteTableArgs{SubnetId: pulumi.StringRef(cfg.AWSSubnetID)}, opts...)
	if err == nil {
		return rt, nil
	}
	rt, err = ec2.LookupRouteTable(ctx, &ec2.LookupRouteTableArgs{
		VpcId:   pulumi.StringRef(vpcID),
		Filters: []ec2.GetRouteTableFilter{{Name: "association.main", Values: []string{"true"}}},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s %q: no route table is associated with it, nor a main one with its VPC: %w", config.KeyAWSSubnetID, cfg.AWSSubnetID, err)
	}
	return rt, nil
}

// foreignS3Endpoint says whether the route table routes S3 through a
// gateway endpoint that this installation did not create. Ours (from an
// earlier `up` with create_s3_gateway_endpoint, tagged with the prefix)
// keeps being managed; anyone else's is the endpoint the guide asks for.
func foreignS3Endpoint(ctx *pulumi.Context, cfg *config.Config, vpcID, routeTableID string, opts ...pulumi.InvokeOption) (bool, error) {
	s3, err := ec2.GetPrefixList(ctx, &ec2.GetPrefixListArgs{Name: pulumi.StringRef(s3ServiceName(cfg))}, opts...)
	if err != nil {
		return false, fmt.Errorf("looking up the S3 prefix list of %s: %w", cfg.AWSRegion, err)
	}
	// The route table data source leaves gateway endpoint routes out; EC2's
	// route filters still see them.
	withS3, err := ec2.GetRouteTables(ctx, &ec2.GetRouteTablesArgs{
		VpcId: pulumi.StringRef(vpcID),
		Filters: []ec2.GetRouteTablesFilter{
			{Name: "route-table-id", Values: []string{routeTableID}},
			{Name: "route.destination-prefix-list-id", Values: []string{s3.Id}},
		},
	}, opts...)
	if err != nil {
		return false, fmt.Errorf("looking for an S3 gateway endpoint on %s: %w", routeTableID, err)
	}
	if len(withS3.Ids) == 0 {
		return false, nil
	}
	_, err = ec2.LookupVpcEndpoint(ctx, &ec2.LookupVpcEndpointArgs{
		VpcId:       pulumi.StringRef(vpcID),
		ServiceName: pulumi.StringRef(s3ServiceName(cfg)),
		Filters:     []ec2.GetVpcEndpointFilter{{Name: "tag:" + config.PrefixTag, Values: []string{cfg.Prefix}}},
	}, opts...)
	switch {
	case err == nil:
		return false, nil // ours
	case strings.Contains(err.Error(), "no matching"):
		return true, nil
	}
	return false, fmt.Errorf("looking up the S3 gateway endpoint of %s: %w", vpcID, err)
}

// s3ServiceName is S3's endpoint service in the region.
func s3ServiceName(cfg *config.Config) string {
	if cfg.Partition() == config.China {
		return "cn.com.amazonaws." + cfg.AWSRegion + ".s3"
	}
	return "com.amazonaws." + cfg.AWSRegion + ".s3"
}

// lookupInstanceType reads what AWS says about an instance type.
func lookupInstanceType(ctx *pulumi.Context, key, name string, opts ...pulumi.InvokeOption) (preflight.InstanceType, error) {
	t, err := ec2.GetInstanceType(ctx, &ec2.GetInstanceTypeArgs{InstanceType: name}, opts...)
	if err != nil {
		return preflight.InstanceType{}, fmt.Errorf("%s %q: AWS does not know this instance type here: %w", key, name, err)
	}
	return preflight.InstanceType{
		Name: name, VCPUs: t.DefaultVcpus, Cores: t.DefaultCores, MemoryMiB: t.MemorySize,
		SustainedClockGHz: t.SustainedClockSpeed, Architectures: t.SupportedArchitectures,
	}, nil
}

// lookupKeyPair asks whether the region has the key pair. Only "no such
// key pair" is an answer; any other failure (permissions, throttling) is
// reported as it is.
func lookupKeyPair(ctx *pulumi.Context, name string, opts ...pulumi.InvokeOption) (preflight.KeyPair, error) {
	_, err := ec2.LookupKeyPair(ctx, &ec2.LookupKeyPairArgs{KeyName: pulumi.StringRef(name)}, opts...)
	switch {
	case err == nil:
		return preflight.KeyPair{Name: name, Found: true}, nil
	case strings.Contains(err.Error(), "InvalidKeyPair.NotFound") || strings.Contains(err.Error(), "no matching"):
		return preflight.KeyPair{Name: name}, nil
	}
	return preflight.KeyPair{}, fmt.Errorf("%s %q: looking up the key pair: %w", config.KeyAWSSSHKeyName, name, err)
}

// Ubuntu 16.04 images, as the 2.19 install guide's boot scripts expect.
const ubuntuImageName = "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"

// images are the AMIs each kind of machine boots.
type images struct {
	// ubuntu is the stock image of the region (ubuntu_ami's entry, or the
	// lookup); 1.0 builders boot it.
	ubuntu components.Image
	// services is services_ami, or else ubuntu. It may be the services
	// box's own backup (the guide's rollback snapshot), so it never boots
	// Nomad clients or builders.
	services components.Image
	// nomadClients is nomad_client_ami, or else ubuntu.
	nomadClients components.Image
}

func lookupImages(ctx *pulumi.Context, cfg *config.Config, opts ...pulumi.InvokeOption) (images, error) {
	ubuntu, err := lookupImage(ctx, cfg, config.KeyUbuntuAMI, cfg.UbuntuAMI[cfg.AWSRegion], opts...)
	if err != nil {
		return images{}, err
	}
	imgs := images{ubuntu: ubuntu, services: ubuntu, nomadClients: ubuntu}
	if cfg.ServicesAMI != "" {
		if imgs.services, err = lookupImage(ctx, cfg, config.KeyServicesAMI, cfg.ServicesAMI, opts...); err != nil {
			return images{}, err
		}
	}
	if cfg.NomadClientAMI != "" {
		if imgs.nomadClients, err = lookupImage(ctx, cfg, config.KeyNomadClientAMI, cfg.NomadClientAMI, opts...); err != nil {
			return images{}, err
		}
	}
	return imgs, nil
}

// lookupImage resolves an AMI: the one configured, or else the newest
// Canonical Ubuntu 16.04 image of the region (deprecated images included:
// 16.04 is past its standard support). The root device name comes with it,
// so that launch templates size the right volume.
func lookupImage(ctx *pulumi.Context, cfg *config.Config, key, id string, opts ...pulumi.InvokeOption) (components.Image, error) {
	args := &ec2.LookupAmiArgs{IncludeDeprecated: pulumi.BoolRef(true), MostRecent: pulumi.BoolRef(true)}
	if id != "" {
		args.Filters = []ec2.GetAmiFilter{{Name: "image-id", Values: []string{id}}}
	} else {
		args.Owners = []string{cfg.Partition().CanonicalOwnerID}
		args.Filters = []ec2.GetAmiFilter{
			{Name: "name", Values: []string{ubuntuImageName}},
			{Name: "architecture", Values: []string{"x86_64"}},
			{Name: "virtualization-type", Values: []string{"hvm"}},
		}
	}
	ami, err := ec2.LookupAmi(ctx, args, opts...)
	if err != nil {
		if id != "" {
			return components.Image{}, fmt.Errorf("%s %q: no such image in %s: %w", key, id, cfg.AWSRegion, err)
		}
		return components.Image{}, fmt.Errorf("no Canonical Ubuntu 16.04 image found in %s (owner %s); set %s: %w", cfg.AWSRegion, cfg.Partition().CanonicalOwnerID, config.KeyServicesAMI, err)
	}
	return components.Image{ID: ami.Id, RootDeviceName: ami.RootDeviceName}, nil
}
