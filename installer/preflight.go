package installer

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
	"github.com/circleci-server-pulumi/installer/preflight"
)

// network is what the lookups found out about the subnet and its VPC.
type network struct {
	preflight.Network    // S3GatewayEndpoint: one this installation did not create
	RouteTableID         string
	OwnS3GatewayEndpoint bool // created by this installation (tagged with its prefix)
}

// lookupNetwork reads the subnet's VPC and route table (the subnet's own,
// or the VPC's main one when the subnet has no explicit association).
func lookupNetwork(ctx *pulumi.Context, cfg *config.Config, subnet *ec2.LookupSubnetResult, opts ...pulumi.InvokeOption) (*network, error) {
	n := &network{Network: preflight.Network{
		VPCID: cfg.AWSVpcID, SubnetID: cfg.AWSSubnetID, SubnetVPCID: subnet.VpcId, SubnetCIDR: subnet.CidrBlock,
	}}
	vpc, err := ec2.LookupVpc(ctx, &ec2.LookupVpcArgs{Id: pulumi.StringRef(cfg.AWSVpcID)}, opts...)
	if err != nil {
		return nil, fmt.Errorf("aws_vpc_id %q: looking up the VPC: %w", cfg.AWSVpcID, err)
	}
	n.VPCCIDR, n.DNSSupport = vpc.CidrBlock, vpc.EnableDnsSupport

	rt, err := ec2.LookupRouteTable(ctx, &ec2.LookupRouteTableArgs{SubnetId: pulumi.StringRef(cfg.AWSSubnetID)}, opts...)
	if err != nil {
		rt, err = ec2.LookupRouteTable(ctx, &ec2.LookupRouteTableArgs{
			VpcId:   pulumi.StringRef(subnet.VpcId),
			Filters: []ec2.GetRouteTableFilter{{Name: "association.main", Values: []string{"true"}}},
		}, opts...)
		if err != nil {
			return nil, fmt.Errorf("aws_subnet_id %q: no route table is associated with it, nor a main one with its VPC: %w", cfg.AWSSubnetID, err)
		}
	}
	n.RouteTableID = rt.RouteTableId
	s3, err := ec2.GetPrefixList(ctx, &ec2.GetPrefixListArgs{Name: pulumi.StringRef(s3ServiceName(cfg))}, opts...)
	if err != nil {
		return nil, fmt.Errorf("looking up the S3 prefix list of %s: %w", cfg.AWSRegion, err)
	}
	for _, r := range rt.Routes {
		switch {
		case r.CidrBlock == "0.0.0.0/0" && strings.HasPrefix(r.GatewayId, "igw-"):
			n.RouteToInternetGateway = true
		case r.CidrBlock == "0.0.0.0/0" && (r.NatGatewayId != "" || r.InstanceId != "" || r.NetworkInterfaceId != "" || r.TransitGatewayId != ""):
			// A NAT gateway, a NAT instance, or egress through a transit gateway.
			n.RouteToNAT = true
		}
	}
	// The route table data source leaves gateway endpoint routes out; EC2's
	// route filters still see them.
	withS3, err := ec2.GetRouteTables(ctx, &ec2.GetRouteTablesArgs{
		VpcId: pulumi.StringRef(subnet.VpcId),
		Filters: []ec2.GetRouteTablesFilter{
			{Name: "route-table-id", Values: []string{rt.RouteTableId}},
			{Name: "route.destination-prefix-list-id", Values: []string{s3.Id}},
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("looking for an S3 gateway endpoint on %s: %w", rt.RouteTableId, err)
	}
	if len(withS3.Ids) > 0 {
		// Ours (from an earlier `up` with create_s3_gateway_endpoint) keeps
		// being managed; anyone else's is the endpoint the guide asks for.
		_, err := ec2.LookupVpcEndpoint(ctx, &ec2.LookupVpcEndpointArgs{
			VpcId:       pulumi.StringRef(subnet.VpcId),
			ServiceName: pulumi.StringRef(s3ServiceName(cfg)),
			Filters:     []ec2.GetVpcEndpointFilter{{Name: "tag:" + config.PrefixTag, Values: []string{cfg.Prefix}}},
		}, opts...)
		switch {
		case err == nil:
			n.OwnS3GatewayEndpoint = true
		case strings.Contains(err.Error(), "no matching"):
			n.S3GatewayEndpoint = true
		default:
			return nil, fmt.Errorf("looking up the S3 gateway endpoint of %s: %w", subnet.VpcId, err)
		}
	}
	return n, nil
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
	return preflight.KeyPair{}, fmt.Errorf("aws_ssh_key_name %q: looking up the key pair: %w", name, err)
}

// runPreflight checks the plan against the install guide's requirements
// before anything is created. It reports every check once per preview and
// every warning on each run; failures stop the program unless the stack
// says preflight: warn.
func runPreflight(ctx *pulumi.Context, cfg *config.Config, net *network, opts ...pulumi.InvokeOption) (preflight.Result, error) {
	in := preflight.Input{
		NomadEnabled:            cfg.EnableNomad,
		BuildersEnabled:         cfg.DesiredBuildersCount > 0,
		DailyActiveUsers:        cfg.DailyActiveUsers,
		NomadClients:            cfg.DesiredClientsCount,
		MaxNomadClients:         cfg.MaxClientsCount,
		NomadJobMemoryMiB:       cfg.NomadJobMemoryMiB,
		ServicesPublicIP:        cfg.ServicesPublicIP,
		CreateS3GatewayEndpoint: cfg.CreateS3GatewayEndpoint,
		Network:                 net.Network,
		WarnOnly:                cfg.PreflightWarnOnly,
	}
	var err error
	if in.KeyPair, err = lookupKeyPair(ctx, cfg.AWSSSHKeyName, opts...); err != nil {
		return preflight.Result{}, err
	}
	if in.Services, err = lookupInstanceType(ctx, "services_instance_type", cfg.ServicesInstanceType, opts...); err != nil {
		return preflight.Result{}, err
	}
	if in.NomadEnabled {
		if in.NomadClient, err = lookupInstanceType(ctx, "nomad_client_instance_type", cfg.NomadClientInstanceType, opts...); err != nil {
			return preflight.Result{}, err
		}
	}
	if in.BuildersEnabled {
		if in.Builder, err = lookupInstanceType(ctx, "builder_instance_type", cfg.BuilderInstanceType, opts...); err != nil {
			return preflight.Result{}, err
		}
	}
	result := preflight.Run(in)
	if ctx.DryRun() {
		_ = ctx.Log.Info(result.Summary(), nil)
	}
	for _, w := range result.Warnings() {
		_ = ctx.Log.Warn(w.String(), nil)
	}
	return result, result.Err()
}
