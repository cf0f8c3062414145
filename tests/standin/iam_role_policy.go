package standin

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tRolePolicy = "aws:iam/rolePolicy:RolePolicy"

func init() {
	register(rolePolicyKind())
}

func rolePolicyKind() *kind {
	// put is PutRolePolicy, which the provider calls to create and to update.
	// Source: terraform-provider-aws internal/service/iam/role_policy.go,
	// resourceRolePolicyPut ("putting IAM Role (%s) Policy (%s): %s").
	put := func(c *call, self string, ins resource.PropertyMap) error {
		role, name := str(ins, "role"), str(ins, "name")
		doing := "putting IAM Role (" + role + ") Policy (" + name + ")"
		// Source: IAM API Reference, PutRolePolicy, "Errors" (NoSuchEntity, 404).
		if c.st.get(tRole, role) == nil {
			return awsErr(doing, "IAM: PutRolePolicy", 404, "NoSuchEntity", "The role with name %s cannot be found.", role)
		}
		doc := str(ins, "policy")
		if err := validatePolicy(c, doing, "IAM: PutRolePolicy", doc, identityPolicy); err != nil {
			return err
		}
		// The role's inline policies together may not exceed 10,240
		// characters, white space not counted; this one replaces any of the
		// same name.
		// Source: IAM User Guide, "IAM and AWS STS quotas" (role policy size,
		// "the total aggregate policy size (the sum size of all inline
		// policies)"); IAM API Reference, PutRolePolicy, "Errors"
		// (LimitExceeded, 409).
		// Assumption: the LimitExceeded message, as IAM words it.
		total := policySize(doc)
		for _, p := range c.st.all(tRolePolicy) {
			if p.id != self && p.id != role+":"+name && str(p.outputs, "role") == role {
				total += policySize(str(p.outputs, "policy"))
			}
		}
		if total > 10240 {
			return awsErr(doing, "IAM: PutRolePolicy", 409, "LimitExceeded",
				"Maximum policy size of 10240 bytes exceeded for role %s", role)
		}
		return nil
	}
	return &kind{
		token: tRolePolicy, what: "IAM Role Policy", nameKey: "name",
		// Source: role_policy.go, schema: name, name_prefix and role are ForceNew.
		replaces: []string{"name", "namePrefix", "role"},
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "role", "policy")
			// Source: role_policy.go, schema: name validRolePolicyName (128),
			// name_prefix validResourceName(128 - id.UniqueIDSuffixLength),
			// policy ValidIAMPolicyJSON, role validRolePolicyRole.
			checkIAMName(f, news, "name", 128)
			checkIAMName(f, news, "namePrefix", 128-26)
			checkPolicyJSON(f, news, "policy")
			checkRolePolicyRole(f, news)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			// Source: role_policy.go, resourceRolePolicyPut
			// (d.SetId(fmt.Sprintf("%s:%s", roleName, policyName))).
			id := str(ins, "role") + ":" + str(ins, "name")
			if err := put(c, "", ins); err != nil {
				return "", nil, err
			}
			return id, nil, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			return nil, put(c, old.id, ins)
		},
	}
}

// checkRolePolicyRole is validRolePolicyRole: 1-128 characters, matching
// [\w+=,.@-]+ somewhere, and a name rather than an ARN.
// Source: terraform-provider-aws internal/service/iam/validate.go,
// validRolePolicyRole.
func checkRolePolicyRole(f *failures, news resource.PropertyMap) {
	if isUnknown(news, "role") || !has(news, "role") {
		return
	}
	checkName(f, news, "role", 1, 128, iamPolicyRoleRE, "")
	if r := str(news, "role"); strings.HasPrefix(r, "arn:") && len(strings.SplitN(r, ":", 6)) == 6 {
		f.add("role", "%q must be the role's name not its ARN", "role")
	}
}
