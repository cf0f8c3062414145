package standin

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

const tInstanceProfile = "aws:iam/instanceProfile:InstanceProfile"

func init() {
	register(instanceProfileKind())
}

func instanceProfileKind() *kind {
	// addRole is AddRoleToInstanceProfile, retried while the role is not
	// found (for IAM's eventual consistency) and then failed.
	// Source: terraform-provider-aws internal/service/iam/instance_profile.go,
	// instanceProfileAddRole ("adding IAM Role (%s) to IAM Instance Profile
	// (%s): %w"); IAM API Reference, AddRoleToInstanceProfile, "Errors"
	// (NoSuchEntity, 404).
	addRole := func(c *call, profile string, ins resource.PropertyMap) error {
		if role := str(ins, "role"); role != "" && c.st.get(tRole, role) == nil {
			return awsErr("adding IAM Role ("+role+") to IAM Instance Profile ("+profile+")",
				"IAM: AddRoleToInstanceProfile", 404, "NoSuchEntity", "The role with name %s cannot be found.", role)
		}
		return nil
	}
	return &kind{
		token: tInstanceProfile, what: "IAM Instance Profile", nameKey: "name",
		// Source: instance_profile.go, schema: name, name_prefix and path are
		// ForceNew; role is not (resourceInstanceProfileUpdate swaps it).
		replaces: []string{"name", "namePrefix", "path"},
		// Source: instance_profile.go, schema "path" (Default "/").
		defaults: map[string]any{"path": "/"},
		computed: []string{"arn", "uniqueId", "createDate"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			// Source: instance_profile.go, schema: name
			// validResourceName(128), name_prefix validResourceName(128 - 26);
			// path has no validator.
			checkIAMName(f, news, "name", 128)
			checkIAMName(f, news, "namePrefix", 128-26)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			// Source: instance_profile.go, resourceInstanceProfileCreate
			// ("creating IAM Instance Profile (%s): %s").
			doing := "creating IAM Instance Profile (" + name + ")"
			// Source: IAM API Reference, CreateInstanceProfile, "Errors"
			// (EntityAlreadyExists, 409); names are unique regardless of case.
			if c.st.iamNameTaken(tInstanceProfile, name) != nil {
				return "", nil, awsErr(doing, "IAM: CreateInstanceProfile", 409, "EntityAlreadyExists", "Instance Profile %s already exists.", name)
			}
			if err := iamPathProblem(doing, "IAM: CreateInstanceProfile", ins); err != nil {
				return "", nil, err
			}
			// Source: IAM User Guide, "IAM identifiers" (instance profile ids
			// begin AIPA).
			out := resource.PropertyMap{
				"arn":        pv(iamARN(c, "instance-profile", str(ins, "path"), name)),
				"uniqueId":   pv(c.st.upperID("AIPA")),
				"createDate": pv(createDate),
			}
			// The profile exists before its role is added: when adding the
			// role fails, the profile stays, and the error is reported with
			// the created profile (an initialization failure).
			// Source: instance_profile.go, resourceInstanceProfileCreate
			// (d.SetId before instanceProfileAddRole).
			if err := addRole(c, name, ins); err != nil {
				out["role"] = resource.NewNullProperty()
				return name, out, err
			}
			return name, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			// Source: instance_profile.go, resourceInstanceProfileUpdate (the old
			// role removed, then the new one added).
			return nil, addRole(c, old.id, ins)
		},
	}
}

// instanceProfile finds a live instance profile by name or ARN.
func (st *state) instanceProfile(nameOrARN string) *record {
	for _, p := range st.all(tInstanceProfile) {
		if p.id == nameOrARN || str(p.outputs, "arn") == nameOrARN {
			return p
		}
	}
	return nil
}
