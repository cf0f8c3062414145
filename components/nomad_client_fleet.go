package components

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
)

// NomadClientFleetArgs configures the Nomad clients that run 2.0 jobs.
type NomadClientFleetArgs struct {
	// Fleet.SecurityGroupIDs are SecurityGroups.Machines.NomadClients: which groups
	// is Attachments.NomadClients, next to their rules in security_groups.go.
	Fleet
	MinHealthyPercent int
	Proxy             config.Proxy
	DockerVersion     string
	NomadVersion      string
	// ServicesPrivateIP is the Nomad server's address: the services box's
	// network interface, which outlives the instance.
	ServicesPrivateIP pulumi.StringInput
}

// NomadClientFleet is an auto scaling group of Nomad clients. A changed
// boot script (Nomad or Docker version, proxy, services address) or AMI
// makes a new launch template version, and the group replaces its
// instances by itself with a rolling instance refresh: `pulumi up` does
// what the guide's "Nomad Client Launch Configuration Update" did by hand.
type NomadClientFleet struct {
	pulumi.ResourceState

	GroupName             pulumi.StringOutput
	LaunchTemplateID      pulumi.StringOutput
	LaunchTemplateVersion pulumi.IntOutput
}

// NewNomadClientFleet creates the launch template and the group.
func NewNomadClientFleet(ctx *pulumi.Context, name string, args NomadClientFleetArgs, opts ...pulumi.ResourceOption) (*NomadClientFleet, error) {
	c := &NomadClientFleet{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:NomadClientFleet", name, c, opts...); err != nil {
		return nil, err
	}
	script := args.ServicesPrivateIP.ToStringOutput().ApplyT(func(ip string) (string, error) {
		return NomadClientScript{
			Proxy:             args.Proxy.Bypassing(ip),
			DockerVersion:     args.DockerVersion,
			NomadVersion:      args.NomadVersion,
			ServicesPrivateIP: ip,
		}.Render()
	}).(pulumi.StringOutput)

	// Nomad clients get no instance role: jobs run on them.
	lt, group, err := newFleet(ctx, name, fleetArgs{
		Fleet:             args.Fleet,
		HopLimit:          hopsForHostOnly,
		UserData:          script,
		RollingMinHealthy: &args.MinHealthyPercent,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}

	c.GroupName = group.Name
	c.LaunchTemplateID = lt.ID().ToStringOutput()
	c.LaunchTemplateVersion = lt.LatestVersion
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"groupName":             c.GroupName,
		"launchTemplateId":      c.LaunchTemplateID,
		"launchTemplateVersion": c.LaunchTemplateVersion,
	})
}
