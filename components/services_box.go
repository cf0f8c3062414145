package components

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
)

// ServicesBoxArgs configures the services box.
type ServicesBoxArgs struct {
	InstanceSettings
	Name                  string // Name tag
	SubnetID              string
	InstanceType          string
	AMI                   string
	IgnoreAMIChanges      bool // the AMI came from a lookup: a newer image must not replace the box
	InstanceProfile       pulumi.StringInput
	SecurityGroupIDs      pulumi.StringArrayInput // SecurityGroups.Machines.ServicesBox (security_groups.go)
	SecurityGroupRules    []pulumi.Resource       // their rules: the instance boots only once its egress exists
	VolumeSize            int
	DeleteOnTermination   bool
	DisableAPITermination bool
	PublicIP              bool
	// AllowReplacement lets this change replace or delete the instance and
	// its network interface (services_allow_replacement); otherwise they
	// are protected.
	AllowReplacement bool
	// Tags go on the instance and its root volume besides Name (the
	// snapshot policy finds the box by one).
	Tags map[string]string
	// LaunchedByTerraform: the box was launched by the Terraform installer
	// and adopted (services_launched_by_terraform). It is described as
	// Terraform made it, so that adoption replaces nothing: in its subnet
	// with the primary network interface EC2 gave it (the interface
	// resource then describes that one), its auto-assigned public address
	// instead of an Elastic IP, and its root volume's encryption as it is.
	LaunchedByTerraform bool
	// Install is what the boot script that installs CircleCI Server is
	// rendered from; nil boots plain Ubuntu.
	Install *ServicesInstall
}

// ServicesInstall is what the services box's install script needs.
type ServicesInstall struct {
	Proxy               config.Proxy
	DockerVersion       string
	Bucket              string
	Region              string
	SubnetID            string
	QueueURL            pulumi.StringInput
	VMSecurityGroupID   pulumi.StringInput // the group vm-service puts its VMs in
	PassphraseParameter pulumi.StringInput // SSM name; the value never enters user data
}

// script renders the install script once the queue, the VM group and the
// parameter exist.
func (in *ServicesInstall) script() pulumi.StringOutput {
	return pulumi.All(in.QueueURL, in.VMSecurityGroupID, in.PassphraseParameter).ApplyT(func(v []any) (string, error) {
		return ServicesScript{
			Proxy:               in.Proxy,
			DockerVersion:       in.DockerVersion,
			QueueURL:            v[0].(string),
			Bucket:              in.Bucket,
			Region:              in.Region,
			SubnetID:            in.SubnetID,
			VMSecurityGroupID:   v[1].(string),
			PassphraseParameter: v[2].(string),
		}.Render()
	}).(pulumi.StringOutput)
}

// ServicesBox is the machine that runs CircleCI's services, datastores and
// the Nomad server, behind a network interface of its own.
//
// The interface is created first and outlives the instance, so the box's
// private address (which every Nomad client is configured with) and its
// Elastic IP survive a replaced instance, and the Nomad fleet can be
// configured without waiting for the instance to boot.
type ServicesBox struct {
	pulumi.ResourceState

	InstanceID pulumi.StringOutput
	PrivateIP  pulumi.StringOutput
	// Address is where people reach the box: its Elastic IP, or its private
	// address for a private install.
	Address pulumi.StringOutput
}

// NewServicesBox creates the network interface, the Elastic IP and the instance.
func NewServicesBox(ctx *pulumi.Context, name string, args ServicesBoxArgs, opts ...pulumi.ResourceOption) (*ServicesBox, error) {
	c := &ServicesBox{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:ServicesBox", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	eni, err := ec2.NewNetworkInterface(ctx, name+"-eni", &ec2.NetworkInterfaceArgs{
		SubnetId:       pulumi.String(args.SubnetID),
		SecurityGroups: args.SecurityGroupIDs,
		Description:    pulumi.String("CircleCI services box: the stable address of the services and the Nomad server"),
		Tags:           pulumi.StringMap{"Name": pulumi.String(args.Name)},
	}, parent, pulumi.Protect(!args.AllowReplacement)) // every Nomad client and builder is configured with its address
	if err != nil {
		return nil, err
	}

	address := eni.PrivateIp
	if args.PublicIP && !args.LaunchedByTerraform {
		eip, err := ec2.NewEip(ctx, name+"-eip", &ec2.EipArgs{
			Domain:           pulumi.String("vpc"),
			NetworkInterface: eni.ID(),
			Tags:             pulumi.StringMap{"Name": pulumi.String(args.Name)},
		}, parent)
		if err != nil {
			return nil, err
		}
		address = eip.PublicIp
	}

	instance, err := newServicesInstance(ctx, name+"-instance", args, eni, parent)
	if err != nil {
		return nil, err
	}

	if args.PublicIP && args.LaunchedByTerraform {
		// An Elastic IP on the interface would take the place of the public
		// address every user, DNS record and OAuth application knows.
		address = instance.PublicIp
	}
	c.InstanceID = instance.ID().ToStringOutput()
	c.PrivateIP = eni.PrivateIp
	c.Address = address
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"instanceId": c.InstanceID,
		"privateIp":  c.PrivateIP,
		"address":    c.Address,
	})
}

// newServicesInstance creates the instance on the box's network interface.
func newServicesInstance(ctx *pulumi.Context, name string, args ServicesBoxArgs, eni *ec2.NetworkInterface, parent pulumi.ResourceOption) (*ec2.Instance, error) {
	tags := pulumi.StringMap{"Name": pulumi.String(args.Name)}
	for k, v := range args.Tags {
		tags[k] = pulumi.String(v)
	}
	instanceArgs := &ec2.InstanceArgs{
		Ami:                   pulumi.String(args.AMI),
		InstanceType:          pulumi.String(args.InstanceType),
		KeyName:               pulumi.String(args.KeyName),
		IamInstanceProfile:    args.InstanceProfile,
		DisableApiTermination: pulumi.Bool(args.DisableAPITermination),
		NetworkInterfaces: ec2.InstanceNetworkInterfaceArray{
			&ec2.InstanceNetworkInterfaceArgs{DeviceIndex: pulumi.Int(0), NetworkInterfaceId: eni.ID()},
		},
		RootBlockDevice: &ec2.InstanceRootBlockDeviceArgs{
			VolumeType:          pulumi.String(args.VolumeType),
			VolumeSize:          pulumi.Int(args.VolumeSize),
			Encrypted:           pulumi.Bool(true),
			DeleteOnTermination: pulumi.Bool(args.DeleteOnTermination),
			Tags:                tags,
		},
		MetadataOptions: &ec2.InstanceMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String(args.IMDSHTTPTokens),
			HttpPutResponseHopLimit: pulumi.Int(hopsForContainers),
		},
		Tags: tags,
	}
	if args.LaunchedByTerraform {
		// network_interface and root_block_device.encrypted are ForceNew,
		// and the provider reads an imported instance's interfaces only
		// where its configuration names them (terraform-provider-aws
		// resourceInstanceRead, configuredDeviceIndexes): the instance says
		// what Terraform said, and its groups change in place. Encryption
		// cannot be added to a volume that exists (README, "Adopt an
		// existing installation").
		instanceArgs.NetworkInterfaces = nil
		instanceArgs.SubnetId = pulumi.String(args.SubnetID)
		instanceArgs.VpcSecurityGroupIds = args.SecurityGroupIDs
		instanceArgs.RootBlockDevice.(*ec2.InstanceRootBlockDeviceArgs).Encrypted = nil
	}
	if args.Install != nil {
		instanceArgs.UserDataBase64 = base64Output(args.Install.script())
	}
	// The boot script runs once, at first boot: a changed script would only
	// stop and start a running installation, so changes are not applied. The
	// key pair is installed at first boot too: a new one would replace the
	// box for nothing (the installer warns instead).
	ignore := []string{"userData", "userDataBase64", "keyName"}
	if args.IgnoreAMIChanges {
		ignore = append(ignore, "ami")
	}
	opts := []pulumi.ResourceOption{parent,
		pulumi.Protect(!args.AllowReplacement), // why: below
		// The new instance needs the network interface the old one holds.
		pulumi.DeleteBeforeReplace(true),
		pulumi.IgnoreChanges(ignore),
		// The interface goes after the instance: an adopted box's is its
		// primary one, which EC2 deletes with the instance.
		pulumi.DependsOn(append([]pulumi.Resource{eni}, args.SecurityGroupRules...)),
	}
	// The hook is registered on every run, because the engine deletes a
	// replaced instance with the hooks of its old state: a run that allows
	// the replacement must answer the old binding (and lets it pass).
	guard, err := replacementGuard(ctx, args.AllowReplacement)
	if err != nil {
		return nil, err
	}
	if !args.AllowReplacement {
		// Two of Pulumi's own guards, because EC2 termination protection is
		// none: the provider lifts it before it terminates (terraform-provider-aws
		// resourceInstanceDelete).
		//   - protect: the engine refuses to plan a replacement or a delete, in
		//     preview as in `pulumi up` (before it runs any step of a plan
		//     that has one) and in `pulumi destroy`, which does not run the
		//     program.
		//   - a delete hook: the last guard, at the delete itself, for a
		//     protection lifted by hand (`pulumi state unprotect`) rather than
		//     by the setting. `pulumi destroy` names it when it refuses.
		// services_allow_replacement lifts both in the same `pulumi up` that
		// replaces the box: the engine checks the new registration's protect.
		opts = append(opts, pulumi.ResourceHooks(&pulumi.ResourceHookBinding{BeforeDelete: []*pulumi.ResourceHook{guard}}))
	}
	return ec2.NewInstance(ctx, name, instanceArgs, opts...)
}

// ReplacementRefused is what the administrator reads when a change would
// replace or delete the services box: what would be lost, how to snapshot
// first, and the one setting that allows it.
func ReplacementRefused(why string) string {
	return "this change would replace or delete the services box (" + why + "). " +
		"It holds every CircleCI datastore (PostgreSQL, MongoDB, Vault, RabbitMQ, Redis) and the Nomad server: " +
		"a new box boots empty. Nothing has been changed. To go ahead: " +
		"1) snapshot it: EC2 console, the instance, Actions > Image and templates > Create image " +
		"(or: aws ec2 create-image --no-reboot --instance-id <id> --name <name>), and wait until the image is available; " +
		"2) pulumi config set " + config.KeyServicesAllowReplacement + " true; 3) pulumi up; " +
		"4) pulumi config set " + config.KeyServicesAllowReplacement + " false && pulumi up. " +
		"README: \"What pulumi up changes in place, replaces, or refuses\" and \"Backup and restore\"."
}

// replacementGuardName is shown by `pulumi destroy` when the program is not
// run, so it says what to do.
const replacementGuardName = config.KeyServicesAllowReplacement + "-is-false--snapshot-then-set-it-true-and-pulumi-up"

// earlierGuardName is the delete hook that releases before
// services_allow_replacement bound while termination protection was on. The
// engine deletes a replaced instance with the hooks of its old state, so a
// stack whose first run after an upgrade replaces the box still names it.
const earlierGuardName = config.KeyServicesDisableAPITermination + "-is-true--set-it-false-and-pulumi-up-first"

// replacementGuard refuses the delete of the services instance unless this
// run allows it. The earlier guard's name answers the same way.
func replacementGuard(ctx *pulumi.Context, allow bool) (*pulumi.ResourceHook, error) {
	guard := func(*pulumi.ResourceHookArgs) error {
		if allow {
			return nil
		}
		return errors.New(ReplacementRefused("a delete reached the services instance, whose protection was lifted outside " + config.KeyServicesAllowReplacement))
	}
	if _, err := ctx.RegisterResourceHook(earlierGuardName, guard, nil); err != nil {
		return nil, err
	}
	return ctx.RegisterResourceHook(replacementGuardName, guard, nil)
}
