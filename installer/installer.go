// Package installer wires the components of a CircleCI Server 2.19
// installation on AWS from a validated configuration. main.go runs Run;
// the tests run the same function under mocks and through the engine.
package installer

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/components"
	"github.com/circleci-server-pulumi/installer/config"
	"github.com/circleci-server-pulumi/installer/preflight"
)

// Run is the program main.go hands to pulumi.Run.
func Run(ctx *pulumi.Context) error {
	_, err := Program(ctx)
	return err
}

// Program loads and validates the stack configuration, shows the warnings,
// and deploys it. Nothing is created when the configuration has problems.
func Program(ctx *pulumi.Context) (*Installation, error) {
	cfg, warnings, err := config.Load(ctx)
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		_ = ctx.Log.Warn(w, nil)
	}
	return Deploy(ctx, cfg)
}

// Installation holds the components Deploy created; optional ones are nil
// when the configuration leaves them out.
type Installation struct {
	Provider       *aws.Provider
	Passphrase     *components.Passphrase
	ShutdownQueue  *components.ShutdownQueue
	ArtifactStore  *components.ArtifactStore
	IAM            *components.IAM
	SecurityGroups *components.SecurityGroups
	ServicesBox    *components.ServicesBox
	DNS            *components.DNS
	NomadClients   *components.NomadClientFleet
	LegacyBuilders *components.LegacyBuilders
	S3Endpoint     *components.S3Endpoint
	// Preflight is what the checks against the install guide found.
	Preflight preflight.Result
	// Outputs are the stack outputs, as exported.
	Outputs pulumi.Map
}

// Ubuntu 16.04 images, as the 2.19 install guide's boot scripts expect.
const ubuntuImageName = "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"

// Deploy creates the installation described by cfg and exports its outputs.
func Deploy(ctx *pulumi.Context, cfg *config.Config) (*Installation, error) {
	names := cfg.Names()
	partition := cfg.Partition()
	in := &Installation{}

	providerArgs := &aws.ProviderArgs{
		Region:      pulumi.String(cfg.AWSRegion),
		DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(cfg.DefaultTags())},
	}
	if cfg.AWSAccessKey != "" {
		providerArgs.AccessKey = secret(cfg.AWSAccessKey)
		providerArgs.SecretKey = secret(cfg.AWSSecretKey)
	}
	provider, err := aws.NewProvider(ctx, "aws", providerArgs)
	if err != nil {
		return nil, err
	}
	in.Provider = provider
	onAWS := pulumi.Provider(provider)
	with := pulumi.Providers(provider)

	subnet, err := ec2.LookupSubnet(ctx, &ec2.LookupSubnetArgs{Id: pulumi.StringRef(cfg.AWSSubnetID)}, onAWS)
	if err != nil {
		return nil, fmt.Errorf("aws_subnet_id %q: looking up the subnet: %w", cfg.AWSSubnetID, err)
	}
	net, err := lookupNetwork(ctx, cfg, subnet, onAWS)
	if err != nil {
		return nil, err
	}
	checks, err := runPreflight(ctx, cfg, net, onAWS)
	if err != nil {
		return nil, err
	}
	if subnet.VpcId != cfg.AWSVpcID {
		// Not even preflight: warn can build across two VPCs.
		return nil, fmt.Errorf("aws_subnet_id %q belongs to VPC %s, not to aws_vpc_id %s: choose a subnet of that VPC or correct aws_vpc_id", cfg.AWSSubnetID, subnet.VpcId, cfg.AWSVpcID)
	}

	// Ubuntu is the stock image of the region; services_ami may instead be
	// the services box's own backup (the guide's rollback snapshot), which
	// must never boot Nomad clients or builders.
	ubuntu, err := lookupImage(ctx, cfg, "ubuntu_ami", cfg.UbuntuAMI[cfg.AWSRegion], onAWS)
	if err != nil {
		return nil, err
	}
	servicesImage, clientImage := ubuntu, ubuntu
	if cfg.ServicesAMI != "" {
		if servicesImage, err = lookupImage(ctx, cfg, "services_ami", cfg.ServicesAMI, onAWS); err != nil {
			return nil, err
		}
	}
	if cfg.NomadClientAMI != "" {
		if clientImage, err = lookupImage(ctx, cfg, "nomad_client_ami", cfg.NomadClientAMI, onAWS); err != nil {
			return nil, err
		}
	}

	if in.Passphrase, err = components.NewPassphrase(ctx, "passphrase", components.PassphraseArgs{
		ParameterName: names.PassphraseParameter,
		Value:         secret(cfg.CircleSecretPassphrase),
	}, with); err != nil {
		return nil, err
	}
	if in.ShutdownQueue, err = components.NewShutdownQueue(ctx, "shutdown-queue", components.ShutdownQueueArgs{
		QueueName: names.ShutdownQueue,
		RoleName:  names.ShutdownQueueRole,
	}, with); err != nil {
		return nil, err
	}
	if in.ArtifactStore, err = components.NewArtifactStore(ctx, "artifacts", components.ArtifactStoreArgs{
		BucketName:   names.Bucket,
		ForceDestroy: cfg.ForceDestroyS3Bucket,
	}, with); err != nil {
		return nil, err
	}
	if in.IAM, err = components.NewIAM(ctx, "iam", components.IAMArgs{
		Partition:              partition,
		Region:                 cfg.AWSRegion,
		RoleName:               names.Role,
		PolicyName:             names.Policy,
		ProfileName:            names.InstanceProfile,
		BucketName:             names.Bucket,
		QueueARN:               in.ShutdownQueue.QueueARN,
		PassphraseParameterARN: in.Passphrase.ParameterARN,
	}, with); err != nil {
		return nil, err
	}
	if cfg.CreateS3GatewayEndpoint && !net.S3GatewayEndpoint {
		if in.S3Endpoint, err = components.NewS3Endpoint(ctx, "s3-endpoint", components.S3EndpointArgs{
			VpcID: cfg.AWSVpcID, ServiceName: s3ServiceName(cfg), RouteTableID: net.RouteTableID,
		}, with); err != nil {
			return nil, err
		}
	}
	enableBuilders := cfg.DesiredBuildersCount > 0
	if in.SecurityGroups, err = components.NewSecurityGroups(ctx, "security-groups", components.SecurityGroupsArgs{
		VpcID:          cfg.AWSVpcID,
		SubnetCIDR:     subnet.CidrBlock,
		Names:          names,
		AdminCIDRs:     cfg.AdminCIDRBlocks,
		UserCIDRs:      cfg.UserCIDRBlocks,
		SSHRerunCIDRs:  cfg.SSHRerunCIDRBlocks,
		EnableNomad:    cfg.EnableNomad,
		EnableBuilders: enableBuilders,
	}, with); err != nil {
		return nil, err
	}
	sg := in.SecurityGroups.IDs

	proxy := components.Proxy{HTTPProxy: cfg.HTTPProxy, HTTPSProxy: cfg.HTTPSProxy, NoProxy: cfg.EffectiveNoProxy(net.VPCCIDR)}
	if cfg.ProxyEnabled() && ctx.DryRun() {
		_ = ctx.Log.Info(fmt.Sprintf("Proxy on every instance: http_proxy=%s https_proxy=%s no_proxy=%s (Nomad clients add the services box's private IP)",
			cfg.HTTPProxy, cfg.HTTPSProxy, proxy.NoProxy), nil)
	}
	settings := components.InstanceSettings{KeyName: cfg.AWSSSHKeyName, IMDSHTTPTokens: cfg.IMDSHTTPTokens, VolumeType: cfg.RootVolumeType}

	var servicesUserData pulumi.StringInput
	if cfg.ServicesUserDataEnabled {
		servicesUserData = pulumi.All(in.ShutdownQueue.QueueURL, sg[components.VMSG], in.Passphrase.ParameterName).ApplyT(func(v []any) (string, error) {
			return components.ServicesScript{
				Proxy:               proxy,
				DockerVersion:       cfg.DockerVersion,
				QueueURL:            v[0].(string),
				Bucket:              names.Bucket,
				Region:              cfg.AWSRegion,
				SubnetID:            cfg.AWSSubnetID,
				VMSecurityGroupID:   v[1].(string),
				PassphraseParameter: v[2].(string),
			}.Render()
		}).(pulumi.StringOutput)
	}
	if in.ServicesBox, err = components.NewServicesBox(ctx, "services", components.ServicesBoxArgs{
		InstanceSettings:      settings,
		Name:                  names.Services,
		SubnetID:              cfg.AWSSubnetID,
		InstanceType:          cfg.ServicesInstanceType,
		AMI:                   servicesImage.ID,
		IgnoreAMIChanges:      cfg.ServicesAMI == "" && cfg.UbuntuAMI[cfg.AWSRegion] == "",
		InstanceProfile:       in.IAM.ProfileName,
		SecurityGroupIDs:      pulumi.StringArray{sg[components.ServicesSG], sg[components.UsersSG]},
		VolumeSize:            cfg.ServicesVolumeSize,
		DeleteOnTermination:   cfg.ServicesDeleteOnTermination,
		DisableAPITermination: cfg.ServicesDisableAPITermination,
		PublicIP:              cfg.ServicesPublicIP,
		UserData:              servicesUserData,
	}, with); err != nil {
		return nil, err
	}
	box := in.ServicesBox

	if cfg.EnableRoute {
		if in.DNS, err = components.NewDNS(ctx, "dns", components.DNSArgs{
			ZoneID: cfg.RouteZoneID, Name: cfg.RouteName, Address: box.Address,
		}, with); err != nil {
			return nil, err
		}
	}

	tags := cfg.DefaultTags()
	if cfg.EnableNomad {
		if in.NomadClients, err = components.NewNomadClientFleet(ctx, "nomad-clients", components.NomadClientFleetArgs{
			Fleet: components.Fleet{
				InstanceSettings:   settings,
				LaunchTemplateName: names.NomadLaunchTemplate,
				GroupName:          names.NomadASG,
				NameTag:            names.NomadClient,
				Tags:               tags,
				Image:              clientImage,
				InstanceType:       cfg.NomadClientInstanceType,
				SubnetID:           cfg.AWSSubnetID,
				SecurityGroupIDs:   pulumi.StringArray{sg[components.NomadSG], sg[components.SSHSG]},
				VolumeSize:         cfg.NomadClientVolumeSize,
				Max:                cfg.MaxClientsCount,
				Desired:            cfg.DesiredClientsCount,
			},
			MinHealthyPercent: cfg.NomadMinHealthyPercentage,
			Proxy:             proxy,
			DockerVersion:     cfg.DockerVersion,
			NomadVersion:      cfg.NomadVersion,
			ServicesPrivateIP: box.PrivateIP,
		}, with); err != nil {
			return nil, err
		}
	}

	if enableBuilders {
		if in.LegacyBuilders, err = components.NewLegacyBuilders(ctx, "builders", components.LegacyBuildersArgs{
			Fleet: components.Fleet{
				InstanceSettings:   settings,
				LaunchTemplateName: names.BuildersLaunchTemplate,
				GroupName:          names.BuildersASG,
				NameTag:            names.Builders,
				Tags:               tags,
				Image:              ubuntu,
				InstanceType:       cfg.BuilderInstanceType,
				SubnetID:           cfg.AWSSubnetID,
				SecurityGroupIDs:   pulumi.StringArray{sg[components.BuildersSG], sg[components.BuildersAdminSG], sg[components.UsersSG]},
				VolumeSize:         cfg.BuilderVolumeSize,
				Max:                cfg.MaxBuildersCount,
				Desired:            cfg.DesiredBuildersCount,
			},
			HookName:            names.BuildersShutdownHook,
			InstanceProfile:     in.IAM.ProfileName,
			SpotPrice:           cfg.LegacyBuilderSpotPrice,
			Proxy:               proxy,
			Region:              cfg.AWSRegion,
			PassphraseParameter: in.Passphrase.ParameterName,
			ServicesPrivateIP:   box.PrivateIP,
			QueueARN:            in.ShutdownQueue.QueueARN,
			QueueRoleARN:        in.ShutdownQueue.RoleARN,
		}, with); err != nil {
			return nil, err
		}
	}

	in.Preflight = checks
	in.Outputs = outputs(cfg, in)
	for k, v := range in.Outputs {
		ctx.Export(k, v)
	}
	return in, nil
}

func outputs(cfg *config.Config, in *Installation) pulumi.Map {
	box, sg := in.ServicesBox, in.SecurityGroups.IDs
	addr := box.Address
	out := pulumi.Map{
		"success_message": addr.ApplyT(func(a string) string {
			return SuccessMessage(a, cfg.AWSSSHKeyName, cfg.ServicesUserDataEnabled)
		}),
		"install_url":          pulumi.Sprintf("http://%s/", addr),
		"admin_console_url":    pulumi.Sprintf("http://%s:8800", addr),
		"ssh_services":         pulumi.Sprintf("ssh ubuntu@%s", addr),
		"services_private_ip":  box.PrivateIP,
		"services_public_ip":   addr,
		"services_instance_id": box.InstanceID,
		"bucket_name":          in.ArtifactStore.BucketName,
		"shutdown_queue_url":   in.ShutdownQueue.QueueURL,
		"passphrase_parameter": in.Passphrase.ParameterName,
		// What the Replicated console's VM provider section asks for.
		"subnet_id":                   pulumi.String(cfg.AWSSubnetID),
		"vm_security_group_id":        sg[components.VMSG],
		"services_security_group_ids": pulumi.StringArray{sg[components.ServicesSG], sg[components.UsersSG]},
	}
	if in.NomadClients != nil {
		c := in.Preflight.Capacity
		out["nomad_jobs_per_client"] = pulumi.Float64(c.JobsPerClient)
		out["nomad_fleet_job_capacity"] = pulumi.Float64(c.FleetJobs)
		out["nomad_capacity"] = pulumi.String(in.Preflight.CapacityLine())
		out["nomad_clients_asg_name"] = in.NomadClients.GroupName
		out["nomad_security_group_ids"] = pulumi.StringArray{sg[components.NomadSG], sg[components.SSHSG]}
	}
	if in.LegacyBuilders != nil {
		out["builders_asg_name"] = in.LegacyBuilders.GroupName
	}
	if in.DNS != nil {
		out["services_fqdn"] = in.DNS.FQDN
	}
	return out
}

// SuccessMessage tells the administrator what to do once `pulumi up` is done.
func SuccessMessage(address, keyName string, installing bool) string {
	next := "Its install script is running: in about 15 minutes, open the admin console at http://" + address +
		":8800 to upload the license and finish the setup (the guide's \"Access Your Installation\")."
	if !installing {
		next = "services_user_data_enabled is false: it boots plain Ubuntu, and CircleCI Server is installed by hand."
	}
	return "Success! The CircleCI Server services box is booting at " + address + ".\n" + next +
		"\nSSH in with the key pair " + keyName + ": ssh ubuntu@" + address
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
		return components.Image{}, fmt.Errorf("no Canonical Ubuntu 16.04 image found in %s (owner %s); set services_ami: %w", cfg.AWSRegion, cfg.Partition().CanonicalOwnerID, err)
	}
	return components.Image{ID: ami.Id, RootDeviceName: ami.RootDeviceName}, nil
}

func secret(s string) pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(s)).(pulumi.StringOutput)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
