// Package components holds the parts of a CircleCI Server 2.19 installation
// on AWS, one ComponentResource each, each in the file named for it: the
// passphrase parameter (passphrase.go), the instance identity (iam.go), the
// artifacts bucket (artifact_store.go) and its S3 gateway endpoint
// (s3_endpoint.go), the shutdown queue (shutdown_queue.go), the security
// groups (security_groups.go), the services box (services_box.go) and its
// scheduled snapshots (services_snapshots.go), the Nomad client fleet with
// its lifecycle hooks and role (nomad_client_fleet.go), the 1.0 builders
// (legacy_builders.go) and the DNS record (dns.go).
//
// Shared plumbing: instance.go (what every instance shares), fleet.go
// (launch template and auto scaling group), bootscripts.go (the boot
// scripts, rendered from scripts/ by the component that uses them) and
// policy.go (IAM documents).
package components

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PolicyDocument is an IAM policy document. Policies are built as values and
// marshalled, never assembled from strings, so that they are always valid
// JSON and can be inspected by tests.
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a policy document.
type Statement struct {
	Sid       string                       `json:"Sid,omitempty"`
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  []string                     `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

const policyVersion = "2012-10-17"

// Allow is a statement that allows actions on resources.
func Allow(sid string, actions []string, resources ...string) Statement {
	return Statement{Sid: sid, Effect: "Allow", Action: actions, Resource: resources}
}

// AssumeRolePolicy lets a service assume a role.
func AssumeRolePolicy(servicePrincipal string) PolicyDocument {
	return PolicyDocument{Version: policyVersion, Statement: []Statement{{
		Effect:    "Allow",
		Principal: map[string]string{"Service": servicePrincipal},
		Action:    []string{"sts:AssumeRole"},
	}}}
}

// JSON marshals the document.
func (d PolicyDocument) JSON() string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err) // only strings and maps: cannot fail
	}
	return string(b)
}

// policyOutput builds a policy document once the ARNs it names are known.
func policyOutput(build func(arns []string) PolicyDocument, arns ...pulumi.StringInput) pulumi.StringOutput {
	inputs := make([]any, len(arns))
	for i, a := range arns {
		inputs[i] = a
	}
	return pulumi.All(inputs...).ApplyT(func(vals []any) string {
		s := make([]string, len(vals))
		for i, v := range vals {
			s[i] = v.(string)
		}
		return build(s).JSON()
	}).(pulumi.StringOutput)
}

// serviceRole is an IAM role that an AWS service assumes, with its one
// inline policy, under the logical names the component has always used (a
// new logical name would replace the role in every existing stack).
type serviceRole struct {
	RoleResource, PolicyResource string // logical names
	Name, Description            string
	Path                         string // "" leaves it to the provider's default
	Principal                    string // the service that assumes it
	PolicyName                   string
	Policy                       pulumi.StringInput
}

// newServiceRole creates the role and its inline policy.
func newServiceRole(ctx *pulumi.Context, r serviceRole, parent pulumi.ResourceOption) (*iam.Role, *iam.RolePolicy, error) {
	args := &iam.RoleArgs{
		Name:             pulumi.String(r.Name),
		Description:      pulumi.String(r.Description),
		AssumeRolePolicy: pulumi.String(AssumeRolePolicy(r.Principal).JSON()),
	}
	if r.Path != "" {
		args.Path = pulumi.String(r.Path)
	}
	role, err := iam.NewRole(ctx, r.RoleResource, args, parent)
	if err != nil {
		return nil, nil, err
	}
	policy, err := iam.NewRolePolicy(ctx, r.PolicyResource, &iam.RolePolicyArgs{
		Name:   pulumi.String(r.PolicyName),
		Role:   role.Name,
		Policy: r.Policy,
	}, parent)
	return role, policy, err
}

// newInstanceProfile hands a role to instances, once its policy exists: no
// instance boots with a role that may not yet do what it needs.
func newInstanceProfile(ctx *pulumi.Context, resource, name string, role *iam.Role, policy *iam.RolePolicy, parent pulumi.ResourceOption) (*iam.InstanceProfile, error) {
	return iam.NewInstanceProfile(ctx, resource, &iam.InstanceProfileArgs{
		Name: pulumi.String(name),
		Role: role.Name,
	}, parent, pulumi.DependsOn([]pulumi.Resource{policy}))
}
