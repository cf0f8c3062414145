package installer

import (
	"fmt"
	"sort"
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
	S3Service    string // S3's gateway endpoint service in the region
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
		SubnetZone: subnet.AvailabilityZone,
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
	if n.S3Service, err = lookupS3GatewayService(ctx, cfg, opts...); err != nil {
		return nil, err
	}
	if n.S3GatewayEndpoint, err = foreignS3Endpoint(ctx, cfg, n.S3Service, subnet.VpcId, rt.RouteTableId, opts...); err != nil {
		return nil, err
	}
	return n, nil
}

// lookupS3GatewayService asks EC2 for the name of S3's gateway endpoint
// service in the region rather than building it: the names of gateway and
// interface services differ by partition (in China most interface services
// are cn.com.amazonaws.<region>.<service>). The filter matches the one
// gateway service whose name ends in .s3 (EC2 filters take wildcards).
func lookupS3GatewayService(ctx *pulumi.Context, cfg *config.Config, opts ...pulumi.InvokeOption) (string, error) {
	svc, err := ec2.LookupVpcEndpointService(ctx, &ec2.LookupVpcEndpointServiceArgs{
		ServiceType: pulumi.StringRef("Gateway"),
		Filters:     []ec2.GetVpcEndpointServiceFilter{{Name: "service-name", Values: []string{"*.s3"}}},
	}, opts...)
	if err != nil {
		return "", fmt.Errorf("looking up S3's gateway endpoint service in %s: %w", cfg.AWSRegion, err)
	}
	return svc.ServiceName, nil
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
func foreignS3Endpoint(ctx *pulumi.Context, cfg *config.Config, service, vpcID, routeTableID string, opts ...pulumi.InvokeOption) (bool, error) {
	// A gateway service's prefix list has the service's name.
	s3, err := ec2.GetPrefixList(ctx, &ec2.GetPrefixListArgs{Name: pulumi.StringRef(service)}, opts...)
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
		ServiceName: pulumi.StringRef(service),
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

// lookupInstanceType reads what AWS says about an instance type.
func lookupInstanceType(ctx *pulumi.Context, key, name string, opts ...pulumi.InvokeOption) (preflight.InstanceType, error) {
	t, err := ec2.GetInstanceType(ctx, &ec2.GetInstanceTypeArgs{InstanceType: name}, opts...)
	if err != nil {
		return preflight.InstanceType{}, fmt.Errorf("%s %q: AWS does not know this instance type here: %w", key, name, err)
	}
	// GetInstanceType answers for the region; launches need the zone.
	offers, err := ec2.GetInstanceTypeOfferings(ctx, &ec2.GetInstanceTypeOfferingsArgs{
		LocationType: pulumi.StringRef("availability-zone"),
		Filters:      []ec2.GetInstanceTypeOfferingsFilter{{Name: "instance-type", Values: []string{name}}},
	}, opts...)
	if err != nil {
		return preflight.InstanceType{}, fmt.Errorf("%s %q: looking up the zones that offer it: %w", key, name, err)
	}
	zones := append([]string{}, offers.Locations...)
	sort.Strings(zones)
	return preflight.InstanceType{
		Name: name, VCPUs: t.DefaultVcpus, Cores: t.DefaultCores, MemoryMiB: t.MemorySize,
		SustainedClockGHz: t.SustainedClockSpeed, Architectures: t.SupportedArchitectures, Zones: zones,
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

// images are the AMIs each kind of machine boots; an empty Image for a
// machine that is left out.
type images struct {
	// services is services_ami, or else the region's Ubuntu. It may be the
	// services box's own backup (the guide's rollback snapshot), so it never
	// boots Nomad clients or builders.
	services components.Image
	// nomadClients is nomad_client_ami, or else the region's Ubuntu.
	nomadClients components.Image
	// builders is the region's Ubuntu (ubuntu_ami's entry, or the lookup).
	builders components.Image
}

// lookupImages looks up only the images the plan boots: the region's
// Ubuntu (ubuntu_ami's entry for the region, or else Canonical's newest
// 16.04 image) only for the machines that no AMI key covers.
func lookupImages(ctx *pulumi.Context, cfg *config.Config, opts ...pulumi.InvokeOption) (images, error) {
	var imgs images
	machines := []struct {
		used     bool
		key, ami string // the key that gives the machine its own image, and its value
		who      string
		img      *components.Image
	}{
		{true, config.KeyServicesAMI, cfg.ServicesAMI, config.KeyServicesAMI + " (the services box)", &imgs.services},
		{cfg.EnableNomad, config.KeyNomadClientAMI, cfg.NomadClientAMI, config.KeyNomadClientAMI + " (the Nomad clients)", &imgs.nomadClients},
		{cfg.DesiredBuildersCount > 0, "", "", "1.0 builders, which take no key of their own", &imgs.builders},
	}
	var onUbuntu []string // who boots the region's Ubuntu, for the error
	var ubuntu []*components.Image
	for _, m := range machines {
		switch {
		case !m.used:
		case m.ami != "":
			img, err := lookupImage(ctx, cfg, m.key, m.ami, opts...)
			if err != nil {
				return images{}, err
			}
			*m.img = img
		default:
			onUbuntu, ubuntu = append(onUbuntu, m.who), append(ubuntu, m.img)
		}
	}
	if len(ubuntu) > 0 {
		img, err := lookupUbuntu(ctx, cfg, onUbuntu, opts...)
		if err != nil {
			return images{}, err
		}
		for _, dst := range ubuntu {
			*dst = img
		}
	}
	return imgs, nil
}

// lookupUbuntu finds the region's Ubuntu: ubuntu_ami's entry, or else
// Canonical's image. Canonical stopped publishing 16.04 images in 2021, and
// regions opened since have none; there the error names the keys to set.
func lookupUbuntu(ctx *pulumi.Context, cfg *config.Config, onUbuntu []string, opts ...pulumi.InvokeOption) (components.Image, error) {
	if id := cfg.UbuntuAMI[cfg.AWSRegion]; id != "" {
		return lookupImage(ctx, cfg, config.KeyUbuntuAMI, id, opts...)
	}
	img, err := lookupImage(ctx, cfg, "", "", opts...)
	// The provider's data source says "Your query returned no results" (v5,
	// dataSourceAMIRead); its newer singular-lookup error says "no matching
	// EC2 AMI found". Either means none.
	if err != nil && (strings.Contains(err.Error(), "no results") || strings.Contains(err.Error(), "no matching")) {
		return components.Image{}, fmt.Errorf("no Ubuntu 16.04 image from Canonical in %s (owner %s): Canonical stopped publishing them in 2021, and regions opened since have none. "+
			"Set an AMI (an Ubuntu 16.04 image you copied into %s, or built) for: %s; or one for all of them with pulumi config set --path '%s.%s' <ami-id>",
			cfg.AWSRegion, cfg.Partition().CanonicalOwnerID, cfg.AWSRegion, strings.Join(onUbuntu, "; "), config.KeyUbuntuAMI, cfg.AWSRegion)
	}
	return img, err
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
		return components.Image{}, fmt.Errorf("looking up Canonical's Ubuntu 16.04 image in %s (owner %s): %w", cfg.AWSRegion, cfg.Partition().CanonicalOwnerID, err)
	}
	return components.Image{ID: ami.Id, RootDeviceName: ami.RootDeviceName}, nil
}

// lookupServicesBox reads the services instance by its Name tag in the
// installation's VPC; nil on a first install. Several instances with that
// name (a restore test launched "like this one", say) leave the comparison
// to the instance's protection, with a warning.
func lookupServicesBox(ctx *pulumi.Context, cfg *config.Config, name string, opts ...pulumi.InvokeOption) (*liveServicesBox, error) {
	found, err := ec2.GetInstances(ctx, &ec2.GetInstancesArgs{
		Filters: []ec2.GetInstancesFilter{
			{Name: "tag:Name", Values: []string{name}},
			{Name: "vpc-id", Values: []string{cfg.AWSVPCID}},
		},
		InstanceStateNames: []string{"pending", "running", "stopping", "stopped"},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("looking up the running services box (Name tag %q): %w", name, err)
	}
	switch len(found.Ids) {
	case 0:
		return nil, nil
	case 1:
	default:
		_ = ctx.Log.Warn(fmt.Sprintf("%d instances are named %q in %s (%s): the program cannot tell which is the services box, "+
			"so it does not compare them with this run; the services box's protection still refuses a replacement",
			len(found.Ids), name, cfg.AWSVPCID, strings.Join(found.Ids, ", ")), nil)
		return nil, nil
	}
	id := found.Ids[0]
	inst, err := ec2.LookupInstance(ctx, &ec2.LookupInstanceArgs{InstanceId: pulumi.StringRef(id)}, opts...)
	if err != nil {
		return nil, fmt.Errorf("looking up the running services box %s: %w", id, err)
	}
	return &liveServicesBox{ID: id, AMI: inst.Ami, SubnetID: inst.SubnetId, KeyName: inst.KeyName, InstanceType: inst.InstanceType}, nil
}
