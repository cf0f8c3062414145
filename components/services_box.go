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
	}, parent)
	if err != nil {
		return nil, err
	}

	address := eni.PrivateIp
	if args.PublicIP {
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

	instance, err := newServicesInstance(ctx, name+"-instance", args, eni.ID(), parent)
	if err != nil {
		return nil, err
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
func newServicesInstance(ctx *pulumi.Context, name string, args ServicesBoxArgs, eni pulumi.IDOutput, parent pulumi.ResourceOption) (*ec2.Instance, error) {
	instanceArgs := &ec2.InstanceArgs{
		Ami:                   pulumi.String(args.AMI),
		InstanceType:          pulumi.String(args.InstanceType),
		KeyName:               pulumi.String(args.KeyName),
		IamInstanceProfile:    args.InstanceProfile,
		DisableApiTermination: pulumi.Bool(args.DisableAPITermination),
		NetworkInterfaces: ec2.InstanceNetworkInterfaceArray{
			&ec2.InstanceNetworkInterfaceArgs{DeviceIndex: pulumi.Int(0), NetworkInterfaceId: eni},
		},
		RootBlockDevice: &ec2.InstanceRootBlockDeviceArgs{
			VolumeType:          pulumi.String(args.VolumeType),
			VolumeSize:          pulumi.Int(args.VolumeSize),
			Encrypted:           pulumi.Bool(true),
			DeleteOnTermination: pulumi.Bool(args.DeleteOnTermination),
			Tags:                pulumi.StringMap{"Name": pulumi.String(args.Name)},
		},
		MetadataOptions: &ec2.InstanceMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String(args.IMDSHTTPTokens),
			HttpPutResponseHopLimit: pulumi.Int(hopsForContainers),
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(args.Name)},
	}
	if args.Install != nil {
		instanceArgs.UserDataBase64 = base64Output(args.Install.script())
	}
	// The boot script runs once, at first boot: a changed script would only
	// stop and start a running installation, so changes are not applied.
	ignore := []string{"userData", "userDataBase64"}
	if args.IgnoreAMIChanges {
		ignore = append(ignore, "ami")
	}
	opts := []pulumi.ResourceOption{parent,
		// The new instance needs the network interface the old one holds.
		pulumi.DeleteBeforeReplace(true),
		pulumi.IgnoreChanges(ignore),
		pulumi.DependsOn(args.SecurityGroupRules),
	}
	if args.DisableAPITermination {
		guard, err := terminationGuard(ctx)
		if err != nil {
			return nil, err
		}
		opts = append(opts, pulumi.ResourceHooks(&pulumi.ResourceHookBinding{BeforeDelete: []*pulumi.ResourceHook{guard}}))
	}
	return ec2.NewInstance(ctx, name, instanceArgs, opts...)
}

// TerminationProtectionMessage is what the administrator reads when a
// destroy or a replacement meets the services box's termination protection.
const TerminationProtectionMessage = "the services box has EC2 termination protection (" + config.KeyServicesDisableAPITermination + " = true). " +
	"To destroy or replace it, first run: pulumi config set " + config.KeyServicesDisableAPITermination + " false && pulumi up"

// terminationGuardName is shown by `pulumi destroy` when the program is not
// run, so it says what to do.
const terminationGuardName = config.KeyServicesDisableAPITermination + "-is-true--set-it-false-and-pulumi-up-first"

// terminationGuard stops a delete of a protected services box, with the
// exact setting to change. It is the only guard: EC2 termination protection
// does not stop Pulumi, because the provider lifts it before it terminates
// (terraform-provider-aws resourceInstanceDelete). Because it is a delete
// hook, `pulumi destroy` of a protected installation refuses to start
// (naming this hook) until the protection is lifted with `pulumi up`, and
// nothing is deleted meanwhile.
func terminationGuard(ctx *pulumi.Context) (*pulumi.ResourceHook, error) {
	return ctx.RegisterResourceHook(terminationGuardName, func(*pulumi.ResourceHookArgs) error {
		return errors.New(TerminationProtectionMessage)
	}, nil)
}
