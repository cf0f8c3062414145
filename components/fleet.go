package components

import (
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
)

// Fleet is what every auto scaled group of identical instances is
// configured with: a launch template (AWS no longer offers launch
// configurations to new accounts) and the group that launches from it.
type Fleet struct {
	InstanceSettings
	LaunchTemplateName string
	GroupName          string
	NameTag            string
	Tags               map[string]string // every tag, propagated to instances and volumes
	Image              Image
	InstanceType       string
	SubnetID           string
	SecurityGroupIDs   pulumi.StringArrayInput // from SecurityGroups.Machines; which groups: Attachments (security_groups.go)
	// SecurityGroupRules are those groups' rules: the fleet launches only
	// once they exist, because the provider strips AWS's default egress
	// from every group it creates and an instance booting before its egress
	// rule cannot download anything.
	SecurityGroupRules []pulumi.Resource
	// PublicIP gives every instance a public IPv4 address
	// (preflight.FleetPublicIP decides it from clients_public_ip).
	PublicIP     bool
	VolumeSize   int
	Max, Desired int
}

// fleetArgs is a Fleet with what its component decides for it.
type fleetArgs struct {
	Fleet
	InstanceProfile pulumi.StringInput // nil: no instance role
	HopLimit        int
	UserData        pulumi.StringInput
	SpotPrice       string // empty: on-demand
	// Refresh, when set, makes a new launch template version (a changed boot
	// script or AMI) replace the instances with a rolling instance refresh.
	Refresh *Refresh
	// WaitForCapacityTimeout is how long `pulumi up` waits for the group's
	// instances to be InService after a create or a change of capacity: the
	// provider's default ("10m") when empty, "0" for not at all.
	WaitForCapacityTimeout string
}

// Refresh is how a group replaces its instances when its launch template
// version changes.
type Refresh struct {
	// MinHealthy and MaxHealthy are the shares of the desired capacity (in
	// percent) kept in service and allowed in service or pending: 100 and
	// 200 launch every replacement before an instance leaves.
	MinHealthy, MaxHealthy int
	// WarmupSeconds is how long a replacement is InService before the refresh
	// counts it and moves on.
	WarmupSeconds int
}

// newFleet creates the launch template and the group that launches from it.
func newFleet(ctx *pulumi.Context, name string, a fleetArgs, opts ...pulumi.ResourceOption) (*ec2.LaunchTemplate, *autoscaling.Group, error) {
	all := map[string]string{"Name": a.NameTag}
	for k, v := range a.Tags {
		all[k] = v
	}
	opts = append(opts, pulumi.DependsOn(a.SecurityGroupRules))
	lt, err := ec2.NewLaunchTemplate(ctx, name+"-launch-template", launchTemplateArgs(a, all), opts...)
	if err != nil {
		return nil, nil, err
	}
	group, err := autoscaling.NewGroup(ctx, name+"-asg", groupArgs(a, all, lt), opts...)
	if err != nil {
		return nil, nil, err
	}
	return lt, group, nil
}

// launchTemplateArgs describes the fleet's instances; every tag goes on
// the instances and their volumes.
func launchTemplateArgs(a fleetArgs, all map[string]string) *ec2.LaunchTemplateArgs {
	tags := pulumi.ToStringMap(all)
	var tagSpecs ec2.LaunchTemplateTagSpecificationArray
	for _, kind := range []string{"instance", "volume"} {
		tagSpecs = append(tagSpecs, &ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String(kind), Tags: tags})
	}
	args := &ec2.LaunchTemplateArgs{
		Name:         pulumi.String(a.LaunchTemplateName),
		Description:  pulumi.String(a.NameTag + " instances"),
		ImageId:      pulumi.String(a.Image.ID),
		InstanceType: pulumi.String(a.InstanceType),
		KeyName:      pulumi.String(a.KeyName),
		UserData:     base64Output(a.UserData),
		// One interface that says whether the instance gets a public IP,
		// rather than leaving it to the subnet: AWS assigns none on a subnet
		// that is not a default subnet, and on a public subnet that leaves
		// the instance without a way out. The groups go on the interface:
		// EC2 takes them there or on the instance, not both.
		NetworkInterfaces: ec2.LaunchTemplateNetworkInterfaceArray{
			&ec2.LaunchTemplateNetworkInterfaceArgs{
				DeviceIndex:              pulumi.Int(0),
				AssociatePublicIpAddress: pulumi.String(strconv.FormatBool(a.PublicIP)),
				SecurityGroups:           a.SecurityGroupIDs,
				DeleteOnTermination:      pulumi.String("true"),
			},
		},
		UpdateDefaultVersion: pulumi.Bool(true),
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{
			&ec2.LaunchTemplateBlockDeviceMappingArgs{
				DeviceName: pulumi.String(a.Image.RootDeviceName),
				Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
					VolumeType:          pulumi.String(a.VolumeType),
					VolumeSize:          pulumi.Int(a.VolumeSize),
					Encrypted:           pulumi.String("true"),
					DeleteOnTermination: pulumi.String("true"),
				},
			},
		},
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String(a.IMDSHTTPTokens),
			HttpPutResponseHopLimit: pulumi.Int(a.HopLimit),
		},
		TagSpecifications: tagSpecs,
	}
	if a.InstanceProfile != nil {
		args.IamInstanceProfile = &ec2.LaunchTemplateIamInstanceProfileArgs{Name: a.InstanceProfile}
	}
	if a.SpotPrice != "" {
		args.InstanceMarketOptions = &ec2.LaunchTemplateInstanceMarketOptionsArgs{
			MarketType:  pulumi.String("spot"),
			SpotOptions: &ec2.LaunchTemplateInstanceMarketOptionsSpotOptionsArgs{MaxPrice: pulumi.String(a.SpotPrice)},
		}
	}
	return args
}

// groupArgs describes the group: its size, the exact template version, and
// the tags it propagates.
func groupArgs(a fleetArgs, all map[string]string, lt *ec2.LaunchTemplate) *autoscaling.GroupArgs {
	var groupTags autoscaling.GroupTagArray
	// Provider default tags do not reach what a group launches; these do.
	for _, k := range config.SortedKeys(all) {
		groupTags = append(groupTags, &autoscaling.GroupTagArgs{Key: pulumi.String(k), Value: pulumi.String(all[k]), PropagateAtLaunch: pulumi.Bool(true)})
	}
	args := &autoscaling.GroupArgs{
		Name:               pulumi.String(a.GroupName),
		VpcZoneIdentifiers: pulumi.StringArray{pulumi.String(a.SubnetID)},
		MinSize:            pulumi.Int(0),
		MaxSize:            pulumi.Int(a.Max),
		DesiredCapacity:    pulumi.Int(a.Desired),
		ForceDelete:        pulumi.Bool(true),
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{
			Id: lt.ID(),
			// The exact version, not $Latest: a new version is a change to
			// the group, which is what starts an instance refresh.
			Version: lt.LatestVersion.ApplyT(strconv.Itoa).(pulumi.StringOutput),
		},
		Tags: groupTags,
	}
	if a.WaitForCapacityTimeout != "" {
		args.WaitForCapacityTimeout = pulumi.String(a.WaitForCapacityTimeout)
	}
	if r := a.Refresh; r != nil {
		args.InstanceRefresh = &autoscaling.GroupInstanceRefreshArgs{
			Strategy: pulumi.String("Rolling"),
			Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{
				MinHealthyPercentage: pulumi.Int(r.MinHealthy),
				MaxHealthyPercentage: pulumi.Int(r.MaxHealthy),
				InstanceWarmup:       pulumi.String(strconv.Itoa(r.WarmupSeconds)),
			},
		}
	}
	return args
}
