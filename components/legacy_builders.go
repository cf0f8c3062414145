package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
)

// LegacyBuildersArgs configures the CircleCI 1.0 builders.
type LegacyBuildersArgs struct {
	// Fleet.SecurityGroupIDs are SecurityGroups.Machines.Builders: which groups
	// is Attachments.Builders, next to their rules in security_groups.go.
	Fleet
	HookName            string
	InstanceProfile     pulumi.StringInput
	SpotPrice           string
	Proxy               config.Proxy
	Region              string
	PassphraseParameter pulumi.StringInput
	ServicesPrivateIP   pulumi.StringInput
	// The shutdown queue and the role Auto Scaling posts to it with.
	QueueARN     pulumi.StringInput
	QueueRoleARN pulumi.StringInput
}

// LegacyBuilders is the auto scaling group of CircleCI 1.0 builders. A
// lifecycle hook holds a terminating builder and tells the services box
// through the shutdown queue, so that it can finish its builds first.
type LegacyBuilders struct {
	pulumi.ResourceState

	GroupName pulumi.StringOutput
}

// NewLegacyBuilders creates the launch template, the group and the hook.
func NewLegacyBuilders(ctx *pulumi.Context, name string, args LegacyBuildersArgs, opts ...pulumi.ResourceOption) (*LegacyBuilders, error) {
	c := &LegacyBuilders{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:LegacyBuilders", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	script := pulumi.All(args.ServicesPrivateIP, args.PassphraseParameter).ApplyT(func(v []any) (string, error) {
		return BuilderScript{
			Proxy:               args.Proxy.Bypassing(v[0].(string)),
			Region:              args.Region,
			ServicesPrivateIP:   v[0].(string),
			PassphraseParameter: v[1].(string),
		}.Render()
	}).(pulumi.StringOutput)

	_, group, err := newFleet(ctx, name, fleetArgs{
		Fleet:           args.Fleet,
		InstanceProfile: args.InstanceProfile,
		HopLimit:        hopsForHostOnly,
		UserData:        script,
		SpotPrice:       args.SpotPrice,
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := autoscaling.NewLifecycleHook(ctx, name+"-shutdown-hook", &autoscaling.LifecycleHookArgs{
		Name:                  pulumi.String(args.HookName),
		AutoscalingGroupName:  group.Name,
		LifecycleTransition:   pulumi.String("autoscaling:EC2_INSTANCE_TERMINATING"),
		HeartbeatTimeout:      pulumi.Int(3600),
		DefaultResult:         pulumi.String("CONTINUE"),
		NotificationTargetArn: args.QueueARN,
		RoleArn:               args.QueueRoleARN,
	}, parent); err != nil {
		return nil, err
	}

	c.GroupName = group.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"groupName": c.GroupName})
}
