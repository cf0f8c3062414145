package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DNSArgs configures the services box's DNS record.
type DNSArgs struct {
	ZoneID  string
	Name    string
	Address pulumi.StringInput // the services box's Elastic IP, or its private IP
}

// DNS is the Route53 A record that names the services box.
type DNS struct {
	pulumi.ResourceState

	FQDN pulumi.StringOutput
}

// NewDNS creates the record.
func NewDNS(ctx *pulumi.Context, name string, args DNSArgs, opts ...pulumi.ResourceOption) (*DNS, error) {
	c := &DNS{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:DNS", name, c, opts...); err != nil {
		return nil, err
	}
	record, err := route53.NewRecord(ctx, name+"-record", &route53.RecordArgs{
		ZoneId:  pulumi.String(args.ZoneID),
		Name:    pulumi.String(args.Name),
		Type:    pulumi.String("A"),
		Ttl:     pulumi.Int(300),
		Records: pulumi.StringArray{args.Address},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	c.FQDN = record.Fqdn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"fqdn": c.FQDN})
}
