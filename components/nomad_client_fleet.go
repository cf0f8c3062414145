package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
)

// The Nomad clients' lifecycle hooks and how their instances answer them.
const (
	// JoinHookTimeout holds a launching client in Pending:Wait while it
	// boots (packages, Docker, Nomad) and waits for its node to be ready;
	// a client that says nothing in that time is abandoned (a boot script
	// that died before its trap).
	JoinHookTimeout = 1800
	// JoinWaitSeconds is how long the boot script waits for the node to be
	// ready before it decides, well inside JoinHookTimeout.
	JoinWaitSeconds = 600
	// DrainHookTimeout is the terminate hook's heartbeat timeout. The
	// watcher records a heartbeat every DrainHeartbeatSeconds while Nomad
	// drains, so a drain may last up to Auto Scaling's global timeout (100
	// heartbeat timeouts: config.MaxDrainDeadline), and a client whose
	// watcher died is let go after 10 minutes.
	DrainHookTimeout      = 600
	DrainHeartbeatSeconds = 120
	// RefreshWarmupSeconds is how long a replacement is InService before an
	// instance refresh counts it healthy. The join hook already keeps it out
	// of service until its node runs jobs, so this only gives Nomad time to
	// place work on it before the next client leaves.
	RefreshWarmupSeconds = 300
)

// NomadClientFleetArgs configures the Nomad clients that run 2.0 jobs.
type NomadClientFleetArgs struct {
	// Fleet.SecurityGroupIDs are SecurityGroups.Machines.NomadClients: which groups
	// is Attachments.NomadClients, next to their rules in security_groups.go.
	Fleet
	Partition config.Partition
	Region    string
	// Refresh is how a new launch template version replaces the clients.
	Refresh       Refresh
	DrainDeadline string // nomad node drain -deadline
	// The clients' own instance role: their lifecycle hooks, nothing else.
	RoleName, PolicyName, ProfileName string
	JoinHookName, DrainHookName       string
	Proxy                             config.Proxy
	DockerVersion                     string
	NomadVersion                      string
	// ServicesPrivateIP is the Nomad server's address: the services box's
	// network interface, which outlives the instance.
	ServicesPrivateIP pulumi.StringInput
}

// NomadClientFleet is an auto scaling group of Nomad clients that never
// loses a running job:
//   - A launch hook keeps a new client out of service until its boot script
//     has seen its node ready in the Nomad cluster (or abandons it when the
//     boot failed), so an instance refresh never counts a broken client as
//     healthy and stops instead of rolling the fleet onto it.
//   - A terminate hook holds a leaving client (scale-in or refresh) while the
//     drain watcher on it drains the node and waits for its jobs.
//   - A changed boot script (Nomad or Docker version, proxy, services
//     address) or AMI makes a new launch template version, and the group
//     replaces its clients with a rolling instance refresh that launches the
//     replacements first (Refresh): `pulumi up` does what the guide's "Nomad
//     Client Launch Configuration Update" did by hand.
type NomadClientFleet struct {
	pulumi.ResourceState

	GroupName             pulumi.StringOutput
	LaunchTemplateID      pulumi.StringOutput
	LaunchTemplateVersion pulumi.IntOutput
}

// NomadClientPolicy is what a Nomad client may do in the account: answer
// its own group's lifecycle hooks. The group's ARN carries an id AWS assigns,
// so it is matched by name.
// Source: Service Authorization Reference, Amazon EC2 Auto Scaling: both
// actions take the autoScalingGroup resource type,
// arn:${Partition}:autoscaling:${Region}:${Account}:autoScalingGroup:${GroupId}:autoScalingGroupName/${GroupFriendlyName}.
func NomadClientPolicy(a NomadClientFleetArgs) PolicyDocument {
	group := "arn:" + a.Partition.Name + ":autoscaling:" + a.Region + ":*:autoScalingGroup:*:autoScalingGroupName/" + a.GroupName
	return PolicyDocument{Version: policyVersion, Statement: []Statement{
		Allow("AnswerOwnLifecycleHooks", []string{
			"autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat",
		}, group),
	}}
}

// NewNomadClientFleet creates the clients' role, the launch template, the
// group and its two lifecycle hooks.
func NewNomadClientFleet(ctx *pulumi.Context, name string, args NomadClientFleetArgs, opts ...pulumi.ResourceOption) (*NomadClientFleet, error) {
	c := &NomadClientFleet{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:NomadClientFleet", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	lifecycle := NomadLifecycle{
		Region:            args.Region,
		GroupName:         args.GroupName,
		LaunchHookName:    args.JoinHookName,
		TerminateHookName: args.DrainHookName,
		DrainDeadline:     args.DrainDeadline,
		HeartbeatSeconds:  DrainHeartbeatSeconds,
		JoinWaitSeconds:   JoinWaitSeconds,
	}
	script := args.ServicesPrivateIP.ToStringOutput().ApplyT(func(ip string) (string, error) {
		return NomadClientScript{
			Proxy:             args.Proxy.Bypassing(ip),
			DockerVersion:     args.DockerVersion,
			NomadVersion:      args.NomadVersion,
			ServicesPrivateIP: ip,
			Lifecycle:         lifecycle,
		}.Render()
	}).(pulumi.StringOutput)

	profile, err := newNomadClientProfile(ctx, name, args, parent)
	if err != nil {
		return nil, err
	}
	// Job containers never reach the role: the hop limit of 1 and the
	// DOCKER-USER rules of the boot script keep them from the metadata
	// service.
	lt, group, err := newFleet(ctx, name, fleetArgs{
		Fleet:           args.Fleet,
		InstanceProfile: profile.Name,
		HopLimit:        hopsForHostOnly,
		UserData:        script,
		Refresh:         &args.Refresh,
		// The join hook holds new clients until their node is ready, and on
		// a first install there is no Nomad server until the administrator
		// has finished the admin console setup: `pulumi up` does not wait
		// for the clients to be in service.
		WaitForCapacityTimeout: "0",
	}, parent)
	if err != nil {
		return nil, err
	}
	if err := newNomadClientHooks(ctx, name, args, group.Name, parent); err != nil {
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

// newNomadClientProfile creates the clients' role, its policy and the
// instance profile the launch template names.
func newNomadClientProfile(ctx *pulumi.Context, name string, args NomadClientFleetArgs, parent pulumi.ResourceOption) (*iam.InstanceProfile, error) {
	role, policy, err := newServiceRole(ctx, serviceRole{
		RoleResource: name + "-role", PolicyResource: name + "-policy",
		Name: args.RoleName, Path: "/", Description: "CircleCI Nomad clients: answer their own group's lifecycle hooks",
		Principal: args.Partition.EC2Principal, PolicyName: args.PolicyName,
		Policy: pulumi.String(NomadClientPolicy(args).JSON()),
	}, parent)
	if err != nil {
		return nil, err
	}
	return newInstanceProfile(ctx, name+"-profile", args.ProfileName, role, policy, parent)
}

// newNomadClientHooks creates the group's launch hook, which the boot script
// completes once the node is ready, and its terminate hook, which the drain
// watcher completes once the node has drained. They name the group, so they
// come after it: the group's first clients are not held (README, "Nomad
// clients: rolls, scale-in and first install").
func newNomadClientHooks(ctx *pulumi.Context, name string, args NomadClientFleetArgs, groupName pulumi.StringOutput, parent pulumi.ResourceOption) error {
	hooks := []autoscaling.LifecycleHookArgs{
		{
			Name:                 pulumi.String(args.JoinHookName),
			AutoscalingGroupName: groupName,
			LifecycleTransition:  pulumi.String("autoscaling:EC2_INSTANCE_LAUNCHING"),
			HeartbeatTimeout:     pulumi.Int(JoinHookTimeout),
			DefaultResult:        pulumi.String("ABANDON"),
		},
		{
			Name:                 pulumi.String(args.DrainHookName),
			AutoscalingGroupName: groupName,
			LifecycleTransition:  pulumi.String("autoscaling:EC2_INSTANCE_TERMINATING"),
			HeartbeatTimeout:     pulumi.Int(DrainHookTimeout),
			// Either result terminates a leaving instance; CONTINUE also lets
			// other hooks run.
			DefaultResult: pulumi.String("CONTINUE"),
		},
	}
	for i, suffix := range []string{"-join-hook", "-drain-hook"} {
		if _, err := autoscaling.NewLifecycleHook(ctx, name+suffix, &hooks[i], parent); err != nil {
			return err
		}
	}
	return nil
}
