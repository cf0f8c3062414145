package components

import (
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dlm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
)

// ServicesSnapshotsArgs configures the scheduled snapshots of the services box.
type ServicesSnapshotsArgs struct {
	Partition  config.Partition
	Prefix     string
	RoleName   string
	PolicyName string
	// TargetTag is the tag (key and value) the services instance carries and
	// the policy looks for: the policy finds the box by it, so it keeps
	// working across a replaced instance and never needs its id.
	TargetTagKey, TargetTagValue string
	IntervalHours                int
	Time                         string // HH:MM, UTC
	RetainCount                  int
	// Tags are added to every snapshot: DLM makes them, so the provider's
	// default tags never reach them.
	Tags map[string]string
}

// ServicesSnapshots is a Data Lifecycle Manager policy that snapshots every
// EBS volume of the services box on a schedule and keeps the newest ones,
// with the role DLM acts as. The snapshots are crash-consistent: taken
// while the datastores run, as CircleCI's backup documentation describes
// for EBS ("Backing up the Database"), not after stopping the application.
type ServicesSnapshots struct {
	pulumi.ResourceState

	PolicyID pulumi.StringOutput
}

// SnapshotRolePolicy is what Data Lifecycle Manager needs to take, tag and
// delete the snapshots of an instance policy: the EBS snapshot part of the
// AWS managed policy AWSDataLifecycleManagerServiceRole, without fast
// snapshot restore, copies, archiving and the EventBridge rules, which this
// policy does not use.
func SnapshotRolePolicy(p config.Partition) PolicyDocument {
	return PolicyDocument{Version: policyVersion, Statement: []Statement{
		Allow("TakeAndExpireSnapshots", []string{
			"ec2:CreateSnapshot", "ec2:CreateSnapshots", "ec2:DeleteSnapshot",
			"ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:DescribeSnapshots",
		}, "*"),
		Allow("TagSnapshots", []string{"ec2:CreateTags"}, "arn:"+p.Name+":ec2:*::snapshot/*"),
	}}
}

// NewServicesSnapshots creates the role, its policy and the lifecycle policy.
func NewServicesSnapshots(ctx *pulumi.Context, name string, args ServicesSnapshotsArgs, opts ...pulumi.ResourceOption) (*ServicesSnapshots, error) {
	c := &ServicesSnapshots{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:ServicesSnapshots", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	role, rolePolicy, err := newServiceRole(ctx, serviceRole{
		RoleResource: name + "-role", PolicyResource: name + "-role-policy",
		Name: args.RoleName, Path: "/", Description: "Data Lifecycle Manager: snapshots of the CircleCI services box",
		Principal: args.Partition.DLMPrincipal, PolicyName: args.PolicyName,
		Policy: pulumi.String(SnapshotRolePolicy(args.Partition).JSON()),
	}, parent)
	if err != nil {
		return nil, err
	}
	policy, err := dlm.NewLifecyclePolicy(ctx, name+"-policy", &dlm.LifecyclePolicyArgs{
		Description:      pulumi.String("CircleCI services box snapshots for " + args.Prefix),
		ExecutionRoleArn: role.Arn,
		State:            pulumi.String("ENABLED"),
		PolicyDetails: &dlm.LifecyclePolicyPolicyDetailsArgs{
			// INSTANCE: one multi-volume snapshot set of every volume attached
			// to the box, taken at the same moment.
			ResourceTypes: pulumi.StringArray{pulumi.String("INSTANCE")},
			TargetTags:    pulumi.StringMap{args.TargetTagKey: pulumi.String(args.TargetTagValue)},
			Schedules: dlm.LifecyclePolicyPolicyDetailsScheduleArray{
				&dlm.LifecyclePolicyPolicyDetailsScheduleArgs{
					Name:     pulumi.String("every-" + strconv.Itoa(args.IntervalHours) + "h-keep-" + strconv.Itoa(args.RetainCount)),
					CopyTags: pulumi.Bool(true),
					CreateRule: &dlm.LifecyclePolicyPolicyDetailsScheduleCreateRuleArgs{
						Interval:     pulumi.Int(args.IntervalHours),
						IntervalUnit: pulumi.String("HOURS"),
						Times:        pulumi.String(args.Time),
					},
					RetainRule: &dlm.LifecyclePolicyPolicyDetailsScheduleRetainRuleArgs{
						Count: pulumi.Int(args.RetainCount),
					},
					TagsToAdd: pulumi.ToStringMap(args.Tags),
				},
			},
		},
	}, parent, pulumi.DependsOn([]pulumi.Resource{rolePolicy})) // DLM's first run needs the permissions
	if err != nil {
		return nil, err
	}
	c.PolicyID = policy.ID().ToStringOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"policyId": c.PolicyID})
}
