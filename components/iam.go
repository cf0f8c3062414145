package components

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
)

// IAMArgs configures the identity of the services box and 1.0 builders.
type IAMArgs struct {
	Partition   config.Partition
	Region      string
	RoleName    string
	PolicyName  string
	ProfileName string
	BucketName  string
	// QueueARN and PassphraseParameterARN are only known once those exist.
	QueueARN               pulumi.StringInput
	PassphraseParameterARN pulumi.StringInput
}

// IAM is the instance role, its policy and the instance profile that hands
// it to the services box and 1.0 builders.
type IAM struct {
	pulumi.ResourceState

	RoleARN     pulumi.StringOutput
	ProfileName pulumi.StringOutput
}

// ServicesPolicy is the policy of the instance role: what the CircleCI
// services (vm-service, output processor, the 1.0 builder fleet manager)
// do in the account, as the Terraform installer granted it, plus reading
// the passphrase parameter.
func ServicesPolicy(a IAMArgs, queueARN, parameterARN string) PolicyDocument {
	p := a.Partition.Name
	bucket := "arn:" + p + ":s3:::" + a.BucketName
	regional := "arn:" + p + ":ec2:" + a.Region + ":*"
	return PolicyDocument{Version: policyVersion, Statement: []Statement{
		Allow("ArtifactsBucket", []string{"s3:*"}, bucket, bucket+"/*"),
		Allow("ShutdownQueue", []string{"sqs:*"}, queueARN),
		Allow("DescribeAndMetrics", []string{
			"ec2:Describe*", "ec2:CreateTags", "cloudwatch:*", "iam:GetUser",
			"autoscaling:CompleteLifecycleAction",
		}, "*"),
		Allow("LaunchVMs", []string{"ec2:RunInstances", "ec2:CreateVolume", "ec2:CreateTags"}, regional),
		Allow("DescribeEC2", []string{"ec2:Describe*"}, "*"),
		{
			Sid:    "ManageOwnVMs",
			Effect: "Allow",
			Action: []string{
				"ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances",
				"ec2:AttachVolume", "ec2:DetachVolume", "ec2:DeleteVolume",
			},
			Resource:  []string{regional + ":*/*"},
			Condition: map[string]map[string]string{"StringEquals": {"ec2:ResourceTag/ManagedBy": "circleci-vm-service"}},
		},
		Allow("AssumeOwnRole", []string{"iam:GetRole", "sts:AssumeRole"}, "arn:"+p+":iam::*:role/"+a.RoleName),
		Allow("ReadPassphrase", []string{"ssm:GetParameter"}, parameterARN),
	}}
}

// NewIAM creates the role, its inline policy and the instance profile.
func NewIAM(ctx *pulumi.Context, name string, args IAMArgs, opts ...pulumi.ResourceOption) (*IAM, error) {
	c := &IAM{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:IAM", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	role, policy, err := newServiceRole(ctx, serviceRole{
		RoleResource: name + "-role", PolicyResource: name + "-policy",
		Name: args.RoleName, Path: "/", Description: "CircleCI Server services box and 1.0 builders",
		Principal: args.Partition.EC2Principal, PolicyName: args.PolicyName,
		Policy: policyOutput(func(arns []string) PolicyDocument {
			return ServicesPolicy(args, arns[0], arns[1])
		}, args.QueueARN, args.PassphraseParameterARN),
	}, parent)
	if err != nil {
		return nil, err
	}
	profile, err := newInstanceProfile(ctx, name+"-profile", args.ProfileName, role, policy, parent)
	if err != nil {
		return nil, err
	}

	c.RoleARN = role.Arn
	c.ProfileName = profile.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"roleArn":     c.RoleARN,
		"profileName": c.ProfileName,
	})
}
