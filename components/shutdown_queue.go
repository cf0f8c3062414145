package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ShutdownQueueArgs names the queue and the role that feeds it.
type ShutdownQueueArgs struct {
	QueueName string
	RoleName  string
}

// ShutdownQueue receives the auto scaling lifecycle messages of builders
// being terminated, so that CircleCI can drain them first. Auto Scaling
// publishes through the queue role.
type ShutdownQueue struct {
	pulumi.ResourceState

	QueueURL pulumi.StringOutput
	QueueARN pulumi.StringOutput
	RoleARN  pulumi.StringOutput
}

// ShutdownQueuePolicy lets Auto Scaling find the queue and post to it.
func ShutdownQueuePolicy(queueARN string) PolicyDocument {
	return PolicyDocument{Version: policyVersion, Statement: []Statement{
		Allow("PostLifecycleMessages", []string{"sqs:GetQueueUrl", "sqs:SendMessage"}, queueARN),
	}}
}

// NewShutdownQueue creates the queue, the role and its policy.
func NewShutdownQueue(ctx *pulumi.Context, name string, args ShutdownQueueArgs, opts ...pulumi.ResourceOption) (*ShutdownQueue, error) {
	c := &ShutdownQueue{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:ShutdownQueue", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	queue, err := sqs.NewQueue(ctx, name+"-queue", &sqs.QueueArgs{
		Name:                 pulumi.String(args.QueueName),
		SqsManagedSseEnabled: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return nil, err
	}
	role, policy, err := newServiceRole(ctx, serviceRole{
		RoleResource: name + "-role", PolicyResource: name + "-role-policy",
		Name: args.RoleName, Description: "Lets Auto Scaling post CircleCI builder lifecycle messages to the shutdown queue",
		Principal: "autoscaling.amazonaws.com", PolicyName: args.RoleName,
		Policy: policyOutput(func(arns []string) PolicyDocument { return ShutdownQueuePolicy(arns[0]) }, queue.Arn),
	}, parent)
	if err != nil {
		return nil, err
	}

	c.QueueURL = queue.Url
	c.QueueARN = queue.Arn
	// Consumers of the role need its policy in place, not just the role.
	c.RoleARN = pulumi.All(role.Arn, policy.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"queueUrl": c.QueueURL,
		"queueArn": c.QueueARN,
		"roleArn":  c.RoleARN,
	})
}
