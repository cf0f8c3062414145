package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PassphraseArgs configures where the CircleCI secret passphrase is kept.
type PassphraseArgs struct {
	ParameterName string
	// Value must be a secret Output so that it stays encrypted in state.
	Value pulumi.StringInput
}

// Passphrase keeps circle_secret_passphrase in SSM Parameter Store as a
// SecureString. Instances read it at boot with their instance role, so the
// passphrase never sits in EC2 user data, where anyone with
// ec2:DescribeInstanceAttribute could read it (a defect of the Terraform
// installer).
type Passphrase struct {
	pulumi.ResourceState

	ParameterName pulumi.StringOutput
	ParameterARN  pulumi.StringOutput
}

// NewPassphrase creates the SecureString parameter.
func NewPassphrase(ctx *pulumi.Context, name string, args PassphraseArgs, opts ...pulumi.ResourceOption) (*Passphrase, error) {
	c := &Passphrase{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:Passphrase", name, c, opts...); err != nil {
		return nil, err
	}
	param, err := ssm.NewParameter(ctx, name+"-parameter", &ssm.ParameterArgs{
		Name:        pulumi.String(args.ParameterName),
		Type:        pulumi.String("SecureString"),
		Value:       pulumi.ToSecret(args.Value).(pulumi.StringOutput),
		Description: pulumi.String("CircleCI Server secret passphrase, read by the services box and 1.0 builders at boot"),
	}, pulumi.Parent(c), pulumi.AdditionalSecretOutputs([]string{"value", "insecureValue"}))
	if err != nil {
		return nil, err
	}
	c.ParameterName = param.Name
	c.ParameterARN = param.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"parameterName": c.ParameterName,
		"parameterArn":  c.ParameterARN,
	})
}
