package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// S3EndpointArgs configures the S3 gateway endpoint.
type S3EndpointArgs struct {
	VPCID        string
	ServiceName  string // S3's gateway service, as EC2 names it (installer: lookupS3GatewayService)
	RouteTableID string // the installation subnet's route table
}

// S3Endpoint is the gateway VPC endpoint for S3 that the guide asks for in
// private subnets: artifact and cache traffic reaches S3 without the NAT.
type S3Endpoint struct {
	pulumi.ResourceState

	EndpointID pulumi.StringOutput
}

// NewS3Endpoint creates the endpoint on the subnet's route table.
func NewS3Endpoint(ctx *pulumi.Context, name string, args S3EndpointArgs, opts ...pulumi.ResourceOption) (*S3Endpoint, error) {
	c := &S3Endpoint{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:S3Endpoint", name, c, opts...); err != nil {
		return nil, err
	}
	ep, err := ec2.NewVpcEndpoint(ctx, name+"-gateway", &ec2.VpcEndpointArgs{
		VpcId:           pulumi.String(args.VPCID),
		ServiceName:     pulumi.String(args.ServiceName),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   pulumi.StringArray{pulumi.String(args.RouteTableID)},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	c.EndpointID = ep.ID().ToStringOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"endpointId": c.EndpointID})
}
