// Package installer wires the components of a CircleCI Server 2.19
// installation on AWS from a validated configuration. main.go runs Run;
// the tests run the same function under mocks and through the engine.
//
// Deploy runs in stages, each a method of deployment, in the order a reader
// follows them: the provider; the network, the images and preflight (every
// lookup, in lookups.go and preflight.go, before anything is created, and
// the services box guard of services_guard.go);
// identity and storage; network security; compute; the outputs
// (outputs.go). Each component renders its own boot script.
package installer

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
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
	Snapshots      *components.ServicesSnapshots
	DNS            *components.DNS
	NomadClients   *components.NomadClientFleet
	LegacyBuilders *components.LegacyBuilders
	S3Endpoint     *components.S3Endpoint
	// Preflight is what the checks against the install guide found.
	Preflight preflight.Result
	// Outputs are the stack outputs, as exported.
	Outputs pulumi.Map
}

// deployment is one run of Deploy: what the stages share.
type deployment struct {
	ctx   *pulumi.Context
	cfg   *config.Config
	names config.Names
	in    *Installation

	onAWS pulumi.InvokeOption   // invokes go through the explicit provider
	with  pulumi.ResourceOption // and so do resources
	net   *network              // what the lookups found
	imgs  images                // the AMIs each kind of machine boots
	proxy config.Proxy          // as every instance sees it
	// fleetPublicIP: Nomad clients and 1.0 builders get public addresses.
	fleetPublicIP bool
}

// Deploy creates the installation described by cfg and exports its outputs.
func Deploy(ctx *pulumi.Context, cfg *config.Config) (*Installation, error) {
	d := &deployment{ctx: ctx, cfg: cfg, names: cfg.Names(), in: &Installation{}}
	for _, stage := range []func() error{
		d.provider,
		d.networkAndPreflight,
		d.identityAndStorage,
		d.networkSecurity,
		d.compute,
		d.outputs,
	} {
		if err := stage(); err != nil {
			return nil, err
		}
	}
	return d.in, nil
}

// provider creates the one AWS provider everything goes through, with the
// installation's tags as default tags.
func (d *deployment) provider() error {
	cfg := d.cfg
	args := &aws.ProviderArgs{
		Region:      pulumi.String(cfg.AWSRegion),
		DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(cfg.DefaultTags())},
	}
	if cfg.AWSAccessKey != "" {
		args.AccessKey = secret(cfg.AWSAccessKey)
		args.SecretKey = secret(cfg.AWSSecretKey)
	}
	p, err := aws.NewProvider(d.ctx, "aws", args)
	if err != nil {
		return err
	}
	d.in.Provider, d.onAWS, d.with = p, pulumi.Provider(p), pulumi.Providers(p)
	return nil
}

// networkAndPreflight reads the subnet, its VPC and route table, and the
// images, and checks the plan against the install guide: every lookup
// happens before anything is created, so a failed one leaves nothing
// half-made.
func (d *deployment) networkAndPreflight() error {
	cfg := d.cfg
	net, err := lookupNetwork(d.ctx, cfg, d.onAWS)
	if err != nil {
		return err
	}
	checks, err := runPreflight(d.ctx, cfg, net, d.onAWS)
	if err != nil {
		return err
	}
	if net.SubnetVPCID != cfg.AWSVPCID {
		// Not even preflight: warn can build across two VPCs.
		return fmt.Errorf("%s %q belongs to VPC %s, not to %s %s: choose a subnet of that VPC or correct %s",
			config.KeyAWSSubnetID, cfg.AWSSubnetID, net.SubnetVPCID, config.KeyAWSVPCID, cfg.AWSVPCID, config.KeyAWSVPCID)
	}
	if d.imgs, err = lookupImages(d.ctx, cfg, d.onAWS); err != nil {
		return err
	}
	if err := d.guardServicesBox(); err != nil {
		return err
	}
	d.net, d.in.Preflight = net, checks
	d.fleetPublicIP = preflight.FleetPublicIP(cfg.ClientsPublicIP, net.Network)
	d.proxy = cfg.Proxy(net.VPCCIDR)
	if d.proxy.Enabled() && d.ctx.DryRun() {
		_ = d.ctx.Log.Info(fmt.Sprintf("Proxy on every instance: %s=%s %s=%s %s=%s (Nomad clients add the services box's private IP)",
			config.KeyHTTPProxy, cfg.HTTPProxy, config.KeyHTTPSProxy, cfg.HTTPSProxy, config.KeyNoProxy, d.proxy.NoProxy), nil)
	}
	return nil
}

// identityAndStorage creates the passphrase parameter, the shutdown queue,
// the artifacts bucket (and its gateway endpoint), and the instance role.
func (d *deployment) identityAndStorage() error {
	cfg, names, in, with := d.cfg, d.names, d.in, d.with
	var err error
	if in.Passphrase, err = components.NewPassphrase(d.ctx, "passphrase", components.PassphraseArgs{
		ParameterName: names.PassphraseParameter,
		Value:         secret(cfg.CircleSecretPassphrase),
	}, with); err != nil {
		return err
	}
	if in.ShutdownQueue, err = components.NewShutdownQueue(d.ctx, "shutdown-queue", components.ShutdownQueueArgs{
		QueueName: names.ShutdownQueue,
		RoleName:  names.ShutdownQueueRole,
	}, with); err != nil {
		return err
	}
	if in.ArtifactStore, err = components.NewArtifactStore(d.ctx, "artifacts", components.ArtifactStoreArgs{
		BucketName:   names.Bucket,
		ForceDestroy: cfg.ForceDestroyS3Bucket,
	}, with); err != nil {
		return err
	}
	if in.IAM, err = components.NewIAM(d.ctx, "iam", components.IAMArgs{
		Partition:              cfg.Partition(),
		Region:                 cfg.AWSRegion,
		RoleName:               names.Role,
		PolicyName:             names.Policy,
		ProfileName:            names.InstanceProfile,
		BucketName:             names.Bucket,
		QueueARN:               in.ShutdownQueue.QueueARN,
		PassphraseParameterARN: in.Passphrase.ParameterARN,
	}, with); err != nil {
		return err
	}
	// An endpoint someone else made is the one the guide asks for; ours,
	// from an earlier `up`, keeps being managed.
	if cfg.CreateS3GatewayEndpoint && !d.net.S3GatewayEndpoint {
		if in.S3Endpoint, err = components.NewS3Endpoint(d.ctx, "s3-endpoint", components.S3EndpointArgs{
			VPCID: cfg.AWSVPCID, ServiceName: d.net.S3Service, RouteTableID: d.net.RouteTableID,
		}, with); err != nil {
			return err
		}
	}
	return nil
}

// networkSecurity creates the security groups and their rules. Which
// groups each machine gets is components.Attachments.
func (d *deployment) networkSecurity() error {
	cfg := d.cfg
	var err error
	d.in.SecurityGroups, err = components.NewSecurityGroups(d.ctx, "security-groups", components.SecurityGroupsArgs{
		VPCID:          cfg.AWSVPCID,
		SubnetCIDR:     d.net.SubnetCIDR,
		Names:          d.names,
		AdminCIDRs:     cfg.AdminCIDRBlocks,
		UserCIDRs:      cfg.UserCIDRBlocks,
		SSHRerunCIDRs:  cfg.SSHRerunCIDRBlocks,
		VMCIDRs:        cfg.VMCIDRBlocks,
		EnableNomad:    cfg.EnableNomad,
		EnableBuilders: cfg.DesiredBuildersCount > 0,
	}, d.with)
	return err
}

// compute creates the machines: the services box (its snapshot policy
// first, and its DNS record), the Nomad clients, and the 1.0 builders.
func (d *deployment) compute() error {
	if err := d.servicesSnapshots(); err != nil {
		return err
	}
	if err := d.servicesBox(d.imgs.services); err != nil {
		return err
	}
	if err := d.dns(); err != nil {
		return err
	}
	if err := d.nomadClients(d.imgs.nomadClients); err != nil {
		return err
	}
	return d.legacyBuilders(d.imgs.builders)
}

// instanceSettings are what every instance shares.
func (d *deployment) instanceSettings() components.InstanceSettings {
	return components.InstanceSettings{KeyName: d.cfg.AWSSSHKeyName, IMDSHTTPTokens: d.cfg.IMDSHTTPTokens, VolumeType: d.cfg.RootVolumeType}
}

// servicesBox creates the services box, which renders its install script
// unless services_user_data_enabled is false.
func (d *deployment) servicesBox(image components.Image) error {
	cfg, in := d.cfg, d.in
	var install *components.ServicesInstall
	if cfg.ServicesUserDataEnabled {
		install = &components.ServicesInstall{
			Proxy:               d.proxy,
			DockerVersion:       cfg.DockerVersion,
			Bucket:              d.names.Bucket,
			Region:              cfg.AWSRegion,
			SubnetID:            cfg.AWSSubnetID,
			QueueURL:            in.ShutdownQueue.QueueURL,
			VMSecurityGroupID:   in.SecurityGroups.Machines.VM,
			PassphraseParameter: in.Passphrase.ParameterName,
		}
	}
	var err error
	in.ServicesBox, err = components.NewServicesBox(d.ctx, "services", components.ServicesBoxArgs{
		InstanceSettings:      d.instanceSettings(),
		Name:                  d.names.Services,
		SubnetID:              cfg.AWSSubnetID,
		InstanceType:          cfg.ServicesInstanceType,
		AMI:                   image.ID,
		IgnoreAMIChanges:      servicesAMIFromLookup(cfg),
		InstanceProfile:       in.IAM.ProfileName,
		SecurityGroupIDs:      in.SecurityGroups.Machines.ServicesBox.IDs,
		SecurityGroupRules:    in.SecurityGroups.Machines.ServicesBox.Rules,
		VolumeSize:            cfg.ServicesVolumeSize,
		DeleteOnTermination:   cfg.ServicesDeleteOnTermination,
		DisableAPITermination: cfg.ServicesDisableAPITermination,
		PublicIP:              cfg.ServicesPublicIP,
		AllowReplacement:      cfg.ServicesAllowReplacement,
		LaunchedByTerraform:   cfg.ServicesLaunchedByTerraform,
		Tags:                  map[string]string{d.names.SnapshotTag: cfg.Prefix},
		Install:               install,
	}, d.with)
	return err
}

// servicesSnapshots creates the scheduled snapshots of the services box
// unless services_snapshots is false. The policy finds the box by its tag,
// so it does not depend on the instance and outlives a replaced one.
func (d *deployment) servicesSnapshots() error {
	cfg := d.cfg
	if !cfg.ServicesSnapshots {
		return nil
	}
	tags := cfg.DefaultTags()
	tags[d.names.SnapshotTag] = cfg.Prefix
	var err error
	d.in.Snapshots, err = components.NewServicesSnapshots(d.ctx, "services-snapshots", components.ServicesSnapshotsArgs{
		Partition:      cfg.Partition(),
		Prefix:         cfg.Prefix,
		RoleName:       d.names.SnapshotRole,
		PolicyName:     d.names.SnapshotPolicy,
		TargetTagKey:   d.names.SnapshotTag,
		TargetTagValue: cfg.Prefix,
		IntervalHours:  cfg.ServicesSnapshotIntervalHours,
		Time:           cfg.ServicesSnapshotTime,
		RetainCount:    cfg.ServicesSnapshotRetainCount,
		Tags:           tags,
	}, d.with)
	return err
}

// dns creates the Route53 record when enable_route is 1.
func (d *deployment) dns() error {
	if !d.cfg.EnableRoute {
		return nil
	}
	var err error
	d.in.DNS, err = components.NewDNS(d.ctx, "dns", components.DNSArgs{
		ZoneID: d.cfg.RouteZoneID, Name: d.cfg.RouteName, Address: d.in.ServicesBox.Address,
	}, d.with)
	return err
}

// nomadClients creates the Nomad client fleet when enable_nomad is 1.
func (d *deployment) nomadClients(image components.Image) error {
	cfg, names := d.cfg, d.names
	if !cfg.EnableNomad {
		return nil
	}
	var err error
	d.in.NomadClients, err = components.NewNomadClientFleet(d.ctx, "nomad-clients", components.NomadClientFleetArgs{
		Fleet: components.Fleet{
			InstanceSettings:   d.instanceSettings(),
			LaunchTemplateName: names.NomadLaunchTemplate,
			GroupName:          names.NomadASG,
			NameTag:            names.NomadClient,
			Tags:               cfg.DefaultTags(),
			Image:              image,
			InstanceType:       cfg.NomadClientInstanceType,
			SubnetID:           cfg.AWSSubnetID,
			SecurityGroupIDs:   d.in.SecurityGroups.Machines.NomadClients.IDs,
			SecurityGroupRules: d.in.SecurityGroups.Machines.NomadClients.Rules,
			PublicIP:           d.fleetPublicIP,
			VolumeSize:         cfg.NomadClientVolumeSize,
			Max:                cfg.MaxClientsCount,
			Desired:            cfg.DesiredClientsCount,
		},
		Partition: cfg.Partition(),
		Region:    cfg.AWSRegion,
		Refresh: components.Refresh{
			MinHealthy: cfg.NomadMinHealthyPercentage, MaxHealthy: cfg.NomadMaxHealthyPercentage,
			WarmupSeconds: components.RefreshWarmupSeconds,
		},
		DrainDeadline:     cfg.NomadDrainDeadline,
		RoleName:          names.NomadRole,
		PolicyName:        names.NomadPolicy,
		ProfileName:       names.NomadInstanceProfile,
		JoinHookName:      names.NomadJoinHook,
		DrainHookName:     names.NomadDrainHook,
		Proxy:             d.proxy,
		DockerVersion:     cfg.DockerVersion,
		NomadVersion:      cfg.NomadVersion,
		ServicesPrivateIP: d.in.ServicesBox.PrivateIP,
	}, d.with)
	return err
}

// legacyBuilders creates the 1.0 builders when desired_builders_count > 0.
func (d *deployment) legacyBuilders(image components.Image) error {
	cfg, names, in := d.cfg, d.names, d.in
	if cfg.DesiredBuildersCount <= 0 {
		return nil
	}
	var err error
	in.LegacyBuilders, err = components.NewLegacyBuilders(d.ctx, "builders", components.LegacyBuildersArgs{
		Fleet: components.Fleet{
			InstanceSettings:   d.instanceSettings(),
			LaunchTemplateName: names.BuildersLaunchTemplate,
			GroupName:          names.BuildersASG,
			NameTag:            names.Builders,
			Tags:               cfg.DefaultTags(),
			Image:              image,
			InstanceType:       cfg.BuilderInstanceType,
			SubnetID:           cfg.AWSSubnetID,
			SecurityGroupIDs:   in.SecurityGroups.Machines.Builders.IDs,
			SecurityGroupRules: in.SecurityGroups.Machines.Builders.Rules,
			PublicIP:           d.fleetPublicIP,
			VolumeSize:         cfg.BuilderVolumeSize,
			Max:                cfg.MaxBuildersCount,
			Desired:            cfg.DesiredBuildersCount,
		},
		HookName:            names.BuildersShutdownHook,
		InstanceProfile:     in.IAM.ProfileName,
		SpotPrice:           cfg.LegacyBuilderSpotPrice,
		Proxy:               d.proxy,
		Region:              cfg.AWSRegion,
		PassphraseParameter: in.Passphrase.ParameterName,
		ServicesPrivateIP:   in.ServicesBox.PrivateIP,
		QueueARN:            in.ShutdownQueue.QueueARN,
		QueueRoleARN:        in.ShutdownQueue.RoleARN,
	}, d.with)
	return err
}

func secret(s string) pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.String(s)).(pulumi.StringOutput)
}
